import { describe, expect, it } from 'vitest';
import { errorText, fileProblem } from '../../src/cli/args.js';

const failure = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: failed`), { code });

describe('fileProblem', () => {
  it('says in words why a file could not be used, for the reasons an administrator can act on', () => {
    expect(fileProblem(failure('ENOENT'))).toBe('no such file or folder');
    expect(fileProblem(failure('EACCES'))).toBe('permission denied');
    expect(fileProblem(failure('EPERM'))).toBe('permission denied');
    expect(fileProblem(failure('EISDIR'))).toBe('it is a folder');
    expect(fileProblem(failure('ENOSPC'))).toBe('no space left on the device');
    expect(fileProblem(failure('EROFS'))).toBe('the file system is read-only');
  });

  it('keeps the code of any other error, and the message of an error without one', () => {
    expect(fileProblem(failure('EMFILE'))).toBe('EMFILE');
    expect(fileProblem(new Error('the disk is on fire'))).toBe('the disk is on fire');
    expect(fileProblem('a thrown string')).toBe('a thrown string');
  });
});

describe('errorText', () => {
  it('gives the text of an error, of a plain object such as PGlite throws, and of anything else thrown', () => {
    expect(errorText(new Error('lost'))).toBe('lost');
    expect(errorText({ message: 'no such table' })).toBe('no such table');
    expect(errorText({ name: 'ErrnoError', errno: 54 })).toBe('{"name":"ErrnoError","errno":54}');
    expect(errorText('a thrown string')).toBe('a thrown string');
    expect(errorText(undefined)).toBe('undefined');
    const cycle: { self?: unknown } = {};
    cycle.self = cycle;
    expect(errorText(cycle)).toBe('an error that cannot be shown as text');
  });
});

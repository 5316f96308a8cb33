import { describe, expect, it } from 'vitest';
import { minPasswordLength, secretGenerator } from '../../src/execute/secret-generator.js';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random source that hands out the given bytes in order, then `filler` forever. */
function scripted(bytes: readonly number[], filler = 0): (buffer: Uint8Array) => void {
  let at = 0;
  return (buffer) => {
    for (let i = 0; i < buffer.length; i++) buffer[i] = bytes[at++] ?? filler;
  };
}

describe('secretGenerator', () => {
  it('draws passwords of [A-Za-z0-9] that start with a letter and hold an upper, a lower and a digit', () => {
    const secrets = secretGenerator();
    const sample = Array.from({ length: 20_000 }, () => secrets.password(16));
    for (const password of sample) {
      expect(password).toMatch(/^[A-Za-z][A-Za-z0-9]{15}$/u);
      expect(password).toMatch(/[A-Z]/u);
      expect(password).toMatch(/[a-z]/u);
      expect(password).toMatch(/[0-9]/u);
    }
    expect(new Set(sample).size).toBe(sample.length);
    // Every character of the alphabet turns up in every position after the first.
    for (let position = 1; position < 16; position++) {
      expect(new Set(sample.map((p) => p.charAt(position))).size).toBe(62);
    }
  });

  it('never draws a password shorter than 15 characters', () => {
    expect(minPasswordLength).toBe(15);
    expect(secretGenerator().password(15)).toHaveLength(15);
    expect(() => secretGenerator().password(14)).toThrow(RangeError);
  });

  it('maps bytes to characters without modulo bias: every byte value below 248 once gives each character 4 times', () => {
    // The first byte picks the leading letter (52 letters: bytes below 208 count); the rest pick from 62.
    const bytes = [0, ...Array.from({ length: 256 }, (_, b) => b)];
    const password = secretGenerator(scripted(bytes, 1)).password(249);
    const counts = new Map<string, number>();
    for (const ch of password.slice(1)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(password.charAt(0)).toBe('A');
    expect([...counts.keys()].sort().join('')).toBe(Array.from(alphabet).sort().join(''));
    expect(new Set(counts.values())).toEqual(new Set([4]));
  });

  it('skips bytes at or above the largest multiple of the alphabet size', () => {
    // 248..255 are rejected for the 62-character alphabet, 208..255 for the leading letter.
    const rejectedThenValid = [208, 255, 51, ...Array.from({ length: 8 }, (_, i) => 248 + i), 52, 0, ...Array.from({ length: 13 }, () => 26)];
    expect(secretGenerator(scripted(rejectedThenValid, 1)).password(16)).toBe(`z0A${'a'.repeat(13)}`);
  });

  it('draws a password longer than a call takes arguments, every character in its place', () => {
    // 200,000 character codes overflow the stack as the arguments of one String.fromCharCode call.
    const cycle = Array.from({ length: 199_999 }, (_, i) => i % 62);
    const password = secretGenerator(scripted([0, ...cycle])).password(200_000);
    expect(password).toBe(`A${cycle.map((k) => alphabet.charAt(k)).join('')}`);
  });

  it('redraws the whole password when it lacks a digit', () => {
    // First draw: all letters (rejected); second draw: 'A', 'a' and '0' appear.
    const lettersOnly = [0, ...Array.from({ length: 15 }, () => 26)];
    const mixed = [0, 26, 52, ...Array.from({ length: 13 }, () => 1)];
    expect(secretGenerator(scripted([...lettersOnly, ...mixed], 1)).password(16)).toBe(`Aa0${'B'.repeat(13)}`);
  });

  it('draws invite tokens of 32 random bytes in base64url', () => {
    const secrets = secretGenerator();
    const tokens = Array.from({ length: 1000 }, () => secrets.inviteToken());
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(new Set(tokens).size).toBe(1000);
    expect(secretGenerator(scripted([], 0xff)).inviteToken()).toBe(Buffer.alloc(32, 0xff).toString('base64url'));
  });
});

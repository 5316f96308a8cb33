import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { afterEach, describe, expect, it } from 'vitest';
import { emlFileName, outboxDirMailer } from '../../src/adapters/mailer/outbox-dir.js';
import type { IntroductionMessage } from '../../src/adapters/mailer/types.js';
import { describeMailerConformance } from '../../src/testing/mailer-conformance.js';
import { parseMessage } from '../notify/smtp-test-server.js';

async function emlFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.eml')).sort();
}

// The default path: no composer given, so the mailer imports nodemailer's MailComposer itself.
describeMailerConformance(
  'outboxDirMailer',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rollcall-outbox-'));
    return {
      mailer: outboxDirMailer({ dir }),
      received: async () =>
        Promise.all((await emlFiles(dir)).map(async (name) => parseMessage(await readFile(join(dir, name))))),
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
  { describe, it },
);

const message: IntroductionMessage = {
  from: { name: 'Café Ærø', address: 'welcome@example.org' },
  to: { name: 'Zoë Ñúñez-Ødegård', address: 'zoe@example.org' },
  subject: 'Welcome to Café Ærø',
  text: 'Hello Zoë,\n\nnaïve façade\n',
  html: '<p>Hello Zoë,</p><p>naïve façade</p>',
  messageId: '<intro.6f1c.17@example.org>',
};

describe('outboxDirMailer', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  async function tempDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'rollcall-outbox-'));
    dirs.push(dir);
    return dir;
  }

  it('writes one file named after the Message-ID, and a resend replaces it rather than adding one', async () => {
    const dir = await tempDir();
    const mailer = outboxDirMailer({ dir: join(dir, 'nested', 'outbox'), composer: MailComposer });
    await mailer.send(message);
    await mailer.send({ ...message, subject: 'Welcome again' });
    const outbox = join(dir, 'nested', 'outbox');
    expect(await readdir(outbox)).toEqual(['intro.6f1c.17@example.org.eml']);
    expect((await parseMessage(await readFile(join(outbox, 'intro.6f1c.17@example.org.eml')))).subject).toBe('Welcome again');
  });

  it('writes headers in ASCII (RFC 2047 encoded words) and declares UTF-8 bodies', async () => {
    const dir = await tempDir();
    await outboxDirMailer({ dir }).send(message);
    const raw = await readFile(join(dir, 'intro.6f1c.17@example.org.eml'));
    // Unfolded: long encoded headers continue on lines that start with a space.
    const head = raw.subarray(0, raw.indexOf('\r\n\r\n')).toString('latin1').replace(/\r\n[ \t]/g, ' ');
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]*$/);
    expect(head).toMatch(/^Subject: =\?UTF-8\?[QB]\?/im);
    expect(head).toMatch(/^To: =\?UTF-8\?[QB]\?.*<zoe@example\.org>$/im);
    expect(raw.toString('latin1')).toMatch(/Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: (quoted-printable|base64)/);
  });

  it('reports a directory that cannot be created as a permanent write failure', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'taken'), 'a file where the outbox should be');
    const mailer = outboxDirMailer({ dir: join(dir, 'taken'), composer: MailComposer });
    await expect(mailer.send(message)).rejects.toMatchObject({ name: 'MailerError', code: 'write_failed', transient: false });
  });

  it('keeps a message that may carry a password private: each .eml 0600, a folder it creates (with parents) 0700 (issue 27, finding 4)', async () => {
    const dir = await tempDir();
    const outbox = join(dir, 'new', 'outbox');
    const mailer = outboxDirMailer({ dir: outbox, composer: MailComposer });
    await mailer.send(message);
    // A resend replaces the file with a new one, which must be as private.
    await mailer.send({ ...message, subject: 'Welcome again' });
    await mailer.send({ ...message, messageId: '<intro.6f1c.18@example.org>' });
    expect((await stat(outbox)).mode & 0o777).toBe(0o700);
    const files = await emlFiles(outbox);
    expect(files).toHaveLength(2);
    for (const file of files) expect([file, (await stat(join(outbox, file))).mode & 0o777]).toEqual([file, 0o600]);
  });

  it('leaves the mode of an outbox folder that was there as it is, and still writes each .eml 0600', async () => {
    const dir = await tempDir();
    const outbox = join(dir, 'shared');
    await mkdir(outbox);
    await chmod(outbox, 0o755);
    await outboxDirMailer({ dir: outbox, composer: MailComposer }).send(message);
    expect((await stat(outbox)).mode & 0o777).toBe(0o755);
    expect((await stat(join(outbox, 'intro.6f1c.17@example.org.eml'))).mode & 0o777).toBe(0o600);
  });

  it('reports a composer that throws as a permanent failure and leaves no file behind', async () => {
    const dir = await tempDir();
    const broken = class {
      compile(): never {
        throw new Error('cannot compose');
      }
    };
    await expect(outboxDirMailer({ dir, composer: broken }).send(message)).rejects.toMatchObject({ code: 'send_failed', transient: false });
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('emlFileName', () => {
  it('names the file after the Message-ID without its brackets', () => {
    expect(emlFileName('<intro.6f1c.17@example.org>')).toBe('intro.6f1c.17@example.org.eml');
  });

  it('gives distinct Message-IDs distinct, portable names', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), (a, b) => {
        fc.pre(a !== b);
        const [x, y] = [emlFileName(`<${a}>`), emlFileName(`<${b}>`)];
        for (const name of [x, y]) {
          expect(name).toMatch(/^[A-Za-z0-9_@+=%~-][A-Za-z0-9_@+=%~.-]*\.eml$/);
          expect(name.length).toBeLessThanOrEqual(200);
        }
        expect(x).not.toBe(y);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });
});

import { parse } from 'csv-parse/sync';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMessage, startSmtpServer } from '../notify/smtp-test-server.js';
import { run } from './run-cli.js';

// Every command opens a PGlite database folder (seconds each): each test runs a few commands in a row on one.
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollcall-send-intro-cli-'));
});

afterAll(() => rm(root, { recursive: true, force: true }));

const noLeases = { count: 0, firstEndsAt: null, lastEndsAt: null };

function usersCsv(rows: readonly string[]): string {
  return ['First Name,Last Name,Email', ...rows].join('\r\n') + '\r\n';
}

async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

describe('rollcall import --send-intro and rollcall send-intro', { timeout: 180_000 }, () => {
  it('sends nothing for a failed import, writes one .eml per user after a successful one, and sends nothing twice', async () => {
    const cwd = join(root, 'outbox');
    await mkdir(cwd);
    await writeFile(join(cwd, 'bad.csv'), usersCsv(['Bea,Bad,bea@example.org', 'x,y,not-an-email']));
    await writeFile(join(cwd, 'users.csv'), usersCsv(['Zoë,Ångström,zoe@example.org', '李,小龍,li@example.org', 'Ada,Lovelace,ada@example.org']));

    const failed = await run(['import', 'bad.csv', '--db', 'db', '--send-intro', '--outbox', 'out', '--json'], { cwd });
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stdout)).toMatchObject({ imported: false });
    expect(JSON.parse(failed.stdout)).not.toHaveProperty('introductions');
    expect(await filesIn(join(cwd, 'out'))).toEqual([]);

    const imported = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--outbox', 'out', '--json'], { cwd });
    expect([imported.code, imported.stderr]).toEqual([0, '']);
    const output = JSON.parse(imported.stdout) as { importId: string; created: number; introductions: unknown };
    expect(output.created).toBe(3);
    expect(output.introductions).toEqual({ sent: 3, failed: 0, alreadySent: 0, leaseLost: 0, stopped: null, tookOver: 0, leased: noLeases, failures: [] });

    const again = await run(['send-intro', '--pending', '--db', 'db', '--outbox', 'out', '--json'], { cwd });
    expect([again.code, again.stderr]).toEqual([0, '']);
    expect(JSON.parse(again.stdout)).toEqual({ sent: 0, failed: 0, alreadySent: 3, leaseLost: 0, stopped: null, tookOver: 0, leased: noLeases, failures: [] });

    const files = await filesIn(join(cwd, 'out'));
    expect(files).toHaveLength(3);
    const messages = await Promise.all(files.map(async (name) => parseMessage(await readFile(join(cwd, 'out', name)))));
    expect(messages.map((m) => m.to.map((to) => to.address)).flat().sort()).toEqual(['ada@example.org', 'li@example.org', 'zoe@example.org']);
    for (const [i, message] of messages.entries()) {
      expect(files[i]).toBe(`${message.messageId.slice(1, -1)}.eml`);
      expect(message.messageId).toContain(output.importId);
      expect(message.from).toEqual({ name: '', address: 'rollcall@localhost' });
      expect(message.subject).toBe('Welcome to rollcall');
    }
    // The passwords stay in the results file: without --include-password no email carries one.
    const [resultsName] = (await readdir(cwd)).filter((name) => name.startsWith('rollcall-results-'));
    const rows: string[][] = parse(await readFile(join(cwd, resultsName ?? '')), { bom: true, from_line: 2 });
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      for (const message of messages) expect(`${message.text}${message.html}`).not.toContain(row[3]);
    }
  });

  it('sends through an SMTP server, reports refused recipients with exit 1 (import included: issue 27, finding 13), and a later run sends exactly the missing one', async () => {
    const cwd = join(root, 'smtp');
    await mkdir(cwd);
    const people = ['Zoë,Ångström,zoe@example.org', 'Ada,Lovelace,ada@example.org', 'Bob,Refused,bob@example.org', 'Li,Wei,li@example.org'];
    await writeFile(join(cwd, 'users.csv'), usersCsv(people));
    const server = await startSmtpServer();
    try {
      // Refused at the import's run and at the first send-intro, accepted at the next.
      server.refuse('bob@example.org', 'permanent', 2);
      const mail = [
        '--smtp',
        `smtp://127.0.0.1:${String(server.port)}`,
        '--sign-in-url',
        'https://acme.example/sign-in',
        '--from',
        'Acme <welcome@acme.example>',
        '--app-name',
        'Acme',
      ];

      const imported = await run(['import', 'users.csv', '--db', 'db', '--send-intro', '--include-password', ...mail], { cwd });
      // Imported, but not every introduction went out: not a full success.
      expect([imported.code, imported.stderr]).toEqual([1, '']);
      expect(imported.stdout).toContain('Your import was successful: 4 users created.');
      expect(imported.stdout).toContain('Introductions: 3 sent to smtp://127.0.0.1:');
      expect(imported.stdout).toContain('1 failed');
      expect(imported.stdout).toContain('  bob@example.org: ');
      const importId = /rollcall send-intro --import ([0-9a-f-]{36})/u.exec(imported.stdout)?.[1] ?? '';
      expect(importId).not.toBe('');

      const refused = await run(['send-intro', '--import', importId, '--db', 'db', '--json', ...mail], { cwd });
      expect([refused.code, refused.stderr]).toEqual([1, '']);
      const report = JSON.parse(refused.stdout) as { failures: { email: string; error: string }[] };
      expect(report).toMatchObject({ sent: 0, failed: 1, alreadySent: 3 });
      expect(report.failures.map((f) => f.email)).toEqual(['bob@example.org']);
      expect(report.failures[0]?.error).toContain('No such user');

      const completed = await run(['send-intro', '--import', importId, '--db', 'db', '--json', ...mail], { cwd });
      expect([completed.code, completed.stderr]).toEqual([0, '']);
      expect(JSON.parse(completed.stdout)).toMatchObject({ sent: 1, failed: 0, alreadySent: 3 });

      const received = await server.received();
      const recipients = received.flatMap((m) => m.to.map((to) => to.address)).sort();
      expect(recipients).toEqual(['ada@example.org', 'bob@example.org', 'li@example.org', 'zoe@example.org']);
      expect(server.arrivals.flatMap((a) => a.envelopeTo).sort()).toEqual(recipients);
      for (const message of received) {
        expect(message.from).toEqual({ name: 'Acme', address: 'welcome@acme.example' });
        expect(message.subject).toBe('Welcome to Acme');
        expect(message.text).toContain('https://acme.example/sign-in');
      }

      // --include-password puts each password into the email sent with the import; the store keeps only
      // hashes, so the email sent later (to bob) has none.
      const [resultsName] = (await readdir(cwd)).filter((name) => name.startsWith('rollcall-results-'));
      const rows: string[][] = parse(await readFile(join(cwd, resultsName ?? '')), { bom: true, from_line: 2 });
      expect(rows).toHaveLength(4);
      for (const [, , email, password] of rows) {
        const message = received.find((m) => m.to[0]?.address === email);
        if (email === 'bob@example.org') expect(message?.text).not.toContain(password);
        else expect(message?.text).toContain(password);
      }
    } finally {
      await server.close();
    }
  });

  it('issue 27 finding 1: an introduction to juergen@müller.de is sent once over three runs, recorded as sent', async () => {
    const cwd = join(root, 'idn');
    await mkdir(cwd);
    await writeFile(join(cwd, 'idn.csv'), usersCsv(['Jürgen,Müller,juergen@müller.de']));
    const server = await startSmtpServer();
    try {
      const mail = ['--smtp', `smtp://127.0.0.1:${String(server.port)}`, '--sign-in-url', 'http://x/'];
      const imported = await run(['import', 'idn.csv', '--db', 'db', '--results', 'res.csv', '--send-intro', ...mail, '--json'], { cwd });
      expect([imported.code, imported.stderr]).toEqual([0, '']);
      expect(JSON.parse(imported.stdout)).toMatchObject({ created: 1, introductions: { sent: 1, failed: 0 } });
      for (let i = 0; i < 2; i++) {
        const again = await run(['send-intro', '--pending', '--db', 'db', '--json', ...mail], { cwd });
        expect([again.code, again.stderr]).toEqual([0, '']);
        expect(JSON.parse(again.stdout)).toMatchObject({ sent: 0, failed: 0, failures: [] });
      }
      // One SMTP message over the three runs (smtp-server shows the envelope's domain in Unicode).
      expect(server.arrivals.map((a) => a.envelopeTo)).toEqual([['juergen@müller.de']]);
    } finally {
      await server.close();
    }
  });

  it('refuses options it cannot use before opening anything', async () => {
    const cwd = join(root, 'usage');
    const cases: [readonly string[], string][] = [
      [['send-intro', '--db', 'db'], 'give --import ID or --pending'],
      [['send-intro', '--pending', '--import', 'x', '--db', 'db'], 'give --import ID or --pending'],
      [['send-intro', '--pending', '--outbox', 'o', '--smtp', 'smtp://localhost'], 'give --outbox or --smtp, not both'],
      [['send-intro', '--pending', '--smtp', 'smtp://localhost:25'], '--smtp needs --sign-in-url'],
      [['send-intro', '--pending', '--smtp', 'http://localhost', '--sign-in-url', 'https://a.example'], '--smtp takes an smtp://'],
      [['send-intro', '--pending', '--from', 'not an address'], '--from takes an address'],
      [['send-intro', '--pending', '--sign-in-url', 'javascript:alert(1)'], '--sign-in-url takes an http://'],
      [['import', 'users.csv', '--outbox', 'o'], '--outbox needs --send-intro'],
      [['import', 'users.csv', '--include-password'], '--include-password needs --send-intro'],
    ];
    for (const [argv, message] of cases) {
      const { code, stderr } = await run(argv, { cwd });
      expect([argv, code]).toEqual([argv, 2]);
      expect(stderr).toContain(message);
    }
    expect(await filesIn(cwd)).toEqual([]);
  });
});

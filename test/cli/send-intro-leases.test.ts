// Finding 5 of issue 27: after a sender was killed, `send-intro --pending` said "0 sent, 0 failed" and exited 0
// while the dead sender's claimed introductions waited out its 5-minute lease, unmentioned. A real sending
// process is SIGKILLed between claiming and sending (test/notify/fixtures/send-child.ts, as the kill test
// runs it); the command then reports what that lease holds, and with --take-over sends it, each user once.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';
import { startSmtpServer } from '../notify/smtp-test-server.js';
import { run } from './run-cli.js';

const count = 12;
const leaseMs = 300_000; // the default lease: the operator would wait five minutes
let work = '';
let child = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-leases-'));
  child = join(bundleFolder, `send-child-leases-${String(process.pid)}.mjs`);
  await bundleForNode(join(import.meta.dirname, '..', 'notify', 'fixtures', 'send-child.ts'), child);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(child, { force: true });
});

/** Starts the sending child on `dir` and SIGKILLs it when it is about to send its `nth` message. */
async function killWhileSending(dir: string, port: number, nth: number): Promise<void> {
  const proc = spawn(process.execPath, [child], {
    env: {
      ...process.env,
      DB_DIR: dir,
      SMTP_PORT: String(port),
      KILL_AT: 'before-send',
      KILL_NTH: String(nth),
      COUNT: String(count),
      CONCURRENCY: '1',
      LEASE_MS: String(leaseMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_, signal) => { resolve(signal); }));
  createInterface({ input: proc.stdout }).on('line', (line) => {
    if (line.startsWith('sending ')) proc.kill('SIGKILL');
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the sender was not killed (signal ${String(signal)}): ${stderr}`);
}

describe('send-intro after a sender was killed holding leases (issue 27, finding 5)', { timeout: 240_000 }, () => {
  it('reports the introductions a dead sender leased, and --take-over sends them, each user once', async () => {
    const dir = join(work, 'db');
    const db = new PGlite(dir);
    await migratePostgresStore(db);
    await db.close();
    const server = await startSmtpServer();
    try {
      await killWhileSending(dir, server.port, 7);
      const atKill = new PGlite(dir);
      const statuses = (await postgresStore({ client: atKill }).outbox.list()).map((i) => i.status);
      await atKill.close();
      const leased = statuses.filter((s) => s === 'sending').length;
      const pending = statuses.filter((s) => s === 'pending').length;
      expect(leased).toBeGreaterThan(0);
      expect(statuses.filter((s) => s === 'sent')).toHaveLength(count - leased - pending);

      const mail = [
        '--db', 'db', '--smtp', `smtp://127.0.0.1:${String(server.port)}`, '--sign-in-url', 'https://acme.example/sign-in',
        '--from', 'Acme Accounts <welcome@acme.example>',
      ];
      const text = await run(['send-intro', '--pending', ...mail], { cwd: work });
      expect([text.code, text.stderr]).toEqual([1, '']);
      expect(text.stdout).toContain(`Introductions: ${String(pending)} sent`);
      expect(text.stdout).toMatch(new RegExp(`${String(leased)} introductions? (is|are) held by another sender's lease until \\d{4}-`));
      expect(text.stdout).toContain('send them now with: rollcall send-intro --pending --take-over');

      const before = Date.now();
      const json = await run(['send-intro', '--pending', '--json', ...mail], { cwd: work });
      expect([json.code, json.stderr]).toEqual([1, '']);
      const report = JSON.parse(json.stdout) as { sent: number; tookOver: number; leased: { count: number; firstEndsAt: string; lastEndsAt: string } };
      expect([report.sent, report.tookOver, report.leased.count]).toEqual([0, 0, leased]);
      // The dead sender's lease is still running, and ends within the lease it was given.
      expect(Date.parse(report.leased.firstEndsAt)).toBeGreaterThan(before);
      expect(Date.parse(report.leased.lastEndsAt)).toBeLessThanOrEqual(before + leaseMs);

      const takeOver = await run(['send-intro', '--pending', '--take-over', '--json', ...mail], { cwd: work });
      expect([takeOver.code, takeOver.stderr]).toEqual([0, '']);
      expect(JSON.parse(takeOver.stdout)).toMatchObject({
        sent: leased, failed: 0, tookOver: leased, leased: { count: 0, firstEndsAt: null, lastEndsAt: null },
      });

      // The killed sender stopped before sending its 7th message: every user got exactly one introduction.
      const recipients = server.arrivals.flatMap((a) => a.envelopeTo).sort();
      expect(recipients).toEqual(Array.from({ length: count }, (_, i) => `user${String(i + 1)}@example.org`).sort());
    } finally {
      await server.close();
    }
  });
});

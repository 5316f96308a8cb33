// A sending process is SIGKILLed (after the import committed, between claiming and sending, while the
// server reads a message, and after the server accepted one but before it was marked). A later run on the
// same file-backed PGlite completes the set; the SMTP server receives no message twice, except in the one
// documented window, where the copy carries the same Message-ID.
//
// The child runs test/notify/fixtures/send-child.ts, bundled here with esbuild (which tsup brings) into
// node_modules/.cache, so that its external packages resolve from the project's node_modules.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PGlite } from '@electric-sql/pglite';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/adapters/mailer/smtp.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { IntroductionStatus } from '../../src/adapters/store/types.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';
import { parseMessage, startSmtpServer } from './smtp-test-server.js';
import { bundleFolder, bundleForNode } from '../helpers/node-bundle.js';

const count = 12;
// Long enough that a cold first send (seconds on a busy machine) leaves the half-lease in which a try may
// start; the rerun waits this long after the kill.
const leaseMs = 6000;
let work = '';
let child = '';
let template = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'rollcall-kill-'));
  child = join(bundleFolder, `send-child-${String(process.pid)}.mjs`);
  await bundleForNode(join(import.meta.dirname, 'fixtures', 'send-child.ts'), child);
  // A migrated database to copy for each case: creating one takes seconds, copying it does not.
  template = join(work, 'template');
  const db = new PGlite(template);
  await migratePostgresStore(db);
  await db.close();
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(child, { force: true });
});

type KillAt = 'after-commit' | 'before-send' | 'mid-data' | 'after-accept';

interface Killed {
  /** The child's line that triggered the kill (`accepted <id>` for after-accept). */
  readonly trigger: string;
  /** Message-IDs the server accepted before the child died. */
  readonly arrivedBefore: readonly string[];
  /** Each introduction's status when the database was reopened, by email. */
  readonly statusAtKill: ReadonlyMap<string, IntroductionStatus>;
  /** Message-IDs by recipient after the rerun, in order of arrival. */
  readonly arrived: ReadonlyMap<string, string[]>;
  /** The Message-ID each introduction was recorded with, by email. */
  readonly recorded: ReadonlyMap<string, string | null>;
}

/** Runs the child until it reaches `killAt`, SIGKILLs it, waits for its leases to run out, and reruns. */
async function killAndRerun(killAt: KillAt, concurrency: number): Promise<Killed> {
  const dir = join(work, `${killAt}-${String(concurrency)}`);
  await cp(template, dir, { recursive: true });
  const server = await startSmtpServer();
  try {
    const proc = spawn(process.execPath, [child], {
      env: {
        ...process.env,
        DB_DIR: dir,
        SMTP_PORT: String(server.port),
        KILL_AT: killAt,
        KILL_NTH: '7',
        COUNT: String(count),
        CONCURRENCY: String(concurrency),
        LEASE_MS: String(leaseMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => {
      proc.on('exit', (_, signal) => {
        resolve(signal);
      });
    });

    let trigger = '';
    if (killAt === 'mid-data') {
      // The server holds the 7th message unanswered and kills the sender while it waits for the reply.
      server.onData((seen) => {
        if (seen !== 7) return 'accept';
        trigger = 'holding the 7th message';
        proc.kill('SIGKILL');
        return 'hold';
      });
    } else {
      const expected = killAt === 'after-commit' ? 'committed' : killAt === 'before-send' ? 'sending ' : 'accepted ';
      createInterface({ input: proc.stdout }).on('line', (line) => {
        if (!line.startsWith(expected) || trigger !== '') return;
        trigger = line;
        proc.kill('SIGKILL');
      });
    }
    const signal = await exited;
    if (signal !== 'SIGKILL') throw new Error(`the child was not killed (signal ${String(signal)}): ${stderr}`);
    const arrivedBefore = await Promise.all(server.arrivals.map(async (a) => (await parseMessage(a.raw)).messageId));

    const db = new PGlite(dir);
    try {
      const store = postgresStore({ client: db });
      const statusAtKill = new Map((await store.outbox.list()).map((i) => [i.email, i.status]));
      if ([...statusAtKill.values()].includes('sending')) {
        await new Promise((resolve) => setTimeout(resolve, leaseMs + 100)); // until the dead sender's leases run out
      }
      const mailer = smtpMailer({
        transport: nodemailer.createTransport({ host: '127.0.0.1', port: server.port, ignoreTLS: true, pool: true }),
      });
      const rerun = await sendIntroductions(store, {
        mailer,
        from: { name: 'Acme Accounts', address: 'welcome@acme.example' },
        appName: 'Acme',
        signInUrl: 'https://acme.example/sign-in',
      });
      await mailer.close();
      expect(rerun.failed + rerun.notAttempted + rerun.leaseLost).toBe(0);
      const stored = await store.outbox.list();
      expect(stored.map((i) => i.status)).toEqual(stored.map(() => 'sent'));

      const arrived = new Map<string, string[]>();
      for (const arrival of server.arrivals) {
        const { messageId } = await parseMessage(arrival.raw);
        for (const to of arrival.envelopeTo) arrived.set(to, [...(arrived.get(to) ?? []), messageId]);
      }
      return { trigger, arrivedBefore, statusAtKill, arrived, recorded: new Map(stored.map((i) => [i.email, i.messageId])) };
    } finally {
      await db.close();
    }
  } finally {
    await server.close();
  }
}

/** Every recipient got the message, every copy with the one recorded Message-ID: a de-duplicating receiver sees each once. */
function expectCompleteAndDeduplicable(killed: Killed): void {
  expect(killed.arrived.size).toBe(count);
  for (const [email, ids] of killed.arrived) expect(new Set(ids)).toEqual(new Set([killed.recorded.get(email)]));
}

/** Recipients that received more than one message. */
function duplicated(killed: Killed): string[] {
  return [...killed.arrived].filter(([, ids]) => ids.length > 1).map(([email]) => email);
}

describe('sendIntroductions when the sending process is killed', () => {
  it('after the import committed, before sending: nothing is lost, and the rerun sends each once', async () => {
    const killed = await killAndRerun('after-commit', 1);
    expect([...killed.statusAtKill.values()]).toEqual(Array.from({ length: count }, () => 'pending'));
    expectCompleteAndDeduplicable(killed);
    expect(duplicated(killed)).toEqual([]);
  });

  it('between claiming and sending: the claimed ones wait for their lease, then go out once', async () => {
    const killed = await killAndRerun('before-send', 1);
    const statuses = [...killed.statusAtKill.values()];
    // How far the sender got before the kill depends on scheduling (a busy CI machine ran 5 claimed, not 4):
    // what matters is that claimed ones were left behind, nothing was lost, and the rerun sent each once.
    expect(statuses.filter((s) => s === 'sending').length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 'failed')).toEqual([]);
    expect(statuses).toHaveLength(count);
    expectCompleteAndDeduplicable(killed);
    expect(duplicated(killed)).toEqual([]);
  });

  it('while the server reads a message it has not accepted: that one is sent once, by the rerun', async () => {
    const killed = await killAndRerun('mid-data', 1);
    expect(killed.arrivedBefore).toHaveLength(6);
    expectCompleteAndDeduplicable(killed);
    expect(duplicated(killed)).toEqual([]);
  });

  it('after the server accepted a message but before it was marked: the one unavoidable copy carries the same Message-ID', async () => {
    const killed = await killAndRerun('after-accept', 1);
    const messageId = killed.trigger.replace(/^accepted /, '');
    const [email] = [...killed.recorded].find(([, id]) => id === messageId) ?? [];
    expect(killed.statusAtKill.get(email ?? '')).toBe('sending');
    expect(duplicated(killed)).toEqual([email]);
    expect(killed.arrived.get(email ?? '')).toEqual([messageId, messageId]);
    expectCompleteAndDeduplicable(killed);
  });

  it('with four messages in flight: copies occur only for messages accepted before the kill and not yet marked', async () => {
    const killed = await killAndRerun('mid-data', 4);
    expectCompleteAndDeduplicable(killed);
    for (const email of duplicated(killed)) {
      expect(killed.statusAtKill.get(email)).toBe('sending');
      expect(killed.arrivedBefore).toContain(killed.recorded.get(email));
      expect(killed.arrived.get(email)).toHaveLength(2);
    }
  });
});

// sendIntroductions against a real SMTP server on loopback, with the faults a server produces: refused
// recipients, no server at all, connections dropped in the middle of a batch. Each runs on the memory
// store and on the PostgreSQL store over PGlite.
import { PGlite } from '@electric-sql/pglite';
import nodemailer from 'nodemailer';
import { afterAll, describe, expect, it } from 'vitest';
import { smtpMailer } from '../../src/adapters/mailer/smtp.js';
import { memoryStore } from '../../src/adapters/store/memory.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { OutboxTransaction, UserStore } from '../../src/adapters/store/types.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';
import type { SendIntroductionsOptions } from '../../src/notify/send-options.js';
import { people, seedImport } from './seed.js';
import { parseMessage, startSmtpServer, type TestSmtpServer } from './smtp-test-server.js';

type OutboxStore = UserStore & {
  readonly outbox: NonNullable<UserStore['outbox']>;
  transaction<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
};

// One PGlite for the file (starting one takes seconds); each test gets its own schema.
const db = new PGlite();
afterAll(() => db.close());
let schemas = 0;

const stores: [string, () => Promise<OutboxStore>][] = [
  ['the memory store', () => Promise.resolve(memoryStore())],
  [
    'postgresStore on PGlite',
    async () => {
      schemas += 1;
      const schema = `rollcall_notify_${String(schemas)}`;
      await migratePostgresStore(db, { schema });
      return postgresStore({ client: db, schema });
    },
  ],
];

function smtpTo(port: number, transport: { maxRequeues?: number } = {}) {
  return smtpMailer({
    transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, ...transport }),
  });
}

function options(mailer: SendIntroductionsOptions['mailer'], extra: Partial<SendIntroductionsOptions> = {}): SendIntroductionsOptions {
  return {
    mailer,
    from: { name: 'Acme Accounts', address: 'welcome@acme.example' },
    appName: 'Acme',
    signInUrl: 'https://acme.example/sign-in',
    backoff: { baseMs: 5, jitter: 0 },
    ...extra,
  };
}

/** Message-IDs that arrived, by envelope recipient; a duplicate shows as a repeated entry. */
async function arrivedByRecipient(server: TestSmtpServer): Promise<Map<string, string[]>> {
  const byRecipient = new Map<string, string[]>();
  for (const arrival of server.arrivals) {
    const { messageId } = await parseMessage(arrival.raw);
    for (const to of arrival.envelopeTo) byRecipient.set(to, [...(byRecipient.get(to) ?? []), messageId]);
  }
  return byRecipient;
}

/** Every seeded recipient got exactly one message, carrying the Message-ID the outbox recorded. */
async function expectEachDeliveredOnce(store: OutboxStore, server: TestSmtpServer, count: number): Promise<void> {
  const stored = await store.outbox.list();
  expect(stored.map((i) => i.status)).toEqual(stored.map(() => 'sent'));
  const arrived = await arrivedByRecipient(server);
  expect(arrived.size).toBe(count);
  for (const introduction of stored) expect(arrived.get(introduction.email)).toEqual([introduction.messageId]);
}

async function withServer(body: (server: TestSmtpServer) => Promise<void>): Promise<void> {
  const server = await startSmtpServer();
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

describe.each(stores)('sendIntroductions over SMTP, on %s', (_, makeStore) => {
  it('fails recipients refused with 550 at once, and retries one refused with 451 until it is accepted', () =>
    withServer(async (server) => {
      const store = await makeStore();
      await seedImport(store, 'import-1', people(8));
      server.refuse('user3@example.org', 'permanent');
      server.refuse('user7@example.org', 'permanent');
      server.refuse('user5@example.org', 'transient', 2);
      const mailer = smtpTo(server.port);
      const result = await sendIntroductions(store, options(mailer, { retries: 3 }));
      expect(result).toEqual({
        sent: 6, failed: 2, notAttempted: 0, leaseLost: 0, alreadySent: 0, stopped: null, tookOver: 0,
        leased: { count: 0, firstEndsAt: null, lastEndsAt: null },
      });
      expect([3, 5, 7].map((n) => server.rcptAttempts(`user${String(n)}@example.org`))).toEqual([1, 3, 1]);
      const failed = await store.outbox.list({ status: 'failed' });
      expect(failed.map((i) => i.email)).toEqual(['user3@example.org', 'user7@example.org']);
      for (const i of failed) expect(i.error).toMatch(/550 5\.1\.1 No such user here/);

      // Still refused: tried once more, still failed. Then accepted: exactly those two are sent.
      expect((await sendIntroductions(store, options(mailer))).failed).toBe(2);
      expect(server.rcptAttempts('user3@example.org')).toBe(2);
      server.refuse('user3@example.org', 'permanent', 0);
      server.refuse('user7@example.org', 'permanent', 0);
      expect(await sendIntroductions(store, options(mailer))).toMatchObject({ sent: 2, failed: 0, alreadySent: 6 });
      await mailer.close();
      await expectEachDeliveredOnce(store, server, 8);
    }));

  it('keeps the users and records failures when the server is down, and a later run sends exactly those', async () => {
    const store = await makeStore();
    await seedImport(store, 'import-1', people(30));
    const gone = await startSmtpServer();
    await gone.close(); // nothing listens on its port any more: connections are refused
    const down = smtpTo(gone.port);
    const first = await sendIntroductions(store, options(down, { retries: 1 }));
    await down.close();
    expect([first.sent, first.stopped]).toEqual([0, 'mailer_unavailable']);
    const counts = await store.outbox.count();
    expect([counts.sent, counts.sending, counts.failed + counts.pending]).toEqual([0, 0, 30]);
    expect(counts.failed).toBe(first.failed + first.notAttempted);
    expect((await store.findExistingEmails(people(30).map((p) => p.email))).size).toBe(30);

    await withServer(async (server) => {
      const mailer = smtpTo(server.port);
      expect(await sendIntroductions(store, options(mailer))).toMatchObject({ sent: 30, failed: 0, stopped: null });
      await mailer.close();
      await expectEachDeliveredOnce(store, server, 30);
    });
  });

  it('sends each message once when the server drops connections mid-batch (the pool resends what was not accepted)', () =>
    withServer(async (server) => {
      const store = await makeStore();
      await seedImport(store, 'import-1', people(20));
      server.onData((seen) => (seen === 5 || seen === 12 ? 'drop' : 'accept'));
      const mailer = smtpTo(server.port);
      expect(await sendIntroductions(store, options(mailer))).toMatchObject({ sent: 20, failed: 0 });
      await mailer.close();
      await expectEachDeliveredOnce(store, server, 20);
    }));

  it('fails the messages whose connection dropped once tries run out, and a later run sends exactly those', () =>
    withServer(async (server) => {
      const store = await makeStore();
      await seedImport(store, 'import-1', people(20));
      const dropped: string[] = [];
      server.onData((seen, to) => {
        if (seen !== 5 && seen !== 12) return 'accept';
        dropped.push(...to);
        return 'drop';
      });
      const once = smtpTo(server.port, { maxRequeues: 0 });
      const first = await sendIntroductions(store, options(once, { retries: 0 }));
      await once.close();
      expect([first.sent, first.failed]).toEqual([18, 2]);
      const failed = await store.outbox.list({ status: 'failed' });
      expect(failed.map((i) => i.email).sort()).toEqual([...dropped].sort());

      server.onData(() => 'accept');
      const mailer = smtpTo(server.port);
      expect(await sendIntroductions(store, options(mailer))).toMatchObject({ sent: 2, alreadySent: 18 });
      await mailer.close();
      await expectEachDeliveredOnce(store, server, 20);
    }));
});

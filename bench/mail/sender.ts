// One run of the mail benchmark's sender, in its own process: fills a memory store's outbox with N
// introductions (users and introductions committed in one transaction, as an import does), then sends them
// with `sendIntroductions` through the SMTP mailer over a nodemailer transport to the sink on PORT, pooled or
// with one connection per message. Prints one JSON line ({@link SenderReport}).
// With --probe, a full collection at each tenth of the messages measures the heap the run holds alive as it
// goes (the collections change when V8 collects, so the other figures of such a run are not comparable).
// Usage: node --expose-gc sender.js --mode pooled|per-message --n 10000 --port PORT [--concurrency 4] [--probe]
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import nodemailer from 'nodemailer';
import { sendIntroductions, smtpMailer, type SendIntroductionsResult } from '../../src/mailers.js';
import { memoryStore, type NewUser } from '../../src/stores.js';

/** What one sender process measured. */
export interface SenderReport {
  readonly mode: 'pooled' | 'per-message';
  readonly n: number;
  /** Wall time of `sendIntroductions` (seeding excluded). */
  readonly seconds: number;
  /** CPU time (user + system) of this process during `sendIntroductions`. */
  readonly cpuSeconds: number;
  readonly result: SendIntroductionsResult;
  /** The outbox's counts after the run. */
  readonly outbox: { pending: number; sending: number; sent: number; failed: number };
  /** Bytes of JavaScript heap in use after a full collection: before seeding, after seeding, after sending. */
  readonly heapBefore: number;
  readonly heapSeeded: number;
  readonly heapAfter: number;
  /** The most heap in use seen while sending (sampled every 10 ms, no forced collection). */
  readonly heapPeak: number;
  /** Resident set size after seeding and the process's peak (bytes). */
  readonly rssSeeded: number;
  readonly rssPeak: number;
  /** With --probe: heap in use after a full collection at each tenth of the messages handled. */
  readonly liveHeap: readonly number[];
}

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'pooled' },
    n: { type: 'string', default: '10000' },
    port: { type: 'string' },
    concurrency: { type: 'string', default: '4' },
    probe: { type: 'boolean', default: false },
  },
});
const mode = values.mode === 'per-message' ? 'per-message' : 'pooled';
const n = Number(values.n);
const port = Number(values.port);
const concurrency = Number(values.concurrency);
if (!Number.isSafeInteger(n) || !Number.isSafeInteger(port)) throw new Error('usage: sender.js --mode M --n N --port PORT');

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();
const heapUsed = (): number => getHeapStatistics().used_heap_size;

collect();
const heapBefore = heapUsed();

// The users of one import and their introductions, committed together; names need encoding in headers.
const store = memoryStore();
const importId = 'bench-import';
const expiresAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
const firstNames = ['Zoë', '李', 'Ana', 'Jürgen', 'Ólafur'];
const users: NewUser[] = Array.from({ length: n }, (_, i) => {
  const email = `user${String(i + 1)}@example.org`;
  return {
    email,
    emailKey: email,
    firstName: firstNames[i % firstNames.length] ?? 'Ana',
    lastName: `Ñúñez-${String(i + 1)}`,
    attributes: {},
    credential: { kind: 'password', hash: 'hash', mustChange: true, expiresAt },
    importId,
    row: i + 2,
  };
});
await store.transaction(async (tx) => {
  const created = await tx.createUsers(users);
  await tx.enqueueIntroductions(
    created.map((c, i) => {
      const user = users[i]!;
      return { importId, userId: c.id, email: user.email, firstName: user.firstName, lastName: user.lastName };
    }),
  );
});
users.length = 0;
collect();
const heapSeeded = heapUsed();
const rssSeeded = process.memoryUsage.rss();

const transport = nodemailer.createTransport(
  mode === 'pooled'
    ? { host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: concurrency }
    : { host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: false },
);
const mailer = smtpMailer({ transport });

const liveHeap: number[] = [];
let handled = 0;
const tenth = Math.max(1, Math.floor(n / 10));
const probe = (): void => {
  handled += 1;
  if (handled % tenth === 0) {
    collect();
    liveHeap.push(heapUsed());
  }
};

let heapPeak = 0;
const sampler = setInterval(() => {
  heapPeak = Math.max(heapPeak, heapUsed());
}, 10);
const cpuStart = process.cpuUsage();
const start = performance.now();
const result = await sendIntroductions(store, {
  mailer,
  from: { name: 'Acme Accounts', address: 'welcome@acme.example' },
  appName: 'Acme',
  signInUrl: 'https://acme.example/sign-in',
  importId,
  concurrency,
  ...(values.probe ? { onResult: probe } : {}),
});
const seconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
clearInterval(sampler);
heapPeak = Math.max(heapPeak, heapUsed());
await mailer.close();

const outbox = await store.outbox.count({ importId });
collect();
const report: SenderReport = {
  mode,
  n,
  seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  result,
  outbox,
  heapBefore,
  heapSeeded,
  heapAfter: heapUsed(),
  heapPeak,
  rssSeeded,
  rssPeak: process.resourceUsage().maxRSS * 1024,
  liveHeap,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
// Pooled sockets may linger a moment after close; the report is out, so leave now.
process.exit(0);

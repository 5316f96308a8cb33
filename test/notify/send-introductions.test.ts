import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryMailer, type MemoryMailer } from '../../src/adapters/mailer/memory.js';
import type { IntroductionMessage, Mailer } from '../../src/adapters/mailer/types.js';
import { memoryStore, type MemoryStore } from '../../src/adapters/store/memory.js';
import type { UserStore } from '../../src/adapters/store/types.js';
import { sendIntroductions } from '../../src/notify/send-introductions.js';
import type { IntroductionResult, SendIntroductionsOptions } from '../../src/notify/send-options.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { people, seedImport } from './seed.js';

function options(mailer: Mailer, extra: Partial<SendIntroductionsOptions> = {}): SendIntroductionsOptions {
  return {
    mailer,
    from: { name: 'Acme Accounts', address: 'welcome@acme.example' },
    appName: 'Acme',
    signInUrl: 'https://acme.example/sign-in',
    backoff: { baseMs: 0, jitter: 0 },
    ...extra,
  };
}

async function storeWith(count: number, importId = 'import-1'): Promise<MemoryStore> {
  const store = memoryStore();
  await seedImport(store, importId, people(count));
  return store;
}

/** What a run reports when no other sender holds a lease and it took none over. */
const nothingLeased = { tookOver: 0, leased: { count: 0, firstEndsAt: null, lastEndsAt: null } } as const;

/** How many messages each address received. */
function deliveries(mailer: MemoryMailer): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of mailer.messages) counts.set(m.to.address, (counts.get(m.to.address) ?? 0) + 1);
  return counts;
}

describe('sendIntroductions', () => {
  it('sends every pending introduction once and marks it sent with its Message-ID', async () => {
    const store = await storeWith(60);
    const mailer = memoryMailer();
    const result = await sendIntroductions(store, options(mailer));
    expect(result).toEqual({ sent: 60, failed: 0, notAttempted: 0, leaseLost: 0, alreadySent: 0, stopped: null, ...nothingLeased });
    expect([...deliveries(mailer).values()]).toEqual(Array.from({ length: 60 }, () => 1));
    const stored = await store.outbox.list();
    // The memory store's ids are UUIDs, which need no encoding in a Message-ID.
    expect(stored.map((i) => [i.status, i.messageId])).toEqual(stored.map((i) => ['sent', `<intro.import-1.${i.id}@acme.example>`]));
    expect(new Set(mailer.messages.map((m) => m.messageId))).toEqual(new Set(stored.map((i) => i.messageId)));
  });

  it('addresses the message to the user by full name, from the sender, with the template content', async () => {
    const store = memoryStore();
    await seedImport(store, 'import-1', [{ firstName: 'Zoë', lastName: 'Ñúñez-Ødegård', email: 'Zoe@Example.org' }]);
    const mailer = memoryMailer();
    await sendIntroductions(store, options(mailer));
    const [message] = mailer.messages;
    expect(message?.from).toEqual({ name: 'Acme Accounts', address: 'welcome@acme.example' });
    expect(message?.to).toEqual({ name: 'Zoë Ñúñez-Ødegård', address: 'Zoe@Example.org' });
    expect(message?.subject).toBe('Welcome to Acme');
    expect(message?.text).toMatch(/^Hello Zoë,\n/);
  });

  it('sends nothing on a second run, and reports those as already sent', async () => {
    const store = await storeWith(10);
    const mailer = memoryMailer();
    await sendIntroductions(store, options(mailer));
    const again = await sendIntroductions(store, options(mailer));
    expect(again).toEqual({ sent: 0, failed: 0, notAttempted: 0, leaseLost: 0, alreadySent: 10, stopped: null, ...nothingLeased });
    expect(mailer.messages).toHaveLength(10);
  });

  it("sends only the given import's introductions", async () => {
    const store = memoryStore();
    await seedImport(store, 'import-1', people(5, 1));
    await seedImport(store, 'import-2', people(7, 100));
    const mailer = memoryMailer();
    expect((await sendIntroductions(store, options(mailer, { importId: 'import-2' }))).sent).toBe(7);
    expect(await store.outbox.count({ importId: 'import-1' })).toEqual({ pending: 5, sending: 0, sent: 0, failed: 0 });
    expect((await sendIntroductions(store, options(mailer))).sent).toBe(5);
  });

  it('retries a transient failure within the claim and sends it', async () => {
    const store = await storeWith(3);
    const mailer = memoryMailer();
    mailer.fail('user2@example.org', { transient: true, times: 2 });
    const result = await sendIntroductions(store, options(mailer, { retries: 3 }));
    expect(result.sent).toBe(3);
    expect(mailer.attempts('user2@example.org')).toBe(3);
    expect((await store.outbox.list()).map((i) => [i.status, i.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
  });

  it('gives up on a permanent failure at once and records the reason', async () => {
    const store = await storeWith(3);
    const mailer = memoryMailer();
    mailer.fail('user2@example.org', { transient: false });
    const results: IntroductionResult[] = [];
    const result = await sendIntroductions(store, options(mailer, { onResult: (r) => results.push(r) }));
    expect([result.sent, result.failed]).toEqual([2, 1]);
    expect(mailer.attempts('user2@example.org')).toBe(1);
    const [failed] = await store.outbox.list({ status: 'failed' });
    expect([failed?.email, failed?.error]).toEqual(['user2@example.org', '550 refused by the memory mailer: user2@example.org']);
    expect(results.find((r) => r.status === 'failed')).toMatchObject({
      introduction: { email: 'user2@example.org' },
      error: '550 refused by the memory mailer: user2@example.org',
      attempts: 1,
    });
  });

  it('records a transient failure that outlasts its retries as failed, after retries + 1 tries', async () => {
    const store = await storeWith(2);
    const mailer = memoryMailer();
    mailer.fail('user1@example.org', { transient: true });
    const result = await sendIntroductions(store, options(mailer, { retries: 2 }));
    expect([result.sent, result.failed]).toEqual([1, 1]);
    expect(mailer.attempts('user1@example.org')).toBe(3);
  });

  it('tries each introduction once per run, though a retryFailed claim takes its failures again (they are held, then put back)', async () => {
    const store = await storeWith(40);
    const mailer = memoryMailer();
    for (let n = 1; n <= 40; n += 2) mailer.fail(`user${String(n)}@example.org`, { transient: false });
    const result = await sendIntroductions(store, options(mailer, { batchSize: 4, concurrency: 2, retryFailed: true }));
    expect([result.sent, result.failed, result.notAttempted]).toEqual([20, 20, 0]);
    for (let n = 1; n <= 40; n += 1) expect(mailer.attempts(`user${String(n)}@example.org`)).toBe(1);
    expect(await store.outbox.count()).toEqual({ pending: 0, sending: 0, sent: 20, failed: 20 });
    const failed = await store.outbox.list({ status: 'failed' });
    expect(failed.every((i) => i.error === `550 refused by the memory mailer: ${i.email}`)).toBe(true);
  });

  it('resends only the failed ones on a later run', async () => {
    const store = await storeWith(6);
    const mailer = memoryMailer();
    mailer.fail('user2@example.org', { transient: false, times: 1 });
    mailer.fail('user5@example.org', { transient: true, times: 4 });
    const first = await sendIntroductions(store, options(mailer, { retries: 3 }));
    expect([first.sent, first.failed]).toEqual([4, 2]);
    const second = await sendIntroductions(store, options(mailer));
    expect(second).toEqual({ sent: 2, failed: 0, notAttempted: 0, leaseLost: 0, alreadySent: 4, stopped: null, ...nothingLeased });
    expect([...deliveries(mailer).entries()].sort()).toEqual(people(6).map((p) => [p.email, 1]).sort());
  });

  it('leaves failed ones alone with retryFailed: false', async () => {
    const store = await storeWith(3);
    const mailer = memoryMailer();
    mailer.fail('user1@example.org', { transient: false, times: 1 });
    await sendIntroductions(store, options(mailer));
    expect((await sendIntroductions(store, options(mailer, { retryFailed: false }))).sent).toBe(0);
    expect(await store.outbox.count()).toEqual({ pending: 0, sending: 0, sent: 2, failed: 1 });
  });

  it('never has more than `concurrency` messages in flight', async () => {
    const store = await storeWith(40);
    const inner = memoryMailer();
    let inFlight = 0;
    let most = 0;
    const mailer: Mailer = {
      async send(message: IntroductionMessage) {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight -= 1;
        return inner.send(message);
      },
    };
    await sendIntroductions(store, options(mailer, { concurrency: 3, batchSize: 10 }));
    expect(most).toBe(3);
    expect(inner.messages).toHaveLength(40);
  });

  it('stops when messages keep failing transiently (the server is down), leaving the rest for a later run', async () => {
    const store = await storeWith(10);
    const down = memoryMailer();
    for (const p of people(10)) down.fail(p.email, { transient: true });
    const result = await sendIntroductions(
      store,
      options(down, { concurrency: 1, batchSize: 5, retries: 1, stopAfterFailures: 3 }),
    );
    expect(result).toEqual({ sent: 0, failed: 3, notAttempted: 2, leaseLost: 0, alreadySent: 0, stopped: 'mailer_unavailable', ...nothingLeased });
    expect(await store.outbox.count()).toEqual({ pending: 5, sending: 0, sent: 0, failed: 5 });
    expect((await store.outbox.list({ status: 'failed' })).slice(3).map((i) => i.error)).toEqual([
      'Not sent: the run stopped after 3 messages in a row failed (is the mail server down?)',
      'Not sent: the run stopped after 3 messages in a row failed (is the mail server down?)',
    ]);
    const up = memoryMailer();
    expect((await sendIntroductions(store, options(up))).sent).toBe(10);
    expect(up.messages).toHaveLength(10);
  });

  it('counts only transient failures in a row: a permanent refusal shows the server is up', async () => {
    const store = await storeWith(6);
    const mailer = memoryMailer();
    for (const n of [1, 2, 4, 5]) mailer.fail(`user${String(n)}@example.org`, { transient: true });
    mailer.fail('user3@example.org', { transient: false });
    const result = await sendIntroductions(store, options(mailer, { concurrency: 1, retries: 0, stopAfterFailures: 3 }));
    expect(result).toMatchObject({ sent: 1, failed: 5, stopped: null });
  });

  it('stops starting messages when aborted; those claimed but not tried are recorded for the next run', async () => {
    const store = await storeWith(20);
    const mailer = memoryMailer();
    const controller = new AbortController();
    const result = await sendIntroductions(
      store,
      options(mailer, {
        concurrency: 1,
        batchSize: 8,
        signal: controller.signal,
        onResult: (r) => {
          if (r.status === 'sent' && r.introduction.email === 'user5@example.org') controller.abort();
        },
      }),
    );
    expect(result).toEqual({ sent: 5, failed: 0, notAttempted: 3, leaseLost: 0, alreadySent: 0, stopped: 'aborted', ...nothingLeased });
    expect(await store.outbox.count()).toEqual({ pending: 12, sending: 0, sent: 5, failed: 3 });
    expect((await sendIntroductions(store, options(mailer))).sent).toBe(15);
    expect(mailer.messages).toHaveLength(20);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const store = await storeWith(3);
    const mailer = memoryMailer();
    const result = await sendIntroductions(store, options(mailer, { signal: AbortSignal.abort() }));
    expect(result.stopped).toBe('aborted');
    expect(mailer.messages).toHaveLength(0);
    expect(await store.outbox.count()).toEqual({ pending: 3, sending: 0, sent: 0, failed: 0 });
  });

  it('puts the temporary password or invite link in only when the host passes credentials, by user id', async () => {
    const store = memoryStore();
    const created = await seedImport(store, 'import-1', people(3));
    const mailer = memoryMailer();
    const credentials = new Map([
      [created[0]?.id ?? '', { kind: 'password' as const, password: 'Tq7-x9!' }],
      [created[1]?.id ?? '', { kind: 'invite' as const, url: 'https://acme.example/invite/abc' }],
    ]);
    await sendIntroductions(store, options(mailer, { credentials }));
    const text = (email: string) => mailer.messages.find((m) => m.to.address === email)?.text ?? '';
    expect(text('user1@example.org')).toContain('Temporary password: Tq7-x9!');
    expect(text('user2@example.org')).toContain('https://acme.example/invite/abc');
    expect(text('user3@example.org')).not.toMatch(/password:|invite/);
  });

  it('hands a host template the context, and fails only the introduction whose template throws', async () => {
    const store = await storeWith(3);
    const mailer = memoryMailer();
    const result = await sendIntroductions(
      store,
      options(mailer, {
        template: (context) => {
          if (context.recipient.email === 'user2@example.org') throw new Error('no template for this one');
          return Promise.resolve({ subject: `Hi ${context.recipient.firstName}`, text: context.signInUrl, html: `<p>${context.appName}</p>` });
        },
      }),
    );
    expect([result.sent, result.failed]).toEqual([2, 1]);
    expect(mailer.messages.map((m) => [m.subject, m.text, m.html])).toEqual([
      ['Hi Zoë', 'https://acme.example/sign-in', '<p>Acme</p>'],
      ['Hi Ana', 'https://acme.example/sign-in', '<p>Acme</p>'],
    ]);
    expect((await store.outbox.list({ status: 'failed' }))[0]?.error).toBe('The template failed: no template for this one');
  });

  it('counts an outcome whose lease passed to another sender as lease_lost, and records nothing', async () => {
    let now = 0;
    const store = memoryStore({ now: () => now });
    await seedImport(store, 'import-1', people(1));
    const inner = memoryMailer();
    let takenOver = 0;
    const slow: Mailer = {
      async send(message) {
        now += 60_001; // the send outlasts the lease, and another sender claims the introduction
        takenOver = (await store.outbox.claim({ limit: 10, leaseMs: 60_000 })).length;
        return inner.send(message);
      },
    };
    const results: IntroductionResult[] = [];
    const result = await sendIntroductions(store, options(slow, { leaseMs: 60_000, onResult: (r) => results.push(r) }));
    expect(takenOver).toBe(1);
    expect(result).toMatchObject({ sent: 0, leaseLost: 1 });
    expect(results.map((r) => r.status)).toEqual(['lease_lost']);
    expect(await store.outbox.count()).toEqual({ pending: 0, sending: 1, sent: 0, failed: 0 });
  });

  it("reports the introductions a dead sender's lease holds, and when its leases end (issue 27, finding 5)", async () => {
    let now = 1_000;
    const store = memoryStore({ now: () => now });
    await seedImport(store, 'import-1', people(5));
    await store.outbox.claim({ limit: 2, leaseMs: 60_000 }); // a sender that then died
    now += 1_000;
    await store.outbox.claim({ limit: 1, leaseMs: 60_000 });
    const mailer = memoryMailer();
    const result = await sendIntroductions(store, options(mailer));
    expect(result).toMatchObject({ sent: 2, failed: 0, tookOver: 0 });
    expect(result.leased).toEqual({ count: 3, firstEndsAt: new Date(61_000), lastEndsAt: new Date(62_000) });
    expect(mailer.messages.map((m) => m.to.address)).toEqual(['user4@example.org', 'user5@example.org']);
  });

  it("takes over a dead sender's leases with takeOver, and sends each of its introductions once (issue 27, finding 5)", async () => {
    const store = await storeWith(5);
    const dead = await store.outbox.claim({ limit: 3, leaseMs: 300_000 });
    await store.outbox.mark(dead[0]?.id ?? '', dead[0]?.claimToken ?? '', { status: 'sent', messageId: '<sent-before@acme.example>' });
    const mailer = memoryMailer();
    const result = await sendIntroductions(store, options(mailer, { takeOver: true }));
    expect(result).toEqual({ sent: 4, failed: 0, notAttempted: 0, leaseLost: 0, alreadySent: 1, stopped: null, tookOver: 2, leased: nothingLeased.leased });
    expect([...deliveries(mailer).keys()].sort()).toEqual(['user2@example.org', 'user3@example.org', 'user4@example.org', 'user5@example.org']);
    expect(await store.outbox.count()).toEqual({ pending: 0, sending: 0, sent: 5, failed: 0 });
  });

  it('refuses takeOver when the outbox cannot end leases, and counts leases without the leases capability', async () => {
    const inner = await storeWith(3);
    await inner.outbox.claim({ limit: 1, leaseMs: 300_000 });
    const o = inner.outbox;
    const outbox = { claim: o.claim.bind(o), mark: o.mark.bind(o), count: o.count.bind(o), list: o.list.bind(o) };
    const store: UserStore = { ...inner, outbox };
    const mailer = memoryMailer();
    const refused = await sendIntroductions(store, options(mailer, { takeOver: true })).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RollcallError);
    expect((refused as RollcallError).code).toBe('invalid_option');
    expect(mailer.messages).toHaveLength(0);
    const result = await sendIntroductions(store, options(mailer));
    expect([result.sent, result.leased]).toEqual([2, { count: 1, firstEndsAt: null, lastEndsAt: null }]);
  });

  it('starts no retry once half the lease has passed, and records the last failure', async () => {
    const store = await storeWith(1);
    const mailer = memoryMailer();
    mailer.fail('user1@example.org', { transient: true, times: 1 });
    const result = await sendIntroductions(store, options(mailer, { leaseMs: 100, retries: 3, backoff: { baseMs: 80, jitter: 0 } }));
    expect([result.sent, result.failed]).toEqual([0, 1]);
    expect(mailer.attempts('user1@example.org')).toBe(1);
  });

  it('sends each introduction once when several runs work the same outbox at once', async () => {
    const store = await storeWith(100);
    const mailer = memoryMailer();
    const runs = await Promise.all([1, 2, 3].map(() => sendIntroductions(store, options(mailer, { batchSize: 7 }))));
    expect(runs.reduce((sum, r) => sum + r.sent, 0)).toBe(100);
    expect([...deliveries(mailer).values()].every((n) => n === 1)).toBe(true);
    expect(mailer.messages).toHaveLength(100);
  });

  it('delivers nothing twice and leaves nothing half-done, whatever fails and however runs overlap', async () => {
    const plan = fc.constantFrom<'ok' | 'transient-once' | 'transient-always' | 'permanent'>(
      'ok',
      'transient-once',
      'transient-always',
      'permanent',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(plan, { maxLength: 30 }),
        fc.record({
          concurrency: fc.integer({ min: 1, max: 5 }),
          batchSize: fc.integer({ min: 1, max: 8 }),
          retries: fc.integer({ min: 0, max: 2 }),
          runs: fc.integer({ min: 1, max: 3 }),
          retryFailed: fc.boolean(),
        }),
        async (plans, settings) => {
          const store = await storeWith(plans.length);
          const mailer = memoryMailer();
          plans.forEach((p, i) => {
            const email = `user${String(i + 1)}@example.org`;
            if (p === 'transient-once') mailer.fail(email, { transient: true, times: 1 });
            if (p === 'transient-always') mailer.fail(email, { transient: true });
            if (p === 'permanent') mailer.fail(email, { transient: false });
          });
          const { runs, ...rest } = settings;
          const results = await Promise.all(
            Array.from({ length: runs }, () => sendIntroductions(store, options(mailer, { ...rest, stopAfterFailures: 1000 }))),
          );
          expect([...deliveries(mailer).values()].every((n) => n === 1)).toBe(true);
          const stored = await store.outbox.list();
          expect(stored.every((i) => i.status === 'sent' || i.status === 'failed')).toBe(true);
          const sent = stored.filter((i) => i.status === 'sent');
          expect(new Set(sent.map((i) => i.messageId))).toEqual(new Set(mailer.messages.map((m) => m.messageId)));
          expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(sent.length);
          for (const i of stored) {
            const p = plans[Number(/^user(\d+)@/.exec(i.email)?.[1]) - 1];
            const expected = p === 'ok' || (p === 'transient-once' && settings.retries > 0) ? 'sent' : undefined;
            if (expected) expect(i.status).toBe(expected);
            if (p === 'permanent' || p === 'transient-always') expect(i.status).toBe('failed');
          }
        },
      ),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it.each([
    [{ concurrency: 0 }, /concurrency/],
    [{ retries: -1 }, /retries/],
    [{ leaseMs: 1.5 }, /leaseMs/],
    [{ backoff: { jitter: 2 } }, /jitter/],
    [{ signInUrl: 'javascript:alert(1)' }, /signInUrl/],
    [{ from: { address: 'no-domain' } }, /messageIdDomain/],
  ] as const)('refuses bad options: %o', async (bad, message) => {
    const store = await storeWith(1);
    await expect(sendIntroductions(store, { ...options(memoryMailer()), ...bad })).rejects.toThrow(message);
  });

  it('refuses a store without an outbox', async () => {
    const store = memoryStore();
    const withoutOutbox: UserStore = {
      findExistingEmails: (keys) => store.findExistingEmails(keys),
      findImport: (key) => store.findImport(key),
      transaction: (fn) => store.transaction(fn),
    };
    const attempt = sendIntroductions(withoutOutbox, options(memoryMailer()));
    await expect(attempt).rejects.toBeInstanceOf(RollcallError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_option' });
  });
});

import { isTransientFailure } from '../adapters/mailer/mailer-error.js';
import type { IntroductionMessage } from '../adapters/mailer/types.js';
import type { Introduction, IntroductionFilter, IntroductionOutbox, SendOutcome, UserStore } from '../adapters/store/types.js';
import { backoffDelay, pause } from './backoff.js';
import { displayName } from './display-name.js';
import type { IntroductionContext, IntroductionCredential } from './introduction-template.js';
import { introductionMessageId } from './message-id.js';
import { resolveSendOptions, type SendIntroductionsOptions, type SendSettings } from './send-options.js';

/** What a run of {@link sendIntroductions} did, in counts (per-recipient results go to `onResult`). */
export interface SendIntroductionsResult {
  /** Introductions sent by this run. */
  readonly sent: number;
  /** Introductions that failed in this run after their tries (stored as failed, with the reason). */
  readonly failed: number;
  /** Introductions claimed but not tried, because the run stopped or their lease ran low (stored as failed). */
  readonly notAttempted: number;
  /** Outcomes not recorded because the lease had passed to another sender (it may send them again). */
  readonly leaseLost: number;
  /** Introductions that had been sent before this run began (of the import, or of all). */
  readonly alreadySent: number;
  /** Why the run stopped early: aborted by its signal, or too many failures in a row; `null` when it did not. */
  readonly stopped: 'aborted' | 'mailer_unavailable' | null;
  /** Leases of other senders this run ended before claiming (`takeOver`); 0 without it. */
  readonly tookOver: number;
  /**
   * Introductions another sender still held under a live lease when the run ended: this run could not claim
   * them, and they go out when that sender sends them or, after its lease ends, with a later run.
   */
  readonly leased: LeasedIntroductions;
}

/**
 * Introductions held by another sender's lease, and when the first and last of those leases end (by the
 * store's clock; `null` when none is held, or when the store cannot tell: without the outbox's `leases`
 * capability, `count` is the `sending` count).
 */
export interface LeasedIntroductions {
  readonly count: number;
  readonly firstEndsAt: Date | null;
  readonly lastEndsAt: Date | null;
}

/** A claimed introduction waiting for a worker, with its claim token and the last moment a try may start. */
interface Claimed {
  readonly introduction: Introduction;
  readonly token: string;
  readonly startBy: number;
}

/**
 * Sends the introductions waiting in the store's outbox (one import's, or all) and records each outcome.
 *
 * The outbox is claimed a batch at a time under a lease, so several senders (or a rerun after a crash)
 * never send the same introduction; messages go out `concurrency` at a time; a transient failure is
 * retried with exponential backoff within the claim, a permanent one is not; each introduction is then
 * marked `sent` (with its Message-ID) or `failed` (with the reason) under its claim token. A run tries
 * each introduction at most once (with its retries), and a later run sends what is still pending or failed.
 *
 * One window cannot be closed: the server accepted a message and the sender never learnt it (the process
 * died before marking it, so it is sent again once its lease runs out; or the connection broke before the
 * server's reply, so it is tried again). The copy carries the same Message-ID
 * (`<intro.{importId}.{id}@{domain}>`), so the receiving side can drop it. The mailer is not closed here:
 * it belongs to the caller.
 *
 * Introductions another sender holds under a live lease are not claimed; the result counts them (`leased`),
 * with when their leases end. `takeOver` ends those leases first, for a sender known to be dead.
 *
 * Memory stays flat in the number of recipients: one batch is held at a time, and only the ids of
 * introductions that failed in this run are kept (so the run does not claim them again).
 *
 * @example
 * ```ts
 * const result = await sendIntroductions(store, {
 *   importId: imported.importId,
 *   mailer: smtpMailer({ transport }),
 *   from: { name: 'Acme', address: 'welcome@acme.example' },
 *   appName: 'Acme',
 *   signInUrl: 'https://acme.example/sign-in',
 * });
 * // { sent: 120, failed: 2, notAttempted: 0, leaseLost: 0, alreadySent: 0, stopped: null, tookOver: 0,
 * //   leased: { count: 0, firstEndsAt: null, lastEndsAt: null } }
 * ```
 */
export async function sendIntroductions(
  store: UserStore,
  options: SendIntroductionsOptions,
): Promise<SendIntroductionsResult> {
  const settings = resolveSendOptions(store, options);
  const { outbox } = settings;
  const scope = settings.importId === undefined ? {} : { importId: settings.importId };
  const alreadySent = (await outbox.count(scope)).sent;
  // Before this run holds any lease of its own, so it never takes over its own claims.
  const tookOver = settings.takeOver ? ((await outbox.endLeases?.(scope)) ?? 0) : 0;

  const counts = { sent: 0, failed: 0, notAttempted: 0, leaseLost: 0 };
  // Failures recorded by this run: with `retryFailed` a claim returns them again, and they are held instead.
  const failedHere = new Map<string, string>();
  const held = new Map<string, { token: string; error: string }>();
  const queue: Claimed[] = [];
  // Shared by the workers (an object, so that no branch reads a value narrowed before an await).
  const run: {
    exhausted: boolean;
    claiming: Promise<void> | undefined;
    stopped: SendIntroductionsResult['stopped'];
    failuresInARow: number;
    fatal: { error: unknown } | undefined;
  } = { exhausted: false, claiming: undefined, stopped: null, failuresInARow: 0, fatal: undefined };

  const stop = (): void => {
    run.stopped ??= 'aborted';
  };
  settings.signal?.addEventListener('abort', stop, { once: true });
  if (settings.signal?.aborted === true) stop();

  async function claimBatch(): Promise<void> {
    const claimedAt = Date.now();
    const batch = await outbox.claim({
      ...scope,
      limit: settings.batchSize,
      leaseMs: settings.leaseMs,
      retryFailed: settings.retryFailed,
    });
    if (batch.length < settings.batchSize) run.exhausted = true;
    // Measured from before the claim, so the local deadline falls before the store's.
    const startBy = claimedAt + settings.leaseMs / 2;
    for (const introduction of batch) {
      const token = introduction.claimToken ?? '';
      const error = failedHere.get(introduction.id);
      if (error === undefined) queue.push({ introduction, token, startBy });
      else held.set(introduction.id, { token, error });
    }
  }

  async function next(): Promise<Claimed | undefined> {
    for (;;) {
      if (run.stopped !== null || run.fatal) return undefined;
      const item = queue.shift();
      if (item) return item;
      if (run.exhausted) return undefined;
      run.claiming ??= claimBatch().finally(() => {
        run.claiming = undefined;
      });
      await run.claiming;
    }
  }

  async function record(
    item: Claimed,
    status: 'sent' | 'failed' | 'not_attempted',
    detail: string,
    messageId: string,
    attempts: number,
  ): Promise<void> {
    const outcome: SendOutcome = status === 'sent' ? { status, messageId: detail } : { status: 'failed', error: detail };
    const recorded = await outbox.mark(item.introduction.id, item.token, outcome);
    const final = recorded ? status : 'lease_lost';
    if (final === 'sent') counts.sent += 1;
    else if (final === 'failed') counts.failed += 1;
    else if (final === 'not_attempted') counts.notAttempted += 1;
    else counts.leaseLost += 1;
    if (recorded && status !== 'sent') failedHere.set(item.introduction.id, detail);
    settings.onResult?.({
      introduction: item.introduction,
      status: final,
      messageId: status === 'sent' ? detail : messageId,
      ...(status === 'sent' ? {} : { error: detail }),
      attempts,
    });
  }

  async function deliver(item: Claimed): Promise<void> {
    const messageId = introductionMessageId(item.introduction, settings.domain);
    const secrets = secretsOf(settings.credentials?.get(item.introduction.userId));
    const describe = (error: unknown) => describeFailure(error, secrets);
    let message: IntroductionMessage;
    try {
      message = await compose(settings, item.introduction, messageId);
    } catch (error) {
      await record(item, 'failed', `The template failed: ${describe(error)}`, messageId, 0);
      return;
    }
    let lastError: string | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const reason =
        run.stopped !== null ? stopReason(run.stopped, settings) : Date.now() > item.startBy ? leaseReason : undefined;
      if (reason !== undefined) {
        if (lastError === undefined) await record(item, 'not_attempted', `Not sent: ${reason}`, messageId, 0);
        else await record(item, 'failed', lastError, messageId, attempt - 1);
        return;
      }
      try {
        const receipt = await settings.mailer.send(message);
        run.failuresInARow = 0;
        await record(item, 'sent', receipt.messageId, messageId, attempt);
        return;
      } catch (error) {
        lastError = describe(error);
        const transient = isTransientFailure(error);
        if (!transient || attempt > settings.retries) {
          run.failuresInARow = transient ? run.failuresInARow + 1 : 0;
          if (run.failuresInARow >= settings.stopAfterFailures) run.stopped ??= 'mailer_unavailable';
          await record(item, 'failed', lastError, messageId, attempt);
          return;
        }
        await pause(backoffDelay(settings.backoff, attempt), settings.signal);
      }
    }
  }

  async function worker(): Promise<void> {
    try {
      for (let item = await next(); item; item = await next()) await deliver(item);
    } catch (error) {
      run.fatal ??= { error };
    }
  }

  try {
    await Promise.all(Array.from({ length: settings.concurrency }, worker));
    // Claimed but never started (the run stopped): recorded as failed so the next run takes them at once.
    for (let item = queue.shift(); item && !run.fatal; item = queue.shift()) {
      const messageId = introductionMessageId(item.introduction, settings.domain);
      await record(item, 'not_attempted', `Not sent: ${stopReason(run.stopped ?? 'aborted', settings)}`, messageId, 0);
    }
  } catch (error) {
    run.fatal ??= { error };
  } finally {
    settings.signal?.removeEventListener('abort', stop);
    // Failures of this run that a claim took again: put back as they were.
    for (const [id, { token, error }] of held) await outbox.mark(id, token, { status: 'failed', error }).catch(() => false);
  }
  if (run.fatal) throw run.fatal.error;
  return { ...counts, alreadySent, stopped: run.stopped, tookOver, leased: await leasedAfter(outbox, scope) };
}

/** What other senders still hold once this run has recorded every claim of its own. */
async function leasedAfter(outbox: IntroductionOutbox, scope: IntroductionFilter): Promise<LeasedIntroductions> {
  if (outbox.leases === undefined) {
    return { count: (await outbox.count(scope)).sending, firstEndsAt: null, lastEndsAt: null };
  }
  const { held, firstEndsAt, lastEndsAt } = await outbox.leases(scope);
  return { count: held, firstEndsAt, lastEndsAt };
}

const leaseReason = 'its claim ran low on lease time before it could be tried (raise leaseMs, or lower the mailer timeouts)';

function stopReason(stopped: 'aborted' | 'mailer_unavailable', settings: SendSettings): string {
  return stopped === 'aborted'
    ? 'the run was aborted'
    : `the run stopped after ${String(settings.stopAfterFailures)} messages in a row failed (is the mail server down?)`;
}

async function compose(settings: SendSettings, introduction: Introduction, messageId: string): Promise<IntroductionMessage> {
  const credential = settings.credentials?.get(introduction.userId);
  const context: IntroductionContext = {
    appName: settings.appName,
    signInUrl: settings.signInUrl,
    recipient: { firstName: introduction.firstName, lastName: introduction.lastName, email: introduction.email },
    importId: introduction.importId,
    userId: introduction.userId,
    ...(credential === undefined ? {} : { credential }),
  };
  const content = await settings.template(context);
  return {
    from: settings.from,
    to: { name: displayName(introduction.firstName, introduction.lastName), address: introduction.email },
    subject: content.subject,
    text: content.text,
    html: content.html,
    messageId,
  };
}

/**
 * A failure as one line for the outbox's `error` column, without the recipient's password or invite link:
 * a mail server's or template's error may quote the message, and that column is stored and shown.
 */
function describeFailure(error: unknown, secrets: readonly string[]): string {
  let text = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) text = text.split(secret).join('[redacted]');
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 497)}...` : line;
}

/** What must never be recorded of a credential: the password, or the invite link and the token inside it. */
function secretsOf(credential: IntroductionCredential | undefined): string[] {
  if (credential === undefined) return [];
  if (credential.kind === 'password') return credential.password === '' ? [] : [credential.password];
  // Longest first, so the whole link goes before the token in it.
  const tokens = credential.url.match(/[A-Za-z0-9_-]{16,}/g) ?? [];
  return [credential.url, ...tokens].filter((t) => t !== '').sort((a, b) => b.length - a.length);
}

import type { Introduction, IntroductionOutbox, UserStore } from '../adapters/store/types.js';
import type { MailAddress, Mailer } from '../adapters/mailer/types.js';
import { RollcallError } from '../rollcall-error.js';
import type { Backoff } from './backoff.js';
import { defaultIntroductionTemplate, type IntroductionCredential, type IntroductionTemplate } from './introduction-template.js';
import { messageIdDomain } from './message-id.js';

/** Options of `sendIntroductions`. */
export interface SendIntroductionsOptions {
  readonly mailer: Mailer;
  /** The sender of every introduction. */
  readonly from: MailAddress;
  /** The host application's name, for the template. */
  readonly appName: string;
  /** Where users sign in (an `http:` or `https:` URL), for the template. */
  readonly signInUrl: string;
  /** Send only this import's introductions; every import's when left out. */
  readonly importId?: string;
  /** Also send introductions whose earlier sending failed. Default `true`: a later run resends them. */
  readonly retryFailed?: boolean;
  /** The host's template; {@link defaultIntroductionTemplate} when left out. */
  readonly template?: IntroductionTemplate;
  /**
   * Plaintext credentials by user id, from the result of the import just run: passing them is how a host
   * puts the temporary password or invite link into the email. The store keeps only hashes, so a later
   * run (a resend, `send-intro --pending`) cannot include them.
   */
  readonly credentials?: ReadonlyMap<string, IntroductionCredential>;
  /** The domain of the Message-IDs; the domain of `from.address` when left out. */
  readonly messageIdDomain?: string;
  /** Messages in flight at once. Default 4: match the SMTP pool's `maxConnections`. */
  readonly concurrency?: number;
  /** Further tries of a transiently failing message, within its claim. Default 3. */
  readonly retries?: number;
  readonly backoff?: Backoff;
  /** Introductions claimed per round trip to the store. Default 25. */
  readonly batchSize?: number;
  /**
   * How long a claim holds its introductions before another sender may take them over. A try starts only
   * while at least half of it is left, so set the mailer's timeouts below half of it. Default 5 minutes.
   */
  readonly leaseMs?: number;
  /**
   * Stop the run when this many messages in a row failed transiently after all their tries (the server
   * is down): the rest stay for a later run. Default 10.
   */
  readonly stopAfterFailures?: number;
  /**
   * Before claiming, end the lease of every introduction another sender holds (of the import, or of all), so
   * the introductions of a sender that died are sent now instead of when its lease runs out. Only for a sender
   * known to be dead: one still running may send them too, and a recipient may get a second copy (with the
   * same Message-ID). Needs the outbox's `endLeases` capability. Default `false`.
   */
  readonly takeOver?: boolean;
  /** Stops the run: no new message is started; those in flight finish and are recorded. */
  readonly signal?: AbortSignal;
  /**
   * Called once per introduction handled, as it is recorded (keep per-recipient results here). If it
   * throws, the run stops and rejects with that error.
   */
  readonly onResult?: (result: IntroductionResult) => void;
}

/** What happened to one introduction in a run. */
export interface IntroductionResult {
  /** The introduction as claimed. */
  readonly introduction: Introduction;
  /**
   * `sent`; `failed` after its tries; `not_attempted` when the run stopped, or its lease ran low, before
   * a try (stored as failed, for the next run); `lease_lost` when its lease had passed to another sender
   * by the time the outcome was recorded (nothing was recorded).
   */
  readonly status: 'sent' | 'failed' | 'not_attempted' | 'lease_lost';
  /** The Message-ID the message was (or would have been) sent with. */
  readonly messageId: string;
  /** Why it failed or was not attempted. */
  readonly error?: string;
  /** Sends tried in this run. */
  readonly attempts: number;
}

/** The options, checked and with their defaults. */
export interface SendSettings {
  readonly outbox: IntroductionOutbox;
  readonly mailer: Mailer;
  readonly from: MailAddress;
  readonly appName: string;
  readonly signInUrl: string;
  readonly importId: string | undefined;
  readonly retryFailed: boolean;
  readonly template: IntroductionTemplate;
  readonly credentials: ReadonlyMap<string, IntroductionCredential> | undefined;
  readonly domain: string;
  readonly concurrency: number;
  readonly retries: number;
  readonly backoff: Required<Backoff>;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly stopAfterFailures: number;
  readonly takeOver: boolean;
  readonly signal: AbortSignal | undefined;
  readonly onResult: ((result: IntroductionResult) => void) | undefined;
}

/** Checks the options, fills in defaults; throws a `RollcallError` (`invalid_option`) for a bad one. */
export function resolveSendOptions(store: UserStore, options: SendIntroductionsOptions): SendSettings {
  const { outbox } = store;
  if (!outbox) {
    throw new RollcallError('invalid_option', 'The store has no introduction outbox (the `outbox` capability)');
  }
  let url: URL | undefined;
  try {
    url = new URL(options.signInUrl);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw new RollcallError('invalid_option', `signInUrl must be an http(s) URL, got "${options.signInUrl}"`);
  }
  const takeOver = options.takeOver ?? false;
  if (typeof takeOver !== 'boolean') throw new RollcallError('invalid_option', `takeOver must be true or false, got ${String(takeOver)}`);
  if (takeOver && outbox.endLeases === undefined) {
    throw new RollcallError('invalid_option', "takeOver needs a store whose outbox can end leases (the `endLeases` capability)");
  }
  const backoff = options.backoff ?? {};
  return {
    outbox,
    mailer: options.mailer,
    from: options.from,
    appName: options.appName,
    signInUrl: options.signInUrl,
    importId: options.importId,
    retryFailed: options.retryFailed ?? true,
    template: options.template ?? defaultIntroductionTemplate,
    credentials: options.credentials,
    domain: messageIdDomain(options.from.address, options.messageIdDomain),
    concurrency: integer('concurrency', options.concurrency ?? 4, 1),
    retries: integer('retries', options.retries ?? 3, 0),
    backoff: {
      baseMs: bounded('backoff.baseMs', backoff.baseMs ?? 500, 0, Infinity),
      maxMs: bounded('backoff.maxMs', backoff.maxMs ?? 30_000, 0, Infinity),
      jitter: bounded('backoff.jitter', backoff.jitter ?? 0.5, 0, 1),
    },
    batchSize: integer('batchSize', options.batchSize ?? 25, 1),
    leaseMs: integer('leaseMs', options.leaseMs ?? 300_000, 1),
    stopAfterFailures: integer('stopAfterFailures', options.stopAfterFailures ?? 10, 1),
    takeOver,
    signal: options.signal,
    onResult: options.onResult,
  };
}

function integer(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RollcallError('invalid_option', `${name} must be an integer of at least ${String(min)}, got ${String(value)}`);
  }
  return value;
}

function bounded(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    const range = max === Infinity ? `a finite number of at least ${String(min)}` : `a number from ${String(min)} to ${String(max)}`;
    throw new RollcallError('invalid_option', `${name} must be ${range}, got ${String(value)}`);
  }
  return value;
}

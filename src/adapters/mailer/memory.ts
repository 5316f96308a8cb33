import { MailerError } from './mailer-error.js';
import type { IntroductionMessage, Mailer } from './types.js';

/** A failure the memory mailer plays for one address: transient or permanent, for the next `times` sends. */
export interface MemoryFailure {
  readonly transient: boolean;
  /** How many sends to this address fail before they go through again (every one when left out). */
  readonly times?: number;
}

/** The memory mailer: a {@link Mailer} that keeps what it was given, and fails on request. */
export interface MemoryMailer extends Mailer {
  /** Every message accepted, in order; a message sent twice is here twice. */
  readonly messages: readonly IntroductionMessage[];
  /** How many sends to `address` were tried, accepted or not. */
  attempts(address: string): number;
  /** Makes sends to `address` (compared case-insensitively) fail, as a server refusing the recipient would. */
  fail(address: string, failure: MemoryFailure): void;
}

/**
 * A mailer that keeps messages in memory, for tests and demos; it can be told to refuse addresses,
 * transiently or permanently, to exercise retries and statuses.
 *
 * @example
 * ```ts
 * const mailer = memoryMailer();
 * mailer.fail('gone@example.org', { transient: false });
 * await sendIntroductions(store, { mailer, from, appName: 'Acme', signInUrl: 'https://acme.example/sign-in' });
 * mailer.messages.map((m) => m.to.address);
 * ```
 */
export function memoryMailer(): MemoryMailer {
  const messages: IntroductionMessage[] = [];
  const attempts = new Map<string, number>();
  const failures = new Map<string, { transient: boolean; left: number }>();
  return {
    messages,
    attempts: (address) => attempts.get(address.toLowerCase()) ?? 0,
    fail(address, failure) {
      failures.set(address.toLowerCase(), { transient: failure.transient, left: failure.times ?? Infinity });
    },
    send(message) {
      const key = message.to.address.toLowerCase();
      attempts.set(key, (attempts.get(key) ?? 0) + 1);
      const failure = failures.get(key);
      if (failure && failure.left > 0) {
        failure.left -= 1;
        const reply = failure.transient ? 451 : 550;
        return Promise.reject(
          new MailerError('recipient_refused', `${String(reply)} refused by the memory mailer: ${message.to.address}`, {
            transient: failure.transient,
            responseCode: reply,
          }),
        );
      }
      messages.push(message);
      return Promise.resolve({ messageId: message.messageId });
    },
    close: () => Promise.resolve(),
  };
}

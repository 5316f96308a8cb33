/**
 * The contract between rollcall's sender and a mailer: one method that sends one message, and an optional
 * `close`. A mailer reports a failure by rejecting, preferably with a `MailerError` that says whether
 * trying again later could succeed.
 */

/** A mailbox: a display name (any Unicode, encoded by the mailer) and an address. */
export interface MailAddress {
  /** The display name, as people read it: `Zoë Ñúñez`. Left out or `''` for a bare address. */
  readonly name?: string;
  readonly address: string;
}

/** One introduction email, composed and ready to send: one sender, one recipient. */
export interface IntroductionMessage {
  readonly from: MailAddress;
  readonly to: MailAddress;
  readonly subject: string;
  /** The plain-text body. */
  readonly text: string;
  /** The HTML body, the alternative to `text`. */
  readonly html: string;
  /**
   * The `Message-ID` header, angle brackets included: `<intro.{importId}.{id}@{domain}>`. It is derived from the
   * introduction, so a message sent twice (see the crash window in `sendIntroductions`) carries the same
   * id both times and a receiving side can drop the second copy.
   */
  readonly messageId: string;
  /** Further headers, by name (for example `Auto-Submitted`). Mailers encode the values. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a mailer returns for a message it handed on. */
export interface SendReceipt {
  /** The `Message-ID` the message went out with. */
  readonly messageId: string;
}

/**
 * A mailer: the SMTP mailer, the outbox-directory mailer, the memory mailer, or a host's own.
 *
 * `send` resolves once the message is accepted (by the SMTP server, or written to disk) and rejects when
 * it is not, with a `MailerError` (or any error with a boolean `transient`) so the sender knows whether
 * to retry; an error without that flag counts as transient.
 *
 * @example
 * ```ts
 * const mailer: Mailer = memoryMailer();
 * const { messageId } = await mailer.send(message);
 * await mailer.close?.();
 * ```
 */
export interface Mailer {
  /** Sends one message; resolves once it is accepted, rejects with whether a retry may succeed. */
  send(message: IntroductionMessage): Promise<SendReceipt>;
  /** Optional: releases connections or handles. Safe to call more than once. */
  close?(): Promise<void>;
}

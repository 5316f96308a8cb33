/** Why a message was not sent. */
export type MailerErrorCode =
  /** The server refused the recipient (SMTP `RCPT TO`). */
  | 'recipient_refused'
  /** The server refused the sender or the message itself (SMTP `MAIL FROM`, `DATA`). */
  | 'message_refused'
  /** No connection, or it broke, timed out or was closed by the server. */
  | 'connection_failed'
  /** The server refused the credentials. */
  | 'auth_failed'
  /** The message could not be written (outbox directory). */
  | 'write_failed'
  /** Anything else the mailer's client reported. */
  | 'send_failed';

/**
 * A message was not sent. `transient` says whether the same message may go through later (SMTP 4xx, a
 * broken connection) or will be refused again (SMTP 5xx, a refused recipient): the sender retries only
 * transient failures.
 *
 * @example
 * ```ts
 * throw new MailerError('recipient_refused', '550 5.1.1 No such user', { transient: false, responseCode: 550 });
 * ```
 */
export class MailerError extends Error {
  override readonly name = 'MailerError';
  readonly code: MailerErrorCode;
  readonly transient: boolean;
  /** The SMTP reply code, when a server gave one. */
  readonly responseCode: number | undefined;

  constructor(
    code: MailerErrorCode,
    message: string,
    options: { transient: boolean; responseCode?: number; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.transient = options.transient;
    this.responseCode = options.responseCode;
  }
}

/**
 * Whether a mailer's rejection may succeed on a later try, judged by shape so a host's mailer need not
 * import {@link MailerError}: a boolean `transient` decides; an error without one counts as transient,
 * since retries are bounded and a message given up too early is never sent.
 */
export function isTransientFailure(error: unknown): boolean {
  if (typeof error === 'object' && error !== null) {
    const { transient } = error as { transient?: unknown };
    if (typeof transient === 'boolean') return transient;
  }
  return true;
}

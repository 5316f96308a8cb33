import { MailerError, type MailerErrorCode } from './mailer-error.js';
import type { IntroductionMessage, MailAddress, Mailer } from './types.js';

/** The options rollcall passes to {@link SmtpTransport.sendMail}: a subset of nodemailer's mail options. */
export interface SmtpMailOptions {
  readonly from: MailAddress;
  readonly to: MailAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** An envelope address as nodemailer reports it in `accepted` / `rejected`. */
type ReportedAddress = string | { readonly address: string };

/** What {@link SmtpTransport.sendMail} resolves with: the subset of nodemailer's `SentMessageInfo` rollcall reads. */
export interface SmtpSentInfo {
  readonly messageId?: string | undefined;
  readonly accepted?: readonly ReportedAddress[] | undefined;
  readonly rejected?: readonly ReportedAddress[] | undefined;
  readonly rejectedErrors?:
    | readonly { readonly responseCode?: number | undefined; readonly message?: string | undefined }[]
    | undefined;
}

/**
 * The subset of a nodemailer transporter the SMTP mailer needs, so rollcall does not import nodemailer:
 * `nodemailer.createTransport({ pool: true, ... })` fits it.
 */
export interface SmtpTransport {
  /** Sends one message over SMTP. */
  sendMail(options: SmtpMailOptions): Promise<SmtpSentInfo>;
  /** Closes the pooled connections. */
  close?(): void;
}

/** The SMTP mailer: `close` closes the transport's pooled connections. */
export interface SmtpMailer extends Mailer {
  /** Closes the transport's pooled connections. */
  close(): Promise<void>;
}

/** Options of {@link smtpMailer}. */
export interface SmtpMailerOptions {
  /** A nodemailer transporter, pooled (`pool: true`) so that messages share a few open connections. */
  readonly transport: SmtpTransport;
}

/**
 * A mailer that sends through a nodemailer-shaped SMTP transport. Failures become `MailerError`s:
 * 4xx replies and broken connections are transient, 5xx replies (but 503, a session out of step) and
 * refused credentials are permanent, and a refused recipient is a `recipient_refused` failure.
 *
 * @example
 * ```ts
 * import nodemailer from 'nodemailer';
 * const mailer = smtpMailer({
 *   transport: nodemailer.createTransport({ pool: true, host: 'smtp.example.org', port: 587, socketTimeout: 60_000 }),
 * });
 * ```
 */
export function smtpMailer(options: SmtpMailerOptions): SmtpMailer {
  const { transport } = options;
  let closed = false;
  return {
    async send(message: IntroductionMessage) {
      let info: SmtpSentInfo;
      try {
        info = await transport.sendMail({
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          headers: message.headers ?? {},
        });
      } catch (error) {
        throw smtpFailure(error);
      }
      const refusal = recipientRefusal(info, message.to.address);
      if (refusal) throw refusal;
      return { messageId: info.messageId ?? message.messageId };
    },
    close() {
      if (!closed) {
        closed = true;
        transport.close?.();
      }
      return Promise.resolve();
    },
  };
}

// nodemailer's codes for a connection that failed or broke: the same message may go through on a new one.
const connectionCodes = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'EMAXLIMIT']);
const authCodes = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);
// Codes for a message or configuration nodemailer refuses before talking to a server: no retry helps.
const invalidCodes = new Set(['ECONFIG', 'EENVELOPE', 'EMAXRECIPIENTS', 'EREQUIRETLS', 'EFILEACCESS', 'EURLACCESS']);

/**
 * Classifies a rejection of nodemailer's `sendMail` as a {@link MailerError}. RFC 5321 makes a 4yz reply
 * transient and a 5yz reply permanent; 503 (bad sequence of commands) is the exception nodemailer makes
 * too, since a new session can fix it. Errors without a reply are judged by nodemailer's `code`.
 */
export function smtpFailure(error: unknown): MailerError {
  const { code, responseCode, command, message } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    responseCode?: unknown;
    command?: unknown;
    message?: unknown;
  };
  const text = typeof message === 'string' ? message : String(error);
  const reply = typeof responseCode === 'number' && responseCode >= 400 ? responseCode : undefined;
  const failure = (kind: MailerErrorCode, transient: boolean): MailerError =>
    new MailerError(kind, text, { transient, ...(reply === undefined ? {} : { responseCode: reply }), cause: error });
  const known = typeof code === 'string' ? code : '';

  if (authCodes.has(known)) return failure('auth_failed', reply !== undefined && reply < 500);
  if (reply !== undefined) {
    const kind = command === 'RCPT TO' ? 'recipient_refused' : reply === 421 ? 'connection_failed' : 'message_refused';
    return failure(kind, reply < 500 || reply === 503);
  }
  if (connectionCodes.has(known)) return failure('connection_failed', true);
  return failure('send_failed', !invalidCodes.has(known));
}

/**
 * A recipient the server refused although `sendMail` resolved (a transport that does not throw for it).
 * Every message has one envelope recipient, so the verdict is on it whatever spelling the transport reports:
 * nodemailer lists `juergen@müller.de` as accepted in its ASCII form, `juergen@xn--mller-kva.de`.
 */
function recipientRefusal(info: SmtpSentInfo, address: string): MailerError | undefined {
  const refused = info.rejected !== undefined && info.rejected.length > 0;
  const unaccepted = info.accepted?.length === 0;
  if (!refused && !unaccepted) return undefined;
  const reason = info.rejectedErrors?.[0];
  const reply = reason?.responseCode;
  return new MailerError('recipient_refused', reason?.message ?? `The server did not accept ${address}`, {
    transient: reply !== undefined && reply >= 400 && reply < 500,
    ...(reply === undefined ? {} : { responseCode: reply }),
  });
}

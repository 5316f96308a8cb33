import { resolve } from 'node:path';
import { loadMailComposer, outboxDirMailer } from '../adapters/mailer/outbox-dir.js';
import { smtpMailer } from '../adapters/mailer/smtp.js';
import type { MailAddress, Mailer } from '../adapters/mailer/types.js';
import { RollcallError } from '../rollcall-error.js';
import { errorText, UsageError } from './args.js';

/** The folder `--send-intro` and `send-intro` write `.eml` files to unless `--outbox` or `--smtp` says otherwise. */
export const defaultOutboxFolder = 'rollcall-outbox';

/** The sender address of introductions unless `--from` says otherwise. */
export const defaultFromAddress = 'rollcall@localhost';

/** The `parseArgs` options every command that sends introductions takes. */
export const mailerArgOptions = {
  outbox: { type: 'string' },
  smtp: { type: 'string' },
  from: { type: 'string' },
  'app-name': { type: 'string' },
  'sign-in-url': { type: 'string' },
} as const;

/** The usage lines of {@link mailerArgOptions}. */
export const mailerUsage = `  --outbox DIR            write each introduction as an .eml file into DIR (the default: ./${defaultOutboxFolder})
  --smtp URL              send through an SMTP server instead: smtp://[USER:PASS@]HOST[:PORT] or smtps://...
  --from ADDRESS          the sender, "Name <address>" or an address (default ${defaultFromAddress})
  --app-name NAME         the application named in the email (default rollcall)
  --sign-in-url URL       where users sign in, linked in the email (required with --smtp; default http://localhost/)
`;

/** Where introductions go and what they say, checked but not yet opened. */
export interface MailerChoice {
  readonly target: { readonly kind: 'outbox'; readonly dir: string } | { readonly kind: 'smtp'; readonly url: URL };
  readonly from: MailAddress;
  readonly appName: string;
  readonly signInUrl: string;
}

/** A mailer the command line opened, where it sends (for messages, without a password), and how to close it. */
export interface OpenedMailer {
  readonly mailer: Mailer;
  readonly location: string;
  /** Connects to the SMTP server and signs in, sending nothing: whether messages could go out now. */
  verify?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Checks the mail options of a command; throws a {@link UsageError} for a bad one. Nothing is opened or
 * created, so a command can refuse its arguments before it changes anything.
 *
 * @example const choice = mailerChoice(values, io.cwd); // { target: { kind: 'outbox', dir: '/…/rollcall-outbox' }, … }
 */
export function mailerChoice(
  values: { outbox?: string; smtp?: string; from?: string; 'app-name'?: string; 'sign-in-url'?: string },
  cwd: string,
): MailerChoice {
  if (values.outbox !== undefined && values.smtp !== undefined) throw new UsageError('give --outbox or --smtp, not both');
  let target: MailerChoice['target'];
  if (values.smtp === undefined) {
    if (values.outbox === '') throw new UsageError('--outbox needs a folder');
    target = { kind: 'outbox', dir: resolve(cwd, values.outbox ?? defaultOutboxFolder) };
  } else {
    target = { kind: 'smtp', url: smtpUrl(values.smtp) };
  }
  const signInUrl = values['sign-in-url'];
  if (signInUrl === undefined && target.kind === 'smtp') {
    // An email to real people must not link to a placeholder.
    throw new UsageError('--smtp needs --sign-in-url, the address where users sign in');
  }
  const appName = values['app-name'] ?? 'rollcall';
  if (appName.trim() === '') throw new UsageError('--app-name needs a value');
  return {
    target,
    from: mailAddress(values.from ?? defaultFromAddress),
    appName,
    signInUrl: httpUrl(signInUrl ?? 'http://localhost/'),
  };
}

/**
 * Opens the mailer a {@link MailerChoice} names: the outbox-directory mailer, or the SMTP mailer over a pooled
 * nodemailer transport. nodemailer is an optional peer dependency, imported here; when it is missing this
 * throws a `RollcallError` saying to install it. The outbox folder is created only by the first message.
 */
export async function openMailer(choice: MailerChoice): Promise<OpenedMailer> {
  const { target } = choice;
  if (target.kind === 'outbox') {
    const composer = await loadMailComposer();
    const mailer = outboxDirMailer({ dir: target.dir, composer });
    return { mailer, location: target.dir, close: () => mailer.close?.() ?? Promise.resolve() };
  }
  let nodemailer: typeof import('nodemailer');
  try {
    nodemailer = await import('nodemailer');
  } catch (error) {
    throw new RollcallError(
      'invalid_option',
      (error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND'
        ? 'rollcall needs the package nodemailer to send email; install it with: npm install nodemailer'
        : `cannot load the package nodemailer: ${errorText(error)}`,
      { cause: error },
    );
  }
  const { url } = target;
  const secure = url.protocol === 'smtps:';
  const user = decodeURIComponent(url.username);
  const pool = nodemailer.default.createTransport({
    pool: true,
    // One connection per message in flight: sendIntroductions sends 4 at a time by default.
    maxConnections: 4,
    host: url.hostname.replace(/^\[(.*)\]$/u, '$1'),
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    ...(user === '' ? {} : { auth: { user, pass: decodeURIComponent(url.password) } }),
    // Below half of sendIntroductions' lease (5 minutes), so a hung server fails a try instead of the claim.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
  const mailer = smtpMailer({ transport: pool });
  return {
    mailer,
    location: withoutPassword(url),
    verify: async () => {
      await pool.verify();
    },
    close: () => mailer.close(),
  };
}

function smtpUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--smtp takes a URL such as smtp://USER:PASS@mail.example.org:587, got "${maskPassword(text)}"`);
  }
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || url.hostname === '') {
    throw new UsageError(`--smtp takes an smtp:// or smtps:// URL with a host, got "${withoutPassword(url)}"`);
  }
  // Decoded here, not when the mailer opens, so that a stray % is a usage error before anything runs.
  for (const [part, value] of [['user name', url.username], ['password', url.password]] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      throw new UsageError(
        `the ${part} in --smtp has a % that starts no escape: write % as %25 (and @ as %40, : as %3A), got "${withoutPassword(url)}"`,
      );
    }
  }
  return url;
}

/**
 * A URL the parser refused, as it may be shown: whatever stands between the first `:` after `//` and the last
 * `@` (the password, however odd its characters) replaced by `***`.
 */
export function maskPassword(text: string): string {
  const start = text.indexOf('//');
  const at = text.lastIndexOf('@');
  if (start === -1 || at < start) return text;
  const colon = text.indexOf(':', start + 2);
  if (colon === -1 || colon > at) return text;
  return `${text.slice(0, colon + 1)}***${text.slice(at)}`;
}

function httpUrl(text: string): string {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UsageError(`--sign-in-url takes an http:// or https:// URL, got "${text}"`);
  }
  return text;
}

/** Reads `Name <address>` or a bare address. */
function mailAddress(text: string): MailAddress {
  const named = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/u.exec(text);
  if (named) {
    const name = (named[1] ?? '').replace(/^"(.*)"$/u, '$1');
    return name === '' ? { address: named[2] ?? '' } : { name, address: named[2] ?? '' };
  }
  const bare = text.trim();
  if (!/^[^<>\s@]+@[^<>\s@]+$/u.test(bare)) {
    throw new UsageError(`--from takes an address or "Name <address>", got "${text}"`);
  }
  return { address: bare };
}

/** The URL as it may be shown: its password replaced, so it never reaches a terminal or a log. */
function withoutPassword(url: URL): string {
  const shown = new URL(url.href);
  if (shown.password !== '') shown.password = '***';
  return shown.href;
}

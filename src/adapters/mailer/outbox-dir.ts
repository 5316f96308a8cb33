import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RollcallError } from '../../rollcall-error.js';
import { MailerError } from './mailer-error.js';
import type { IntroductionMessage, Mailer } from './types.js';

/** A mailbox as the composer takes it (nodemailer's `Address`: the name is always there, `''` when none). */
export interface ComposerAddress {
  readonly name: string;
  readonly address: string;
}

/** The mail options rollcall passes to the composer: a subset of nodemailer's `MailComposer` options. */
export interface ComposerInput {
  readonly from: ComposerAddress;
  readonly to: ComposerAddress;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly messageId: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The shape of nodemailer's `MailComposer` class (`nodemailer/lib/mail-composer`): it turns mail options
 * into the bytes of a MIME message, with RFC 2047 encoded headers and UTF-8 bodies.
 */
export type MailComposerClass = new (mail: ComposerInput) => {
  /** Prepares the MIME tree of the message. */
  compile(): {
    /** Renders the message as the bytes of an `.eml` file. */
    build(): Promise<Uint8Array>;
  };
};

/** Options of {@link outboxDirMailer}. */
export interface OutboxDirMailerOptions {
  /** The directory the `.eml` files go to; created when missing (with its parents), readable by its owner only. */
  readonly dir: string;
  /**
   * The MIME composer. Left out, nodemailer's `MailComposer` is imported on the first send (nodemailer is
   * an optional peer dependency, needed only by this mailer and the SMTP transport).
   */
  readonly composer?: MailComposerClass;
}

/**
 * A mailer that writes each message as one `.eml` file into a directory, for development and as the
 * command line's default. The file is named after the Message-ID, so sending a message again replaces
 * its file rather than adding a second one, and it appears whole or not at all (written to a temporary
 * file, flushed, then renamed). A message may carry a password, so each file is readable by its owner only
 * (mode 0600), and a directory the mailer creates is too (0700); an existing directory keeps its mode.
 *
 * @example
 * ```ts
 * const mailer = outboxDirMailer({ dir: './rollcall-outbox' });
 * await mailer.send(message); // ./rollcall-outbox/intro.3f2a…@acme.example.eml
 * ```
 */
export function outboxDirMailer(options: OutboxDirMailerOptions): Mailer {
  const { dir } = options;
  let ready: Promise<MailComposerClass> | undefined;
  const prepare = async (): Promise<MailComposerClass> => {
    const composer = options.composer ?? (await loadMailComposer());
    // mkdir's mode is narrowed by the umask; chmod's is not. A directory that was there is left as it is.
    if ((await mkdir(dir, { recursive: true, mode: 0o700 })) !== undefined) await chmod(dir, 0o700);
    return composer;
  };

  return {
    async send(message: IntroductionMessage) {
      ready ??= prepare();
      let Composer: MailComposerClass;
      try {
        Composer = await ready;
      } catch (error) {
        ready = undefined;
        if (error instanceof RollcallError) throw error;
        throw writeFailure(error);
      }
      let bytes: Uint8Array;
      try {
        bytes = await new Composer(composerInput(message)).compile().build();
      } catch (error) {
        throw new MailerError('send_failed', `Could not compose the message: ${String(error)}`, { transient: false, cause: error });
      }
      const target = join(dir, emlFileName(message.messageId));
      const temp = join(dir, `.${randomUUID()}.tmp`);
      try {
        const handle = await open(temp, 'wx', 0o600);
        try {
          await handle.chmod(0o600);
          await handle.writeFile(bytes);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw writeFailure(error);
      }
      return { messageId: message.messageId };
    },
    close: () => Promise.resolve(),
  };
}

/**
 * Imports nodemailer's `MailComposer`, for the outbox-directory mailer when no `composer` is given.
 * Throws a `RollcallError` (`invalid_option`) saying to install nodemailer when it is missing.
 */
export async function loadMailComposer(): Promise<MailComposerClass> {
  let cause: unknown;
  // Recent nodemailer exports the subpath; older versions (6.x) have no `exports`, so ESM needs the file.
  for (const specifier of ['nodemailer/lib/mail-composer', 'nodemailer/lib/mail-composer/index.js']) {
    try {
      const module = (await import(specifier)) as { default?: unknown };
      if (typeof module.default === 'function') return module.default as MailComposerClass;
    } catch (error) {
      cause ??= error;
    }
  }
  throw new RollcallError(
    'invalid_option',
    'The outbox-directory mailer composes messages with nodemailer: install it (npm install nodemailer) or pass `composer`',
    { cause },
  );
}

/**
 * The file name for a Message-ID: the id without its angle brackets, characters outside a portable set
 * percent-encoded (so distinct ids give distinct names), shortened with a hash when very long.
 */
export function emlFileName(messageId: string): string {
  const bare = messageId.replace(/^<(.*)>$/s, '$1');
  let name = '';
  for (const byte of new TextEncoder().encode(bare)) {
    const char = String.fromCharCode(byte);
    name += /[A-Za-z0-9_@+=-]/.test(char) || (char === '.' && name !== '') ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  // `~` never comes out of the encoding above, so neither replacement can meet an encoded name.
  if (name === '') name = '~';
  if (name.length > 180) name = `${name.slice(0, 150)}~${createHash('sha256').update(bare).digest('hex').slice(0, 24)}`;
  return `${name}.eml`;
}

function composerInput(message: IntroductionMessage): ComposerInput {
  return {
    from: { name: message.from.name ?? '', address: message.from.address },
    to: { name: message.to.name ?? '', address: message.to.address },
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    headers: message.headers ?? {},
  };
}

// File system errors no retry can fix: the directory is not writable or not a directory.
const permanentFsCodes = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'EEXIST']);

function writeFailure(error: unknown): MailerError {
  const code = (error as { code?: unknown } | null)?.code;
  return new MailerError('write_failed', `Could not write the message: ${String(error)}`, {
    transient: !(typeof code === 'string' && permanentFsCodes.has(code)),
    cause: error,
  });
}

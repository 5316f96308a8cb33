import type { Stats } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CommandError, errorText, fileProblem } from './args.js';
import type { MailerChoice, OpenedMailer } from './mailer-options.js';

/**
 * Checks, before an import commits, that its introductions can go where the options say, so a mailer that
 * cannot deliver stops the command with nothing imported instead of failing every introduction afterwards:
 * the outbox folder is one (or can be made one) the command may write into, and is private when passwords go
 * into its files; the SMTP server answers and takes the credentials (nothing is sent). Throws a
 * {@link CommandError} saying why.
 *
 * @example await checkMailer(choice, mailer, { passwords: true }); // before importUsers
 */
export async function checkMailer(choice: MailerChoice, opened: OpenedMailer, options: { readonly passwords: boolean }): Promise<void> {
  const { target } = choice;
  if (target.kind === 'outbox') {
    await checkOutboxFolder(target.dir, options.passwords);
    return;
  }
  try {
    await opened.verify?.();
  } catch (error) {
    throw new CommandError(`cannot send through the SMTP server ${opened.location}: ${errorText(error)}`);
  }
}

async function checkOutboxFolder(dir: string, passwords: boolean): Promise<void> {
  const info = await statIfThere(dir, dir);
  if (info === undefined) {
    await checkCanMake(dir);
    return;
  }
  if (!info.isDirectory()) throw new CommandError(`${dir} is a file, not a folder; give --outbox a folder`);
  await checkWritable(dir, dir);
  // A folder rollcall makes is private; one that was there is the operator's, so it is refused rather than changed.
  if (passwords && (info.mode & 0o077) !== 0) {
    throw new CommandError(
      `${dir} is open to other users (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}) and --include-password ` +
        `puts passwords into its files: make it private (chmod 700 ${dir}) or give --outbox a new folder`,
    );
  }
}

/** The outbox folder is missing: the nearest folder above it that exists must be one the command may write into. */
async function checkCanMake(dir: string): Promise<void> {
  let above = dirname(dir);
  for (;;) {
    const info = await statIfThere(above, dir);
    if (info !== undefined) {
      if (!info.isDirectory()) throw new CommandError(`cannot make the outbox folder ${dir}: ${above} is a file; give --outbox a folder`);
      await checkWritable(above, dir);
      return;
    }
    const next = dirname(above);
    // The root is always there; a path whose every part is missing cannot reach this.
    if (next === above) return;
    above = next;
  }
}

/** The path's status, or undefined when there is nothing there (or a file stands where a folder on the way should be). */
async function statIfThere(path: string, outbox: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new CommandError(`cannot use the outbox folder ${outbox}: ${fileProblem(error)}`);
  }
}

async function checkWritable(folder: string, outbox: string): Promise<void> {
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch (error) {
    const where = folder === outbox ? `write into the outbox folder ${outbox}` : `make the outbox folder ${outbox} in ${folder}`;
    throw new CommandError(`cannot ${where}: ${fileProblem(error)}`);
  }
}

import { resolve } from 'node:path';
import type { ImportResult } from '../execute/import-result.js';
import { importUsers, type ImportProgress } from '../execute/import-users.js';
import { importCredentials } from '../notify/import-credentials.js';
import { renderJson } from '../report/render-json.js';
import type { Messages } from '../report/issue.js';
import { renderText } from '../report/render-text.js';
import { showValue } from '../validate/messages.js';
import { errorText, fileProblem, parseCommandArgs, positiveInteger, UsageError } from './args.js';
import { openInput, type CliIO } from './io.js';
import { checkMailer } from './check-mailer.js';
import { mailerArgOptions, mailerChoice, mailerUsage, openMailer, type OpenedMailer } from './mailer-options.js';
import { defaultDatabaseFolder, openStore, waitArgOption, waitMs, waitUsage } from './open-store.js';
import { createResultsFile, ResultsFileError, type PendingResultsFile } from './results-file.js';
import { sendFromCli, sendingJson, sendingText, type CliSendOutcome } from './send-intro-command.js';

export const importUsage = `Usage: rollcall import FILE [--db DIR|postgres://URL] [--results FILE] [--on-existing error|skip] [--import-key K] [--wait SECONDS] [--json] [--sheet NAME] [--max-rows N] [--max-bytes N] [--send-intro [--outbox DIR | --smtp URL] ...]

Imports the users of a CSV file or a workbook, .xlsx or .ods (FILE, or - for standard input): every one of them, or none.
Exit code 0: imported (and, with --send-intro, every introduction sent); 1: nothing was imported because of
problems, or the users were imported but some introductions failed; 2: the command could not run.
  --db DIR|URL            the store: a database folder (default ./${defaultDatabaseFolder}, created on first use)
                          or a postgres:// URL
  --results FILE          where to write the created users with their temporary passwords
                          (default ./rollcall-results-IMPORT_ID.csv, readable by you only; an existing file is
                          never overwritten)
  --on-existing error|skip  a user whose email is already stored: fail the import (default) or skip the row
  --import-key K          run an import once: the same key and file again only reports the first run
${waitUsage}  --json                  print one JSON object: { imported, importId, created, skipped, resultsFile } or
                          { imported: false, valid, rowCount, errorCount, errors, ... }
  --sheet NAME            the workbook sheet to read (default: the first visible worksheet)
  --max-rows N            the most data rows accepted (default 1,000,000)
  --max-bytes N           the largest file accepted, in bytes (default 134,217,728)
  --send-intro            after a successful import, send each created user an introduction email
                          (with --json the object gains "introductions": { sent, failed }; those that fail
                          are sent later by rollcall send-intro). The outbox folder or SMTP server is checked
                          before anything is imported
${mailerUsage}  --include-password      put each user's temporary password into their email (off by default: email
                          is not a safe channel; the results file has the passwords); an existing --outbox
                          folder must then be private (chmod 700)
`;

/**
 * `rollcall import`: exit 0 when the users were imported (and, with --send-intro, every introduction sent), 1
 * when nothing was imported because of problems in the file or some introductions are not sent, 2 when the command
 * could not run or failed after the commit (the results file, the flush to the disk, sending). The operator of the command line is the admin: it asks
 * no one's permission (a host application passes its own `authorize` to `importUsers`).
 */
export async function importCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      results: { type: 'string' },
      'on-existing': { type: 'string' },
      'import-key': { type: 'string' },
      json: { type: 'boolean' },
      'max-rows': { type: 'string' },
      'max-bytes': { type: 'string' },
      sheet: { type: 'string' },
      'send-intro': { type: 'boolean' },
      'include-password': { type: 'boolean' },
      ...mailerArgOptions,
      ...waitArgOption,
    },
  });
  if (positionals.length !== 1 || positionals[0] === undefined) throw new UsageError('import takes one FILE');
  const onExisting = values['on-existing'] ?? 'error';
  if (onExisting !== 'error' && onExisting !== 'skip') {
    throw new UsageError(`--on-existing takes error or skip, got "${onExisting}"`);
  }
  const importKey = values['import-key'];
  if (importKey === '') throw new UsageError('--import-key needs a value');
  const maxRows = positiveInteger('max-rows', values['max-rows']);
  const maxBytes = positiveInteger('max-bytes', values['max-bytes']);
  const sendIntro = values['send-intro'] === true;
  const mailOption = [...Object.keys(mailerArgOptions), 'include-password'].find((name) => name in values);
  if (!sendIntro && mailOption !== undefined) throw new UsageError(`--${mailOption} needs --send-intro`);
  const choice = sendIntro ? mailerChoice(values, io.cwd) : undefined;
  const wait = waitMs(values.wait);

  const file = positionals[0];
  const input = await openInput(file === '-' ? file : resolve(io.cwd, file), io);
  const importId = crypto.randomUUID();
  const resultsPath = resolve(io.cwd, values.results ?? `rollcall-results-${importId}.csv`);
  let results: PendingResultsFile;
  try {
    // Created before anything is imported: a results file that cannot be written would lose every password.
    results = await createResultsFile(resultsPath);
  } catch (error) {
    if (input !== io.stdin) input.destroy();
    throw error;
  }
  let keepResults = false;
  let mailer: OpenedMailer | undefined;
  const progress = progressLine(io);
  try {
    // Opened and checked before the import, so a missing nodemailer, an outbox that cannot be written or an SMTP
    // server that does not answer stops the command before any user is created.
    if (choice) {
      mailer = await openMailer(choice);
      await checkMailer(choice, mailer, { passwords: values['include-password'] === true });
    }
    const opened = await openStore(values.db, io.cwd, { create: true, waitMs: wait, warn: (line) => io.stderr.write(line) });
    try {
      let result: ImportResult;
      try {
        result = await importUsers(input, {
          store: opened.store,
          actor: 'command-line operator',
          authorize: () => true,
          onExisting,
          importId,
          messages: commandLineMessages,
          ...(importKey === undefined ? {} : { importKey }),
          ...(maxRows === undefined ? {} : { maxRows }),
          ...(maxBytes === undefined ? {} : { maxBytes }),
          ...(values.sheet === undefined ? {} : { sheet: values.sheet }),
          ...(progress === undefined ? {} : { onProgress: progress.update }),
        });
      } finally {
        progress?.clear();
      }
      // A results file only when it holds somebody: an import that skipped every row created no password.
      if (result.imported && !result.replayed && result.created.length > 0) {
        keepResults = true;
        try {
          await results.commit(result.resultsCsv());
        } catch (error) {
          const reason = `the users were imported (import ${result.importId}), but ${resultsProblem(resultsPath, error)}`;
          io.stderr.write(`rollcall import: ${reason}\n`);
          if (values.json === true) {
            // Imported, so the report as on success, without a results file, and why the command still failed.
            report(result, null, importKey, true, io, undefined, { code: 'results_not_written', message: reason });
          }
          return 2;
        }
      }
      // Flushed to the disk before success is reported: PGlite itself never calls fsync.
      if (result.imported && !result.replayed) {
        try {
          await opened.sync();
        } catch (error) {
          const reason =
            `the users were imported (import ${result.importId})${keepResults ? ` and their passwords are in ${resultsPath}` : ''}, ` +
            `but flushing the database to the disk failed (${fileProblem(error)}): a power loss now could lose them`;
          io.stderr.write(`rollcall import: ${reason}\n`);
          if (values.json === true) {
            report(result, keepResults ? resultsPath : null, importKey, true, io, undefined, { code: 'store_not_flushed', message: reason });
          }
          return 2;
        }
      }
      // Only after the import committed and its passwords are safe in the results file: a failed import sends nothing.
      let sending: CliSendOutcome | undefined;
      if (result.imported && choice && mailer) {
        const credentials =
          values['include-password'] === true && !result.replayed ? { credentials: importCredentials(result) } : {};
        try {
          sending = await sendFromCli(opened.store, choice, mailer, { importId: result.importId, ...credentials });
        } catch (error) {
          const reason =
            `the users were imported (import ${result.importId}), but sending their introductions ` +
            `failed (${errorText(error)}): ` +
            `send them with rollcall send-intro --import ${result.importId}`;
          report(result, keepResults ? resultsPath : null, importKey, values.json === true, io, undefined, {
            code: 'introductions_not_sent',
            message: reason,
          });
          io.stderr.write(`rollcall import: ${reason}\n`);
          return 2;
        }
      }
      report(result, keepResults ? resultsPath : null, importKey, values.json === true, io, sending);
      // Imported, but introductions that failed or that another sender still holds are not a full success: a
      // script must not take them for sent.
      return result.imported && (sending === undefined || (sending.failed === 0 && sending.result.leased.count === 0)) ? 0 : 1;
    } finally {
      // A database folder made for an import that created nobody is removed again.
      await opened.closeAndDiscardIfUnused();
    }
  } finally {
    await mailer?.close();
    await results.dispose();
    // A file never read (the store could not be opened) is closed here; standard input is left alone.
    if (input !== io.stdin) input.destroy();
  }
}

/** What became of the passwords when their results file could not be written, and what to do. */
function resultsProblem(path: string, error: unknown): string {
  if (error instanceof ResultsFileError && error.kind === 'kept') {
    return `${error.message}: their temporary passwords are in ${error.keptAt ?? ''}; move that file somewhere safe.`;
  }
  if (error instanceof ResultsFileError && error.kind === 'unflushed') {
    return `${error.message}: copy ${path}, which holds their temporary passwords, somewhere safe.`;
  }
  return `writing ${path} failed (${errorText(error)}), so their temporary passwords are lost: have them reset their passwords.`;
}

function report(
  result: ImportResult,
  resultsFile: string | null,
  importKey: string | undefined,
  json: boolean,
  io: CliIO,
  sending: CliSendOutcome | undefined,
  error?: { readonly code: string; readonly message: string },
): void {
  if (json) {
    const output = result.imported
      ? {
          imported: true,
          importId: result.importId,
          created: result.created.length,
          skipped: result.skipped.length,
          resultsFile,
          replayed: result.replayed,
          ...(sending === undefined ? {} : { introductions: sendingJson(sending) }),
          ...(error === undefined ? {} : { error }),
        }
      : { imported: false, ...renderJson(result.summary) };
    io.stdout.write(`${JSON.stringify(output)}\n`);
    return;
  }
  if (!result.imported) {
    io.stdout.write(`Sorry, your import was not successful: no user was imported.\n\n${renderText(result.summary)}\n`);
    return;
  }
  const created = count(result.created.length, 'user');
  if (result.replayed) {
    io.stdout.write(
      `This file was already imported with the import key "${importKey ?? ''}" on ${result.importedAt.toISOString()} ` +
        `(import ${result.importId}): ${created} created then. Nothing was created now, and the passwords are not shown again.\n`,
    );
    if (sending) io.stdout.write(sendingText(sending, result.importId));
    return;
  }
  if (result.created.length === 0) {
    io.stdout.write(
      `Nothing was imported: every user in the file already exists (${count(result.skipped.length, 'row')} skipped). ` +
        'No user was created and no results file was written.\n',
    );
    if (sending) io.stdout.write(sendingText(sending, result.importId));
    if (result.summary.warningCount > 0) io.stdout.write(`\n${renderText(result.summary)}\n`);
    return;
  }
  const skipped = result.skipped.length === 0 ? '' : ` (${count(result.skipped.length, 'row')} skipped: those users already exist)`;
  io.stdout.write(
    `Your import was successful: ${created} created${skipped}.\n` +
      `Their temporary passwords are in ${resultsFile ?? ''}\n` +
      `The passwords are shown only once, in that file: give each user theirs, then delete the file. ` +
      `Users must choose a new password when they first sign in; the temporary ones expire on ${result.expiresAt.toISOString()}.\n`,
  );
  if (sending) io.stdout.write(sendingText(sending, result.importId));
  if (result.summary.warningCount > 0) io.stdout.write(`\n${renderText(result.summary)}\n`);
}

/** The library's messages, where the command line has its own way to say what to do. */
const commandLineMessages: Messages = {
  already_exists: (c) =>
    `${c.row === null ? '' : `Row ${String(c.row)}: `}a user with the email ${showValue(c.value)} ` +
    (c.onExisting === 'skip'
      ? 'was created by another import while this one ran, so nothing was imported. ' +
        'Run the same command again: users who exist by then are skipped.'
      : 'already exists. Remove the row, or run the import again with --on-existing skip.'),
};

/** A progress line on standard error, only when it is a terminal. */
function progressLine(io: CliIO): { update: (progress: ImportProgress) => void; clear: () => void } | undefined {
  if (io.stderr.isTTY !== true) return undefined;
  let shown = false;
  return {
    update(progress) {
      shown = true;
      const text =
        progress.phase === 'reading'
          ? `Reading rows: ${progress.rowsRead.toLocaleString('en-US')}`
          : `Creating users: ${progress.usersCreated.toLocaleString('en-US')} of ${progress.usersToCreate.toLocaleString('en-US')}`;
      io.stderr.write(`\r\u001b[K${text}`);
    },
    clear() {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  };
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

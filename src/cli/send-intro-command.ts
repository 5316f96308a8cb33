import type { UserStore } from '../adapters/store/types.js';
import type { IntroductionCredential } from '../notify/introduction-template.js';
import { sendIntroductions, type LeasedIntroductions, type SendIntroductionsResult } from '../notify/send-introductions.js';
import { parseCommandArgs, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { mailerArgOptions, mailerChoice, mailerUsage, openMailer, type MailerChoice, type OpenedMailer } from './mailer-options.js';
import { defaultDatabaseFolder, openStore, waitArgOption, waitMs, waitUsage } from './open-store.js';

export const sendIntroUsage = `Usage: rollcall send-intro (--import ID | --pending) [--take-over] [--db DIR|postgres://URL] [--outbox DIR | --smtp URL] [--wait SECONDS] [--json]

Sends the introduction emails not sent yet: those still pending, and those whose sending failed.
Introductions another sender holds (it claimed them under a 5-minute lease) are reported, not sent.
Exit code 0: every introduction is sent; 1: some failed, or another sender holds some (a later run sends
them); 2: the command could not run.
  --import ID             the introductions of one import
  --pending               the introductions of every import
  --take-over             first end the leases other senders hold, and send their introductions now: only
                          when that sender is dead (killed, crashed); one still running may send them too,
                          so a user may get a second copy
  --db DIR|URL            the store: a database folder (default ./${defaultDatabaseFolder}) or a postgres:// URL
${mailerUsage}${waitUsage}  --json                  print one JSON object: { sent, failed, alreadySent, leaseLost, stopped,
                          tookOver, leased: { count, firstEndsAt, lastEndsAt }, failures }
`;

/** The failures shown to the operator, at most; the rest are counted (the outbox keeps every reason). */
const failuresShown = 20;

/** What one sending run from the command line did: the counts, and the first failures with their reasons. */
export interface CliSendOutcome {
  readonly result: SendIntroductionsResult;
  /** Introductions that failed or were not attempted in this run, as counted in `failed`. */
  readonly failed: number;
  readonly failures: readonly { readonly email: string; readonly error: string }[];
  /** Where the messages went: the outbox folder, or the SMTP server without its password. */
  readonly location: string;
}

/**
 * Sends the introductions of one import (or of all, `importId` left out) with the mailer the options chose
 * (left open: it belongs to the caller). Shared by `rollcall send-intro` and `rollcall import --send-intro`.
 *
 * @example const outcome = await sendFromCli(store, choice, mailer, { importId }); // outcome.result.sent === 3
 */
export async function sendFromCli(
  store: UserStore,
  choice: MailerChoice,
  opened: OpenedMailer,
  scope: {
    readonly importId?: string;
    readonly credentials?: ReadonlyMap<string, IntroductionCredential>;
    readonly takeOver?: boolean;
  },
): Promise<CliSendOutcome> {
  const failures: { email: string; error: string }[] = [];
  const result = await sendIntroductions(store, {
      mailer: opened.mailer,
      from: choice.from,
      appName: choice.appName,
      signInUrl: choice.signInUrl,
      ...(scope.importId === undefined ? {} : { importId: scope.importId }),
      ...(scope.credentials === undefined ? {} : { credentials: scope.credentials }),
      ...(scope.takeOver === true ? { takeOver: true } : {}),
      onResult(item) {
        if ((item.status === 'failed' || item.status === 'not_attempted') && failures.length < failuresShown) {
          failures.push({ email: item.introduction.email, error: item.error ?? item.status });
        }
      },
    });
  return { result, failed: result.failed + result.notAttempted, failures, location: opened.location };
}

/**
 * `rollcall send-intro`: sends the pending and failed introductions of one import, or of all; exit 0 when
 * none failed, 1 when some did (they stay in the outbox for a later run), 2 when the command could not run.
 */
export async function sendIntroCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      import: { type: 'string' },
      pending: { type: 'boolean' },
      'take-over': { type: 'boolean' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      ...mailerArgOptions,
      ...waitArgOption,
    },
  });
  if (positionals.length > 0) throw new UsageError('send-intro takes no FILE');
  const wait = waitMs(values.wait);
  const importId = values.import;
  if ((importId === undefined) === (values.pending !== true)) throw new UsageError('give --import ID or --pending');
  if (importId === '') throw new UsageError('--import needs an import id');
  const choice = mailerChoice(values, io.cwd);

  const mailer = await openMailer(choice);
  let outcome: CliSendOutcome;
  try {
    const opened = await openStore(values.db, io.cwd, { create: false, waitMs: wait, warn: (line) => io.stderr.write(line) });
    try {
      const takeOver = values['take-over'] === true;
      outcome = await sendFromCli(opened.store, choice, mailer, importId === undefined ? { takeOver } : { importId, takeOver });
    } finally {
      await opened.close();
    }
  } finally {
    await mailer.close();
  }
  if (values.json === true) {
    io.stdout.write(`${JSON.stringify(sendingJson(outcome))}\n`);
  } else {
    io.stdout.write(sendingText(outcome, importId));
  }
  return outcome.failed > 0 || outcome.result.leased.count > 0 ? 1 : 0;
}

/** The JSON report of a sending run. */
export function sendingJson(outcome: CliSendOutcome): Record<string, unknown> {
  const { result } = outcome;
  return {
    sent: result.sent,
    failed: outcome.failed,
    alreadySent: result.alreadySent,
    leaseLost: result.leaseLost,
    stopped: result.stopped,
    tookOver: result.tookOver,
    leased: {
      count: result.leased.count,
      firstEndsAt: result.leased.firstEndsAt?.toISOString() ?? null,
      lastEndsAt: result.leased.lastEndsAt?.toISOString() ?? null,
    },
    failures: outcome.failures,
  };
}

/** The text report of a sending run: counts, where the messages went, the first failures, what to run next. */
export function sendingText(outcome: CliSendOutcome, importId: string | undefined): string {
  const { result, failed, failures } = outcome;
  const lines = [
    `Introductions: ${count(result.sent, 'sent')} to ${outcome.location}, ${count(failed, 'failed')}, ` +
      `${count(result.alreadySent, 'already sent')} before.`,
  ];
  if (result.leaseLost > 0) {
    lines.push(`${count(result.leaseLost, 'introduction')} taken over by another sender before this run recorded it.`);
  }
  if (result.tookOver > 0) lines.push(`Took over ${count(result.tookOver, 'introduction')} from other senders' leases.`);
  if (result.leased.count > 0) lines.push(...leasedText(result.leased, importId));
  if (result.stopped === 'mailer_unavailable') lines.push('Sending stopped early: too many messages in a row failed (is the mail server down?).');
  for (const failure of failures) lines.push(`  ${printable(failure.email)}: ${printable(failure.error)}`);
  if (failed > failures.length) lines.push(`  ... and ${(failed - failures.length).toLocaleString('en-US')} more`);
  if (failed > 0) {
    lines.push(`Send them again later with: rollcall send-intro ${importId === undefined ? '--pending' : `--import ${importId}`}`);
  }
  return `${lines.join('\n')}\n`;
}

/** What the operator is told of introductions another sender holds: how many, until when, and how to take them over. */
function leasedText(leased: LeasedIntroductions, importId: string | undefined): string[] {
  const { firstEndsAt, lastEndsAt } = leased;
  const until =
    firstEndsAt === null || lastEndsAt === null
      ? ''
      : firstEndsAt.getTime() === lastEndsAt.getTime()
        ? ` until ${firstEndsAt.toISOString()}`
        : ` until ${firstEndsAt.toISOString()} (the first lease to end; the last ends ${lastEndsAt.toISOString()})`;
  const scope = importId === undefined ? '--pending' : `--import ${importId}`;
  return [
    `${count(leased.count, leased.count === 1 ? 'introduction is' : 'introductions are')} held by another sender's lease${until}: ` +
      'that sender sends them, or a later run does once the lease ends.',
    `If that sender is dead (killed or crashed), send them now with: rollcall send-intro ${scope} --take-over ` +
      '(if it is still running, some users may get a second copy).',
  ];
}

function count(n: number, what: string): string {
  return `${n.toLocaleString('en-US')} ${what}`;
}

/** Text from the store or a server as a terminal may show it: control and bidi characters cannot move the cursor. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu, '\uFFFD');
}

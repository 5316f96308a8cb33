// Several rollcall commands started a moment apart on one PGlite database folder, one of them maybe SIGKILLed:
// what each reported, and what the folder holds afterwards. Used by folder-lock.test.ts.
import { spawn } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { openFolderStore } from '../../src/adapters/store/folder-store.js';
import type { PostgresStore } from '../../src/adapters/store/postgres.js';

export type CommandKind = 'import' | 'users' | 'send-intro';

/** One command of a round: what it runs, when it starts, how long it may wait for the folder. */
export interface RoundCommand {
  readonly kind: CommandKind;
  readonly startMs: number;
  readonly waitSeconds: number;
}

/** A round: the commands, and maybe a SIGKILL of one of them some time after it started. */
export interface Round {
  readonly commands: readonly RoundCommand[];
  readonly kill: { readonly index: number; readonly afterMs: number } | undefined;
}

const command = (kind: fc.Arbitrary<CommandKind>): fc.Arbitrary<RoundCommand> =>
  fc.record({
    kind,
    startMs: fc.integer({ min: 0, max: 600 }),
    // Mostly long enough to queue behind the others; sometimes none, to be refused.
    waitSeconds: fc.constantFrom(0, 120, 120),
  });

const kill = fc.record({ index: fc.nat({ max: 2 }), afterMs: fc.integer({ min: 100, max: 4000 }) });

/** Rounds of two imports and maybe a third command of any kind, one of them SIGKILLed in a third of the rounds. */
export const rounds: fc.Arbitrary<Round> = fc.record({
  commands: fc
    .tuple(command(fc.constant('import')), command(fc.constant('import')), fc.array(command(fc.constantFrom('import', 'users', 'send-intro')), { maxLength: 1 }))
    .map(([first, second, rest]) => [first, second, ...rest]),
  kill: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: kill }),
});

/** What one command did: its exit, its output, and the emails of the file it imported. */
export interface CommandOutcome {
  readonly command: RoundCommand;
  readonly code: number | null;
  readonly killed: boolean;
  readonly stdout: string;
  readonly stderr: string;
  readonly emails: readonly string[];
  /** Where an import writes its results file. */
  readonly resultsFile: string;
}

const busyLine =
  /^rollcall (import|users|send-intro): the database folder \S+ is in use by another rollcall command \(pid \d+, since \d\d:\d\d:\d\d\); try again when it has finished\n$/u;

/** Runs a round's commands against `db` (a folder not made yet) from `cli`, each import with users of its own. */
export async function runRound(cli: string, dir: string, db: string, round: Round, usersPerImport: number): Promise<CommandOutcome[]> {
  return Promise.all(
    round.commands.map(async (cmd, index): Promise<CommandOutcome> => {
      await new Promise((resolve) => setTimeout(resolve, cmd.startMs));
      const emails = cmd.kind === 'import' ? Array.from({ length: usersPerImport }, (_, i) => `u${String(i)}.c${String(index)}@example.com`) : [];
      const args = ['--db', db, '--wait', String(cmd.waitSeconds)];
      const resultsFile = join(dir, `c${String(index)}-results.csv`);
      if (cmd.kind === 'import') {
        const file = join(dir, `c${String(index)}.csv`);
        await writeFile(file, `First Name,Last Name,Email\n${emails.map((email, i) => `U${String(i)},C${String(index)},${email}\n`).join('')}`);
        args.unshift('import', file, '--json', '--results', resultsFile);
      } else if (cmd.kind === 'users') {
        args.unshift('users', '--json');
      } else {
        args.unshift('send-intro', '--pending', '--outbox', join(dir, `out${String(index)}`));
      }
      const proc = spawn(process.execPath, [cli, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer =
        round.kill !== undefined && round.kill.index % round.commands.length === index
          ? setTimeout(() => proc.kill('SIGKILL'), round.kill.afterMs)
          : undefined;
      const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        proc.on('exit', (code, signal) => {
          resolve({ code, signal });
        });
      });
      clearTimeout(timer);
      return { command: cmd, code: exit.code, killed: exit.signal === 'SIGKILL', stdout, stderr, emails, resultsFile };
    }),
  );
}

/**
 * What must hold after any round: each command succeeded, was killed, or was refused with the one store_busy
 * line (a listing or sending with no database yet: with "there is no rollcall database") and left no results
 * file; the folder opens;
 * every import that exited 0 has every one of its users there. Returns the problems found, none when it held.
 */
export async function roundProblems(db: string, outcomes: readonly CommandOutcome[]): Promise<string[]> {
  const problems: string[] = [];
  for (const [index, outcome] of outcomes.entries()) {
    const { kind } = outcome.command;
    if (outcome.killed) continue;
    if (outcome.code === 2) {
      const noDatabase = kind !== 'import' && outcome.stderr.includes('there is no rollcall database at');
      if (!busyLine.test(outcome.stderr) && !noDatabase) problems.push(`command ${String(index)} (${kind}) failed: ${outcome.stderr.trim()}`);
      if (kind === 'import' && (await stat(outcome.resultsFile).then(() => true, () => false))) {
        problems.push(`command ${String(index)} was refused, yet left a results file`);
      }
      continue;
    }
    const fine = kind === 'import' ? outcome.code === 0 && outcome.stdout.includes('"imported":true') : outcome.code === 0 || (kind === 'send-intro' && outcome.code === 1);
    if (!fine) problems.push(`command ${String(index)} (${kind}) exited ${String(outcome.code)}: ${outcome.stdout.trim()} ${outcome.stderr.trim()}`);
  }
  const reported = outcomes.filter((o) => o.command.kind === 'import' && !o.killed && o.code === 0);
  const exists = await stat(db).then(() => true, () => false);
  if (!exists) {
    if (reported.length > 0) problems.push('imports reported success, yet there is no database folder');
    return problems;
  }
  let opened;
  try {
    opened = await openFolderStore(db, { create: false, waitMs: 30_000 });
  } catch (error) {
    // A folder no import finished may have been removed or left empty; one that holds data must open.
    if (reported.length > 0 || !String(error).includes('there is no rollcall database')) problems.push(`the folder does not open: ${String(error)}`);
    return problems;
  }
  try {
    const stored = new Set(await allEmails(opened.store));
    for (const outcome of reported) {
      const missing = outcome.emails.filter((email) => !stored.has(email)).length;
      if (missing > 0) problems.push(`an import reported success, yet ${String(missing)} of its ${String(outcome.emails.length)} users are not there`);
    }
  } finally {
    await opened.close();
  }
  return problems;
}

async function allEmails(store: PostgresStore): Promise<string[]> {
  const emails: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.listUsers(after === undefined ? { limit: 5000 } : { after, limit: 5000 });
    emails.push(...page.map((user) => user.email));
    const last = page.at(-1);
    if (page.length < 5000 || last === undefined) return emails;
    after = last.emailKey;
  }
}

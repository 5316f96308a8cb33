import { isPGliteFailure } from '../adapters/store/pglite-failure.js';
import { RollcallError } from '../rollcall-error.js';
import { CommandError, errorText, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { templateCommand, templateUsage } from './template-command.js';
import { importCommand, importUsage } from './import-command.js';
import { sendIntroCommand, sendIntroUsage } from './send-intro-command.js';
import { usersCommand, usersUsage } from './users-command.js';
import { validateCommand, validateUsage } from './validate-command.js';

type Command = (args: readonly string[], io: CliIO) => Promise<number>;

const commands: Readonly<Record<string, { run: Command; usage: string }>> = {
  template: { run: templateCommand, usage: templateUsage },
  validate: { run: validateCommand, usage: validateUsage },
  import: { run: importCommand, usage: importUsage },
  users: { run: usersCommand, usage: usersUsage },
  'send-intro': { run: sendIntroCommand, usage: sendIntroUsage },
};

const usage = `Usage: rollcall COMMAND [options]

Commands:
${Object.entries(commands)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.usage.split('\n')[2] ?? ''}`)
  .join('\n')}

Run rollcall COMMAND --help for a command's options.
`;

/** Runs the `rollcall` command line and resolves with its exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`rollcall: unknown command "${name}"\n\n${usage}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.usage);
    return 0;
  }
  // Whether the command wrote to standard output, so a failure never appends a second object to its JSON.
  const stdout = { written: false };
  const tracked: CliIO = {
    ...io,
    stdout: {
      write: (text: string) => {
        stdout.written = true;
        return io.stdout.write(text);
      },
      ...(io.stdout.isTTY === undefined ? {} : { isTTY: io.stdout.isTTY }),
      ...(io.stdout.columns === undefined ? {} : { columns: io.stdout.columns }),
    },
  };
  try {
    return await command.run(args, tracked);
  } catch (error) {
    const { code, message } = failure(error);
    const text =
      error instanceof UsageError
        ? // The synopsis and where the rest is: the whole usage would bury the one line that says what is wrong.
          `${message}\n${command.usage.split('\n')[0] ?? ''}\nSee rollcall ${name} --help for every option.`
        : message;
    io.stderr.write(`rollcall ${name}: ${text}\n`);
    // A script that asked for JSON gets an object on standard output on this path too, not nothing.
    if (!stdout.written && args.includes('--json') && command.usage.includes('--json')) {
      io.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    }
    return 2;
  }
}

/** Why a command could not run, as a code a script can test and the one-line reason. */
function failure(error: unknown): { code: string; message: string } {
  if (error instanceof UsageError) return { code: 'usage', message: error.message };
  if (error instanceof CommandError) return { code: 'cannot_run', message: error.message };
  if (error instanceof RollcallError) return { code: error.code, message: `${error.message}${storeReason(error)}` };
  return { code: 'failed', message: errorText(error) };
}

/** Why the store failed (a full disk, a lost connection), which the operator needs and `store_error` leaves to its cause. */
function storeReason(error: RollcallError): string {
  const { cause } = error;
  if (error.code !== 'store_error' || !(cause instanceof Error) || error.message.includes(cause.message)) return '';
  // PGlite's raw failure: the message already says what happened to the folder.
  if (isPGliteFailure(cause)) return '';
  return ` (${cause.message})`;
}

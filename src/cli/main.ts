import { RollcallError } from '../rollcall-error.js';
import { CommandError, UsageError } from './args.js';
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
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      // The synopsis and where the rest is: the whole usage would bury the one line that says what is wrong.
      const synopsis = command.usage.split('\n')[0] ?? '';
      io.stderr.write(`rollcall ${name}: ${error.message}\n${synopsis}\nSee rollcall ${name} --help for every option.\n`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`rollcall ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof RollcallError) {
      io.stderr.write(`rollcall ${name}: ${error.message}${storeReason(error)}\n`);
      return 2;
    }
    io.stderr.write(`rollcall ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
}

/** Why the store failed (a full disk, a lost connection), which the operator needs and `store_error` leaves to its cause. */
function storeReason(error: RollcallError): string {
  const { cause } = error;
  if (error.code !== 'store_error' || !(cause instanceof Error) || error.message.includes(cause.message)) return '';
  return ` (${cause.message})`;
}

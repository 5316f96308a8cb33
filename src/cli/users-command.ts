import type { StoredUser } from '../adapters/store/types.js';
import { parseCommandArgs, UsageError } from './args.js';
import type { CliIO } from './io.js';
import { defaultDatabaseFolder, openStore, waitArgOption, waitMs } from './open-store.js';

export const usersUsage = `Usage: rollcall users [--db DIR|postgres://URL] [--wait SECONDS] [--json]

Lists the users in the store, ordered by email.
Exit code 0: listed; 2: the command could not run.
  --db DIR|URL   the store: a database folder (default ./${defaultDatabaseFolder}) or a postgres:// URL
  --json         print one JSON object: { "users": [{ "email", "firstName", "lastName", "attributes", "id" }] }
  --wait SECONDS how long to wait for another rollcall command using the database folder (default 5)
`;

const pageSize = 1000;

/** `rollcall users`: lists the store's users a page at a time, so any number of them streams out. */
export async function usersCommand(args: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: { db: { type: 'string' }, json: { type: 'boolean' }, ...waitArgOption },
  });
  if (positionals.length > 0) throw new UsageError('users takes no FILE');
  const json = values.json === true;
  const opened = await openStore(values.db, io.cwd, { create: false, waitMs: waitMs(values.wait), warn: (line) => io.stderr.write(line) });
  try {
    let total = 0;
    if (json) io.stdout.write('{"users":[');
    for await (const user of allUsers(opened.store.listUsers.bind(opened.store))) {
      if (json) {
        const { email, firstName, lastName, attributes, id } = user;
        io.stdout.write(`${total === 0 ? '' : ','}${JSON.stringify({ email, firstName, lastName, attributes, id })}`);
      } else {
        io.stdout.write(`${printable(user.email)}  ${printable(user.firstName)} ${printable(user.lastName)}\n`);
      }
      total++;
    }
    if (json) io.stdout.write(']}\n');
    else io.stdout.write(`${total.toLocaleString('en-US')} user${total === 1 ? '' : 's'} in ${opened.location}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}

async function* allUsers(list: (page: { after?: string; limit: number }) => Promise<StoredUser[]>): AsyncGenerator<StoredUser> {
  let after: string | undefined;
  for (;;) {
    const page = await list(after === undefined ? { limit: pageSize } : { after, limit: pageSize });
    yield* page;
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return;
    after = last.emailKey;
  }
}

/** Text from the store as a terminal may show it: control and bidi characters cannot move the cursor. */
function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu, '\uFFFD');
}

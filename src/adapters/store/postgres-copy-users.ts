import { StoreConflictError } from './errors.js';
import { compareKeys } from './key-order.js';
import { arrayLiteral } from './postgres-array.js';
import type { Queryable } from './postgres-client.js';
import { copyRows, copyValue, streamCopy, type CopyFrom } from './postgres-copy.js';
import { binaryCopyChunks } from './postgres-copy-binary.js';
import { quoteIdentifier, type ResolvedTables } from './postgres-table.js';
import { insertColumns, probe, probeValue, queryOrExplain, takenKeys, type InsertColumn } from './postgres-users.js';
import type { CreatedUser, NewUser } from './types.js';

/**
 * Creates users with `COPY … FROM STDIN` straight into the users table, in email-key order, inside a
 * savepoint: the server's bulk path, with no array to encode or parse. A taken key aborts the COPY at the
 * first one it meets, so the savepoint is rolled back and one lookup names every key of the batch that is
 * taken (or repeated in it) in the `StoreConflictError`; the caller's transaction stays usable. COPY returns
 * no rows, so the ids come from one more query: by a range of the primary key on rollcall's own table, by key
 * on a host's.
 */
export async function copyUsers(
  db: Queryable,
  tables: ResolvedTables,
  users: readonly NewUser[],
  copyFrom: CopyFrom,
  state: CopyState = {},
): Promise<CreatedUser[]> {
  if (users.length === 0) return [];
  // On rollcall's own table a column every user leaves at its default (no attributes, no invite hash) is left
  // out: less to send, and nothing for the server to parse.
  const columns = insertColumns(tables, users).filter(
    (c) => !tables.ownUsersTable || c.byDefault === undefined || users.some((user) => c.value(user) !== c.byDefault),
  );
  if (state.indexChecked !== true) {
    // COPY has no ON CONFLICT to fail on a table without a unique index on the key: ask the planner first,
    // once per transaction (the index cannot be dropped while the transaction holds rows of the table).
    const target = tables.columns.emailKey === null ? `(${tables.keyExpression})` : tables.keyExpression;
    await queryOrExplain(
      db,
      `INSERT INTO ${tables.users} (${quoteIdentifier(tables.columns.email)}) SELECT NULL WHERE false ` +
        `ON CONFLICT (${target}) DO NOTHING`,
      [],
      tables,
    );
    state.indexChecked = true;
  }
  // The importer hands batches over in key order already; sorting again would cost as much as checking.
  const order = inKeyOrder(users);
  // rollcall's own table has the column types rollcall gave it, so it takes COPY's binary format: nothing for
  // the server to parse, a fifth less of its time. A host's table, of types rollcall does not know, takes text.
  const binary = tables.ownUsersTable;
  const sql =
    `COPY ${tables.users} (${columns.map((c) => quoteIdentifier(c.column)).join(', ')}) FROM STDIN` +
    (binary ? ' WITH (FORMAT binary)' : '');
  // rollcall's own table numbers users from a sequence: every id this COPY draws is above the largest id
  // visible before it (or drawn by this transaction's previous COPY), so its rows can be read back by a range
  // of the primary key instead of by key.
  const since = !tables.ownUsersTable
    ? undefined
    : (state.lastId ??
      ((await db.query(`SELECT coalesce(max(id), 0)::text AS id FROM ${tables.users}`)).rows[0] as { id: string }).id);
  await db.query('SAVEPOINT rollcall_copy');
  try {
    const sorted = order.map((index) => users[index]).filter((user) => user !== undefined);
    if (binary) {
      const fields = columns.map((c) => ({ type: c.cast ?? c.type, value: c.value }));
      await streamCopy(copyFrom, db, sql, binaryCopyChunks(sorted, fields));
    } else {
      await copyRows(copyFrom, db, sql, sorted, copyLine(columns));
    }
  } catch (error) {
    await db.query('ROLLBACK TO SAVEPOINT rollcall_copy');
    // 23505: unique_violation. Anything else is not a conflict and goes up as it is.
    if ((error as { code?: unknown }).code !== '23505') throw error;
    const taken = await takenKeys(db, tables, users);
    if (taken.length === 0) throw error;
    throw new StoreConflictError('email_taken', taken, { cause: error });
  }
  await db.query('RELEASE SAVEPOINT rollcall_copy');
  const ids = new Array<string>(users.length).fill('');
  if (since !== undefined) {
    const drawn = await readBackIds(db, tables, users, order, since);
    drawn?.forEach((id, k) => {
      const index = order[k];
      if (index !== undefined) ids[index] = id;
    });
    // Unread, this batch's ids are not known: the next batch asks for the largest id again.
    state.lastId = drawn?.at(-1);
  }
  // Any user not read back by range (a host's table, or rows that did not come back as sent) is
  // looked up by key: one index probe each, forced by the scalar subquery (a join would scan the table).
  const missing = users.flatMap((user, index) => (ids[index] === '' ? [{ user, index }] : []));
  if (missing.length > 0) {
    const { rows } = await db.query(
      `SELECT e.i::integer AS i, (SELECT u.${quoteIdentifier(tables.columns.id)}::text FROM ${tables.users} u ` +
        `WHERE ${tables.keyExpression} = ${probe(tables)}) AS id FROM unnest($1::text[]) WITH ORDINALITY AS e(v, i)`,
      [arrayLiteral(missing.map(({ user }) => probeValue(tables, user)))],
    );
    for (const row of rows as { i: number; id: string | null }[]) {
      const index = missing[row.i - 1]?.index;
      if (index !== undefined && row.id !== null) ids[index] = row.id;
    }
  }
  return users.map((user, index) => ({ id: ids[index] ?? '', emailKey: user.emailKey, row: user.row }));
}

/**
 * The ids rollcall's own table drew for a batch just copied, in the order it was sent, or undefined when they
 * cannot be told apart that way. COPY reads its rows in order and the identity draws one increasing value per
 * row, and the batch's rows are the only ones of its imports above `since`. So when the smallest and largest of
 * them span exactly as many ids as there are users, and hold the first and last rows sent, the k-th user sent
 * has the k-th id of that range: two probes of the primary key answer for the whole batch. When other sessions
 * drew ids in between, the batch's ids are read in id order, and their rows, read alongside, must be the rows as
 * sent.
 */
async function readBackIds(
  db: Queryable,
  tables: ResolvedTables,
  users: readonly NewUser[],
  order: readonly number[],
  since: string,
): Promise<string[] | undefined> {
  const batch = `FROM ${tables.users} WHERE id > $1::bigint AND import_id = ANY($2::text[])`;
  const params = [since, arrayLiteral([...new Set(users.map((user) => user.importId))])];
  // The first and the last of the batch's ids, each with its row: one index probe each.
  const end = (direction: string): string =>
    `(SELECT id::text || ' ' || coalesce(import_row::text, '') ${batch} ORDER BY id ${direction} LIMIT 1)`;
  const span = await db.query(`SELECT ${end('ASC')} AS first, ${end('DESC')} AS last`, params);
  const ends = (span.rows[0] ?? {}) as { first?: string | null; last?: string | null };
  const [first = '', firstRow] = (ends.first ?? '').split(' ');
  const [last = '', lastRow] = (ends.last ?? '').split(' ');
  const sentRow = (k: number): string => String(users[order[k] ?? -1]?.row);
  // Consecutive ids, and the rows at both ends are the first and last sent: the k-th user has the k-th id.
  if (
    first !== '' &&
    last !== '' &&
    BigInt(last) - BigInt(first) + 1n === BigInt(users.length) &&
    firstRow === sentRow(0) &&
    lastRow === sentRow(users.length - 1)
  ) {
    const start = Number(first);
    if (Number.isSafeInteger(Number(last))) return order.map((_, k) => String(start + k));
    return order.map((_, k) => String(BigInt(first) + BigInt(k)));
  }
  const { rows } = await db.query(
    `SELECT string_agg(id::text, ',' ORDER BY id) AS ids, string_agg(import_row::text, ',' ORDER BY id) AS rows ${batch}`,
    params,
  );
  const read = rows[0] as { ids: string | null; rows: string | null } | undefined;
  const sent = order.map((index) => String(users[index]?.row)).join(',');
  return read?.ids != null && read.rows === sent ? read.ids.split(',') : undefined;
}

/** What one transaction's COPYs remember between batches, to skip statements whose answer is known. */
export interface CopyState {
  /** The unique index on the key was found. */
  indexChecked?: boolean;
  /** The largest id the transaction's previous COPY drew. */
  lastId?: string | undefined;
}

/** The positions of `users` in email-key order: as they are when already sorted, else sorted. */
function inKeyOrder(users: readonly NewUser[]): number[] {
  const order = users.map((_, index) => index);
  const key = (index: number): string => users[index]?.emailKey ?? '';
  for (let i = 1; i < users.length; i++) {
    if (compareKeys(key(i - 1), key(i)) > 0) return order.sort((a, b) => compareKeys(key(a), key(b)));
  }
  return order;
}

/**
 * Encodes a user as one line of COPY text. Each column remembers its last value and encoding: the import id,
 * the expiry and the must-change flag are the same for a whole batch, and are encoded once.
 */
function copyLine(columns: readonly InsertColumn[]): (user: NewUser) => string {
  const encoders = columns.map((column) => {
    let last: unknown = undefined;
    let encoded = '';
    return (user: NewUser): string => {
      const value = column.value(user);
      if (value !== last || encoded === '') {
        last = value;
        encoded = copyValue(value);
      }
      return encoded;
    };
  });
  const [first, ...rest] = encoders;
  return (user) => {
    let line = first === undefined ? '' : first(user);
    for (const encode of rest) line += '\t' + encode(user);
    return line;
  };
}

import { StoreConflictError, StoreError } from './errors.js';
import { compareKeys } from './key-order.js';
import { arrayLiteral } from './postgres-array.js';
import type { Queryable } from './postgres-client.js';
import { quoteIdentifier, type ResolvedTables } from './postgres-table.js';
import type { CreatedUser, ExistingUser, InviteRedemption, NewUser, StoredUser, UserPage } from './types.js';

/** One column of a batch insert: its name, the type of its array parameter, and how to read the value. */
export interface InsertColumn {
  readonly column: string;
  readonly type: 'text' | 'boolean' | 'timestamptz' | 'integer';
  /** A cast applied to the unnested value, for a type bound as text (`jsonb`). */
  readonly cast?: 'jsonb';
  readonly value: (user: NewUser) => string | number | boolean | null;
  /** The value rollcall's own table gives the column when it is left out (`{}` attributes, no hash). */
  readonly byDefault?: string | boolean | null;
}

/** What {@link insertUsers} learns once per transaction. */
export interface InsertState {
  /** A host table's columns that take no text by assignment, each with its type (see {@link hostColumnCasts}). */
  hostCasts?: ReadonlyMap<string, string>;
}

/**
 * The columns of a host's users table that PostgreSQL will not fill from text by assignment (`uuid`, `integer`,
 * `date`, `jsonb`…), each with its type as `format_type` writes it: rollcall binds its values as text, so these
 * are cast explicitly, through the type's own input function (a value it cannot read is an error, never a
 * truncation). Text-like columns (`text`, `varchar(n)`, `citext`, domains over them) are left to assignment,
 * which refuses a value too long for `varchar(n)` where an explicit cast would cut it.
 */
export async function hostColumnCasts(db: Queryable, tables: ResolvedTables): Promise<ReadonlyMap<string, string>> {
  const { rows } = await db.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
        AND coalesce(nullif(t.typbasetype, 0), a.atttypid) <> 'text'::regtype
        AND NOT EXISTS (SELECT 1 FROM pg_cast c WHERE c.castsource = 'text'::regtype
                          AND c.casttarget = coalesce(nullif(t.typbasetype, 0), a.atttypid) AND c.castcontext <> 'e')`,
    [tables.users],
  );
  return new Map((rows as { name: string; type: string }[]).map((row) => [row.name, row.type]));
}

/**
 * Inserts users with one `INSERT ... SELECT FROM unnest($1::text[], ...)` per `batchSize` rows: one array
 * parameter per column, so a batch of any size is one statement with a dozen parameters; a column with one
 * value for the whole batch (the import id, the expiry) is bound once as a scalar instead. Rows go in
 * email-key order, so two imports lock shared keys in the same order and cannot deadlock; `ON CONFLICT DO
 * NOTHING` on the key lets every batch run to the end, so the conflict error lists every taken key.
 */
export async function insertUsers(
  db: Queryable,
  tables: ResolvedTables,
  users: readonly NewUser[],
  batchSize: number,
  state: InsertState = {},
): Promise<CreatedUser[]> {
  const columns = insertColumns(tables, users);
  // rollcall's own table has the types rollcall gave it; a host's is asked once per transaction.
  const hostCasts = tables.ownUsersTable ? undefined : (state.hostCasts ??= await hostColumnCasts(db, tables));
  const names = columns.map((c) => quoteIdentifier(c.column)).join(', ');
  const target = tables.columns.emailKey === null ? `(${tables.keyExpression})` : tables.keyExpression;
  const returning =
    `ON CONFLICT (${target}) DO NOTHING RETURNING ${quoteIdentifier(tables.columns.id)}::text AS id, ` +
    `${quoteIdentifier(tables.columns.email)} AS email`;

  const entries = users.map((user, index) => ({ user, index })).sort((a, b) => compareKeys(a.user.emailKey, b.user.emailKey));
  const ids = new Map<number, string>();
  const taken = new Set<string>();
  const batches: (typeof entries)[] = [];
  for (let start = 0; start < entries.length; start += batchSize) batches.push(entries.slice(start, start + batchSize));
  /** The statement for one batch: arrays for the columns that vary, one scalar for each that does not. */
  const statementOf = (batch: typeof entries): { sql: string; params: unknown[] } => {
    const params: unknown[] = [];
    const selected: string[] = [];
    const arrays: string[] = [];
    columns.forEach((c, i) => {
      const values = batch.map(({ user }) => c.value(user));
      const first = values[0];
      const to = c.cast ?? (c.type === 'text' ? hostCasts?.get(c.column) : undefined);
      const cast = to === undefined ? '' : `::${to}`;
      // Sharing one value saves the server parsing it once per row: a quarter of the insert's time.
      if (i > 0 && values.every((value) => value === first)) {
        params.push(first ?? null);
        selected.push(`$${String(params.length)}::${c.type}${cast}`);
      } else {
        params.push(arrayLiteral(values));
        arrays.push(`$${String(params.length)}::${c.type}[]`);
        selected.push(`u.c${String(arrays.length - 1)}${cast}`);
      }
    });
    const aliases = arrays.map((_, i) => `c${String(i)}`).join(', ');
    // The email, the first column, always stays an array: it gives the rows (and unnest needs one array).
    const sql =
      `INSERT INTO ${tables.users} (${names}) SELECT ${selected.join(', ')} ` +
      `FROM unnest(${arrays.join(', ')}) AS u(${aliases}) ${returning}`;
    return { sql, params };
  };
  let next = statementOf(batches[0] ?? []);
  for (const [b, batch] of batches.entries()) {
    const pending = queryOrExplain(db, next.sql, next.params, tables);
    // Encode the next batch while the database inserts this one.
    const following = batches[b + 1];
    if (following) next = statementOf(following);
    const { rows } = await pending;
    // Match returned rows to inputs by the exact email inserted; inputs left unmatched hit a taken key.
    const waiting = new Map<string, number[]>();
    for (const { user, index } of batch) {
      const list = waiting.get(user.email);
      if (list) list.push(index);
      else waiting.set(user.email, [index]);
    }
    for (const row of rows as { id: string; email: string }[]) {
      const index = waiting.get(row.email)?.shift();
      if (index !== undefined) ids.set(index, row.id);
    }
    for (const { user, index } of batch) if (!ids.has(index)) taken.add(user.emailKey);
  }
  if (taken.size > 0) throw new StoreConflictError('email_taken', [...taken]);
  return users.map((user, index) => ({ id: ids.get(index) ?? '', emailKey: user.emailKey, row: user.row }));
}

/** The keys of `users` that the table already holds or that appear twice among them, each once. */
export async function takenKeys(db: Queryable, tables: ResolvedTables, users: readonly NewUser[]): Promise<string[]> {
  const taken = new Set<string>();
  const seen = new Set<string>();
  for (const { emailKey } of users) {
    if (seen.has(emailKey)) taken.add(emailKey);
    seen.add(emailKey);
  }
  const { rows } = await db.query(
    `SELECT i FROM (SELECT e.i::integer AS i, (SELECT true FROM ${tables.users} ` +
      `WHERE ${tables.keyExpression} = ${probe(tables)} LIMIT 1) AS hit FROM unnest($1::text[]) WITH ORDINALITY AS e(v, i)) AS probed ` +
      `WHERE hit`,
    [arrayLiteral(users.map((user) => probeValue(tables, user)))],
  );
  for (const row of rows as { i: number }[]) {
    const user = users[row.i - 1];
    if (user) taken.add(user.emailKey);
  }
  return [...taken];
}

/** SQL for the key of an unnested value `e.v`: the key itself, or `lower(email)` for a table without a key column. */
export function probe(tables: ResolvedTables): string {
  return tables.columns.emailKey === null ? 'lower(e.v)' : 'e.v';
}

export function probeValue(tables: ResolvedTables, user: NewUser): string {
  return tables.columns.emailKey === null ? user.email : user.emailKey;
}

/**
 * Looks users up by canonical key with one query. `IN (SELECT unnest($1))` rather than `= ANY($1)`:
 * with the planner's batches of 1,000 keys, `= ANY` cost ten times the server time in measurements.
 */
export async function findUsersByKey(
  db: Queryable,
  tables: ResolvedTables,
  keys: readonly string[],
): Promise<Map<string, ExistingUser>> {
  const found = new Map<string, ExistingUser>();
  if (keys.length === 0) return found;
  const { rows } = await db.query(
    `SELECT ${quoteIdentifier(tables.columns.id)}::text AS id, ${quoteIdentifier(tables.columns.email)} AS email, ` +
      `${tables.keyExpression} AS email_key FROM ${tables.users} ` +
      `WHERE ${tables.keyExpression} IN (SELECT unnest($1::text[]))`,
    [arrayLiteral([...new Set(keys)])],
  );
  for (const row of rows as { id: string; email: string; email_key: string }[]) {
    found.set(row.email_key, { id: row.id, email: row.email, emailKey: row.email_key });
  }
  return found;
}

interface UserRow {
  id: string;
  email: string;
  email_key: string;
  first_name: string;
  last_name: string;
  attributes?: Record<string, string> | null;
  /** Attribute columns come back as `a0`, `a1`... */
  [attributeColumn: `a${number}`]: unknown;
}

/** Lists users a page at a time, in byte order of their key (the order the memory store uses too). */
export async function listUsers(db: Queryable, tables: ResolvedTables, page: UserPage): Promise<StoredUser[]> {
  const key = `${tables.keyExpression} COLLATE "C"`;
  const { rows } = await db.query(
    `SELECT ${userColumns(tables)} FROM ${tables.users} WHERE $1::text IS NULL OR ${key} > $1 ORDER BY ${key} LIMIT $2`,
    [page.after ?? null, page.limit ?? 1000],
  );
  return (rows as UserRow[]).map((row) => storedUserOf(tables, row));
}

/**
 * Consumes an unused, unexpired invite with one `UPDATE`: concurrent redemptions of one invite queue on its
 * row lock, and each after the first finds it used. When nothing was consumed, one more lookup says why.
 */
export async function redeemInvite(
  db: Queryable,
  tables: ResolvedTables,
  columns: { readonly hash: string; readonly expiresAt: string; readonly usedAt: string },
  tokenHash: string,
  now: Date,
): Promise<InviteRedemption> {
  const hash = quoteIdentifier(columns.hash);
  const usedAt = quoteIdentifier(columns.usedAt);
  const at = now.toISOString();
  const { rows } = await db.query(
    `UPDATE ${tables.users} SET ${usedAt} = $2::timestamptz WHERE ${hash} = $1 AND ${usedAt} IS NULL ` +
      `AND ${quoteIdentifier(columns.expiresAt)} > $2::timestamptz RETURNING ${userColumns(tables)}`,
    [tokenHash, at],
  );
  const [row] = rows as UserRow[];
  if (row !== undefined) return { redeemed: true, user: storedUserOf(tables, row) };
  const { rows: found } = await db.query(
    `SELECT ${usedAt} IS NOT NULL AS used FROM ${tables.users} WHERE ${hash} = $1 LIMIT 1`,
    [tokenHash],
  );
  const [invite] = found as { used: boolean }[];
  return { redeemed: false, reason: invite === undefined ? 'unknown' : invite.used ? 'used' : 'expired' };
}

/** The select list of a {@link StoredUser}, for `SELECT` and `RETURNING` on the users table. */
function userColumns(tables: ResolvedTables): string {
  const { columns, attributeColumns } = tables;
  const extra = Object.values(attributeColumns).map((column, i) => `, ${quoteIdentifier(column)}::text AS a${i}`);
  return (
    `${quoteIdentifier(columns.id)}::text AS id, ${quoteIdentifier(columns.email)} AS email, ` +
    `${tables.keyExpression} AS email_key, ${quoteIdentifier(columns.firstName)} AS first_name, ` +
    `${quoteIdentifier(columns.lastName)} AS last_name` +
    (columns.attributes === null ? '' : `, ${quoteIdentifier(columns.attributes)} AS attributes`) +
    extra.join('')
  );
}

function storedUserOf(tables: ResolvedTables, row: UserRow): StoredUser {
  const attributes: Record<string, string> = { ...row.attributes };
  Object.keys(tables.attributeColumns).forEach((attribute, i) => {
    const value = row[`a${i}`];
    if (typeof value === 'string') attributes[attribute] = value;
  });
  return {
    id: row.id,
    email: row.email,
    emailKey: row.email_key,
    firstName: row.first_name,
    lastName: row.last_name,
    attributes,
  };
}

/** The columns this batch writes; refuses, before any query, a field the table has no column for. */
export function insertColumns(tables: ResolvedTables, users: readonly NewUser[]): InsertColumn[] {
  const { columns, attributeColumns } = tables;
  const own = new Set(Object.keys(attributeColumns));
  const needs = (field: string, column: string | null): void => {
    if (column === null) throw new StoreError('unmapped_field', `The users table has no column for ${field}`);
  };
  for (const user of users) {
    if (user.credential.kind === 'password') needs('passwordHash (temporary passwords)', columns.passwordHash);
    else needs('inviteTokenHash (invite links)', columns.inviteTokenHash);
    if (columns.attributes === null) {
      for (const key of Object.keys(user.attributes)) if (!own.has(key)) needs(`the attribute "${key}"`, null);
    }
  }

  const list: InsertColumn[] = [
    { column: columns.email, type: 'text', value: (u) => u.email },
    { column: columns.firstName, type: 'text', value: (u) => u.firstName },
    { column: columns.lastName, type: 'text', value: (u) => u.lastName },
  ];
  const optional = (column: string | null, entry: Omit<InsertColumn, 'column'>): void => {
    if (column !== null) list.push({ column, ...entry });
  };
  optional(columns.emailKey, { type: 'text', value: (u) => u.emailKey });
  optional(columns.attributes, {
    type: 'text',
    cast: 'jsonb',
    byDefault: '{}',
    value: (u) => {
      // Most imports have no optional columns: skip building an object per user to say `{}`.
      const entries = Object.entries(u.attributes);
      return entries.length === 0 ? '{}' : JSON.stringify(Object.fromEntries(entries.filter(([key]) => !own.has(key))));
    },
  });
  for (const [key, column] of Object.entries(attributeColumns)) {
    list.push({ column, type: 'text', value: (u) => u.attributes[key] ?? null });
  }
  optional(columns.passwordHash, {
    type: 'text',
    byDefault: null,
    value: (u) => (u.credential.kind === 'password' ? u.credential.hash : null),
  });
  optional(columns.mustChangePassword, {
    type: 'boolean',
    byDefault: false,
    value: (u) => u.credential.kind === 'password' && u.credential.mustChange,
  });
  optional(columns.inviteTokenHash, {
    type: 'text',
    byDefault: null,
    value: (u) => (u.credential.kind === 'invite' ? u.credential.hash : null),
  });
  // One expiry for a whole import: written out once, not once per user.
  let expiry: Date | undefined;
  let iso = '';
  optional(columns.credentialExpiresAt, {
    type: 'timestamptz',
    value: (u) => {
      const at = u.credential.expiresAt;
      if (at !== expiry) {
        expiry = at;
        iso = at.toISOString();
      }
      return iso;
    },
  });
  optional(columns.importId, { type: 'text', value: (u) => u.importId });
  optional(columns.row, { type: 'integer', value: (u) => u.row });
  return list;
}

/** Runs a write, turning "no unique index for ON CONFLICT" into `invalid_store_options`. */
export async function queryOrExplain(
  db: Queryable,
  sql: string,
  params: unknown[],
  tables: ResolvedTables,
): Promise<{ rows: unknown[] }> {
  try {
    return await db.query(sql, params);
  } catch (error) {
    // 42P10: ON CONFLICT found no unique index to decide on, so races could create duplicates.
    if ((error as { code?: unknown }).code === '42P10') {
      throw new StoreError(
        'invalid_store_options',
        `The users table ${tables.users} needs a unique index on ${tables.keyExpression}`,
        { cause: error },
      );
    }
    throw error;
  }
}

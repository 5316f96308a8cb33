import { arrayLiteral } from './postgres-array.js';
import type { Queryable } from './postgres-client.js';
import { copyRows, copyValue, type CopyFrom } from './postgres-copy.js';
import { quoteIdentifier, type ResolvedTables } from './postgres-table.js';
import type { Introduction, IntroductionStatus, LeasingOutbox, NewIntroduction } from './types.js';

interface IntroductionRow {
  id: string;
  import_id: string;
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: IntroductionStatus;
  attempts: number;
  claim_token: string | null;
  message_id: string | null;
  error: string | null;
}

const returned = [
  'id::text AS id', 'import_id', 'user_id', 'email', 'first_name', 'last_name', 'status', 'attempts', 'claim_token',
  'message_id', 'error',
];

/**
 * Adds introductions inside the caller's transaction: with one `COPY … FROM STDIN` when the host gave a
 * `copyFrom` (the outbox has no unique key, so a COPY here cannot conflict), otherwise with one `unnest`
 * insert per `batchSize` rows.
 */
export async function enqueueIntroductions(
  db: Queryable,
  tables: ResolvedTables,
  introductions: readonly NewIntroduction[],
  batchSize: number,
  copyFrom?: CopyFrom,
): Promise<void> {
  if (copyFrom !== undefined) {
    if (introductions.length === 0) return;
    await copyRows(
      copyFrom,
      db,
      `COPY ${tables.introductions} (import_id, user_id, email, first_name, last_name) FROM STDIN`,
      introductions,
      (n) =>
        `${copyValue(n.importId)}\t${copyValue(n.userId)}\t${copyValue(n.email)}\t${copyValue(n.firstName)}\t${copyValue(n.lastName)}`,
    );
    return;
  }
  for (let start = 0; start < introductions.length; start += batchSize) {
    const batch = introductions.slice(start, start + batchSize);
    await db.query(
      `INSERT INTO ${tables.introductions} (import_id, user_id, email, first_name, last_name) ` +
        `SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        arrayLiteral(batch.map((i) => i.importId)),
        arrayLiteral(batch.map((i) => i.userId)),
        arrayLiteral(batch.map((i) => i.email)),
        arrayLiteral(batch.map((i) => i.firstName)),
        arrayLiteral(batch.map((i) => i.lastName)),
      ],
    );
  }
}

/**
 * Records that every user of `importId` is to be introduced: one row, in the caller's transaction, instead of
 * one outbox row per user. The outbox writes the introductions when it is next read ({@link
 * writeRequestedIntroductions}), so a large import does not write its users a second time into the outbox, and
 * an import that rolls back leaves no request. Needs the users table's import id and row columns.
 */
export async function requestImportIntroductions(db: Queryable, tables: ResolvedTables, importId: string): Promise<void> {
  await db.query(`INSERT INTO ${tables.introductionRequests} (import_id) VALUES ($1) ON CONFLICT (import_id) DO NOTHING`, [
    importId,
  ]);
}

/**
 * Writes the introductions of every requested import into the outbox, in request order and row order, and
 * removes the requests, in one statement: of concurrent callers one writes them, and the others (waiting on
 * the requests' row locks) find them gone. When nothing is requested it writes nothing: one read of an empty
 * table. A database migrated before requests existed has nothing requested.
 */
export async function writeRequestedIntroductions(db: Queryable, tables: ResolvedTables): Promise<void> {
  const { columns } = tables;
  if (columns.importId === null || columns.row === null) return;
  const column = (name: string): string => `u.${quoteIdentifier(name)}`;
  try {
    const { rows } = await db.query(`SELECT EXISTS (SELECT 1 FROM ${tables.introductionRequests}) AS requested`);
    if ((rows[0] as { requested?: boolean } | undefined)?.requested !== true) return;
    await db.query(
      `WITH requested AS (DELETE FROM ${tables.introductionRequests} RETURNING seq, import_id)
       INSERT INTO ${tables.introductions} (import_id, user_id, email, first_name, last_name)
       SELECT r.import_id, ${column(columns.id)}::text, ${column(columns.email)}, ${column(columns.firstName)}, ${column(columns.lastName)}
       FROM requested r JOIN ${tables.users} u ON ${column(columns.importId)}::text = r.import_id
       ORDER BY r.seq, ${column(columns.row)}`,
    );
  } catch (error) {
    // 42P01: undefined_table, a database whose migration predates the requests table.
    if ((error as { code?: unknown }).code !== '42P01') throw error;
  }
}

/** The users of requested imports, counted as pending introductions without writing them (a read-only count). */
function requestedCount(tables: ResolvedTables): string {
  const { columns } = tables;
  if (columns.importId === null || columns.row === null) return '';
  return (
    ` UNION ALL SELECT 'pending', count(*)::integer FROM ${tables.introductionRequests} r ` +
    `JOIN ${tables.users} u ON u.${quoteIdentifier(columns.importId)}::text = r.import_id WHERE $1::text IS NULL OR r.import_id = $1`
  );
}

/**
 * The outbox over `rollcall_introductions`. A claim is one `UPDATE` over rows picked `FOR UPDATE SKIP
 * LOCKED`, so concurrent senders take disjoint sets; leases are measured by the database's clock.
 */
export function postgresOutbox(db: Queryable, tables: ResolvedTables): LeasingOutbox {
  const table = tables.introductions;
  return {
    async claim(request) {
      await writeRequestedIntroductions(db, tables);
      const { rows } = await db.query(
        `WITH picked AS (
           SELECT id FROM ${table}
           WHERE ($1::text IS NULL OR import_id = $1) AND status <> 'sent'
             AND (status = 'pending' OR (status = 'failed' AND $2::boolean)
                  OR (status = 'sending' AND lease_until <= clock_timestamp()))
           ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
         UPDATE ${table} AS i SET status = 'sending', attempts = i.attempts + 1, claim_token = $4,
           lease_until = clock_timestamp() + $5::integer * interval '1 millisecond', updated_at = clock_timestamp()
         FROM picked WHERE i.id = picked.id
         RETURNING ${returned.map((c) => `i.${c}`).join(', ')}`,
        [request.importId ?? null, request.retryFailed === true, request.limit, crypto.randomUUID(), request.leaseMs],
      );
      // RETURNING follows no order: give the claim back in enqueue order.
      return (rows as IntroductionRow[]).map(introductionOf).sort((a, b) => Number(a.id) - Number(b.id));
    },

    async mark(id, claimToken, outcome) {
      if (!/^[0-9]{1,18}$/.test(id)) return false; // not an id of this outbox
      const { rows } = await db.query(
        `UPDATE ${table} SET status = $3, message_id = $4, error = $5, claim_token = NULL, lease_until = NULL,
           updated_at = clock_timestamp()
         WHERE id = $1::bigint AND status = 'sending' AND claim_token = $2 RETURNING id`,
        [
          id,
          claimToken,
          outcome.status,
          outcome.status === 'sent' ? outcome.messageId : null,
          outcome.status === 'failed' ? outcome.error : null,
        ],
      );
      return rows.length === 1;
    },

    async count(filter = {}) {
      const counted = `SELECT status, count(*)::integer AS n FROM ${table} WHERE $1::text IS NULL OR import_id = $1 GROUP BY status`;
      let rows: unknown[];
      try {
        // One statement, one snapshot: an import's introductions are counted once, requested or written.
        ({ rows } = await db.query(counted + requestedCount(tables), [filter.importId ?? null]));
      } catch (error) {
        if ((error as { code?: unknown }).code !== '42P01') throw error; // migrated before requests existed
        ({ rows } = await db.query(counted, [filter.importId ?? null]));
      }
      const counts: Record<IntroductionStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
      for (const row of rows as { status: IntroductionStatus; n: number }[]) counts[row.status] += row.n;
      return counts;
    },

    async list(filter = {}) {
      await writeRequestedIntroductions(db, tables);
      const { rows } = await db.query(
        `SELECT ${returned.join(', ')} FROM ${table}
         WHERE ($1::text IS NULL OR import_id = $1) AND ($2::text IS NULL OR status = $2)
         ORDER BY ${table}.id`, // the column, not the text alias of the select list: "10" sorts before "2"
        [filter.importId ?? null, filter.status ?? null],
      );
      return (rows as IntroductionRow[]).map(introductionOf);
    },

    async leases(filter = {}) {
      // Epoch milliseconds as text: pg and PGlite parse timestamptz each their own way.
      const { rows } = await db.query(
        `SELECT count(*)::integer AS held,
           (extract(epoch FROM min(lease_until)) * 1000)::bigint::text AS first,
           (extract(epoch FROM max(lease_until)) * 1000)::bigint::text AS last
         FROM ${table}
         WHERE ($1::text IS NULL OR import_id = $1) AND status = 'sending' AND lease_until > clock_timestamp()`,
        [filter.importId ?? null],
      );
      const row = rows[0] as { held: number; first: string | null; last: string | null } | undefined;
      return {
        held: row?.held ?? 0,
        firstEndsAt: row?.first == null ? null : new Date(Number(row.first)),
        lastEndsAt: row?.last == null ? null : new Date(Number(row.last)),
      };
    },

    async endLeases(filter = {}) {
      const { rows } = await db.query(
        `UPDATE ${table} SET lease_until = clock_timestamp(), updated_at = clock_timestamp()
         WHERE ($1::text IS NULL OR import_id = $1) AND status = 'sending' AND lease_until > clock_timestamp()
         RETURNING id`,
        [filter.importId ?? null],
      );
      return rows.length;
    },
  };
}

function introductionOf(row: IntroductionRow): Introduction {
  return {
    id: row.id,
    importId: row.import_id,
    userId: row.user_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.status,
    attempts: row.attempts,
    claimToken: row.claim_token,
    messageId: row.message_id,
    error: row.error,
  };
}

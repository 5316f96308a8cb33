import { runTransaction, type PostgresClient } from './postgres-client.js';
import { rekeyEmails, type RekeyResult } from './postgres-rekey.js';
import { quoteIdentifier, resolveTables } from './postgres-table.js';

/** What {@link migratePostgresStore} changed in rows already stored. */
export interface MigrateResult {
  /**
   * The email keys re-computed the first time this version of rollcall migrates the database: keys of
   * addresses with an internationalised or look-alike domain changed (issue 27). Empty when `users: false`.
   */
  readonly emailKeys: RekeyResult;
}

// Steps that change stored rows run once, recorded by name in rollcall_migrations.
const rekeyStep = 'email_key_uts46';

/** Options of {@link migratePostgresStore}. */
export interface MigrateOptions {
  /** The schema for rollcall's tables (created if missing); the connection's search path when left out. */
  readonly schema?: string;
  /**
   * Whether to create rollcall's own `rollcall_users` table. Set `false` when the store maps onto the
   * host's users table: only the bookkeeping tables (imports, introductions) are created then.
   */
  readonly users?: boolean;
}

/**
 * Creates rollcall's tables if they do not exist yet: `rollcall_users` (unless `users: false`) with a
 * unique index on the canonical email key, `rollcall_imports` (with its unique idempotency key), the
 * `rollcall_introductions` outbox and `rollcall_introduction_requests` (imports whose introductions are still to
 * be written into the outbox). Safe to run at every start, and from several processes at once. The first run
 * of this version on an existing `rollcall_users` re-computes the email keys of addresses whose key changed
 * (internationalised and look-alike domains, see `emailKey`) and reports users it could not re-key.
 *
 * @example
 * ```ts
 * await migratePostgresStore(pool);
 * const store = postgresStore({ client: pool });
 * ```
 */
export async function migratePostgresStore(client: PostgresClient, options: MigrateOptions = {}): Promise<MigrateResult> {
  const tables = resolveTables(options.schema === undefined ? {} : { schema: options.schema });
  const migrations = options.schema === undefined ? quoteIdentifier('rollcall_migrations') : `${quoteIdentifier(options.schema)}.${quoteIdentifier('rollcall_migrations')}`;
  const statements: string[] = [];
  if (options.schema !== undefined) statements.push(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
  if (options.users !== false) {
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${tables.users} (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        email_key text NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        password_hash text,
        must_change_password boolean NOT NULL DEFAULT false,
        invite_token_hash text,
        credential_expires_at timestamptz,
        invite_used_at timestamptz,
        import_id text,
        import_row integer,
        created_at timestamptz NOT NULL DEFAULT now()
      )`,
      `CREATE UNIQUE INDEX IF NOT EXISTS rollcall_users_email_key ON ${tables.users} (email_key)`,
      // Tables made before invites could be redeemed lack the column.
      `ALTER TABLE ${tables.users} ADD COLUMN IF NOT EXISTS invite_used_at timestamptz`,
      // Redemption finds an invite by its token's hash; users with a password are not in the index.
      `CREATE INDEX IF NOT EXISTS rollcall_users_invite ON ${tables.users} (invite_token_hash) WHERE invite_token_hash IS NOT NULL`,
    );
  }
  statements.push(
    `CREATE TABLE IF NOT EXISTS ${tables.imports} (
      id text PRIMARY KEY,
      import_key text UNIQUE,
      fingerprint text NOT NULL,
      outcome jsonb NOT NULL,
      created_at timestamptz NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS ${tables.introductions} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      import_id text NOT NULL,
      user_id text NOT NULL,
      email text NOT NULL,
      first_name text NOT NULL,
      last_name text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      claim_token text,
      lease_until timestamptz,
      message_id text,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
    // Claims scan only what is still to send; sent rows, the bulk over time, stay out of this index.
    `CREATE INDEX IF NOT EXISTS rollcall_introductions_unsent ON ${tables.introductions} (id) WHERE status <> 'sent'`,
    `CREATE INDEX IF NOT EXISTS rollcall_introductions_import ON ${tables.introductions} (import_id, id)`,
    // One row per import whose introductions the outbox writes when it is next read (enqueueImportIntroductions).
    `CREATE TABLE IF NOT EXISTS ${tables.introductionRequests} (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      import_id text NOT NULL UNIQUE
    )`,
    `CREATE TABLE IF NOT EXISTS ${migrations} (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  // Sequential bigint ids, not random UUIDs: a random key scatters 200,000 inserts over the whole index,
  // which doubled the time of a large import in measurements (docs/adapters.md).
  return runTransaction(client, async (tx) => {
    // Concurrent CREATE ... IF NOT EXISTS can still collide in the catalogue; one migration at a time.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('rollcall.migrate'))`);
    for (const statement of statements) await tx.query(statement);
    const none: MigrateResult = { emailKeys: { rekeyed: 0, sameMailbox: [] } };
    if (options.users === false) return none;
    const step = await tx.query(`INSERT INTO ${migrations} (name) VALUES ($1) ON CONFLICT DO NOTHING RETURNING name`, [rekeyStep]);
    return step.rows.length === 0 ? none : { emailKeys: await rekeyEmails(tx, tables.users) };
  });
}

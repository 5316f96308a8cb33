// A fresh PostgreSQL store per test (its own schema), with the views of its tables the import tests need.
import type { PostgresClient, Queryable } from '../../src/adapters/store/postgres-client.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';
import type { ImportStoreUnderTest, StoredCredential } from './import-cases.js';

let schemas = 0;

/** Migrates rollcall's tables into a new schema and returns a store over them. */
export async function freshPostgresStore(admin: Queryable, client: PostgresClient): Promise<ImportStoreUnderTest> {
  schemas += 1;
  const schema = `rollcall_import_test_${String(process.pid)}_${String(schemas)}`;
  const q = quoteIdentifier(schema);
  await migratePostgresStore(client, { schema });
  return {
    store: postgresStore({ client, schema }),
    async dump() {
      const parts = [];
      for (const [table, order] of [['rollcall_users', 'id'], ['rollcall_imports', 'created_at, id'], ['rollcall_introductions', 'id'], ['rollcall_introduction_requests', 'seq']]) {
        parts.push((await admin.query(`SELECT * FROM ${q}.${table} ORDER BY ${order ?? 'id'}`)).rows);
      }
      return JSON.stringify(parts);
    },
    async credentials() {
      const { rows } = await admin.query(
        `SELECT email_key, password_hash, invite_token_hash, must_change_password, credential_expires_at FROM ${q}.rollcall_users`,
      );
      return new Map(
        (rows as { email_key: string; password_hash: string | null; invite_token_hash: string | null; must_change_password: boolean; credential_expires_at: Date | null }[]).map(
          (row): [string, StoredCredential] => [
            row.email_key,
            {
              passwordHash: row.password_hash,
              inviteHash: row.invite_token_hash,
              mustChange: row.must_change_password,
              expiresAt: row.credential_expires_at === null ? null : new Date(row.credential_expires_at),
            },
          ],
        ),
      );
    },
    cleanup: async () => {
      await admin.query(`DROP SCHEMA ${q} CASCADE`);
    },
  };
}

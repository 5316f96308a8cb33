// The PostgreSQL store's tests, shared by the PGlite run and the real-server run: the conformance suite
// on rollcall's own schema and on a host-shaped table, and the behaviour specific to SQL.
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/adapters/store/errors.js';
import { runTransaction, singleConnection, type PostgresClient, type Queryable } from '../../src/adapters/store/postgres-client.js';
import { migratePostgresStore } from '../../src/adapters/store/postgres-migrate.js';
import { quoteIdentifier } from '../../src/adapters/store/postgres-table.js';
import { postgresStore, type PostgresStoreOptions } from '../../src/adapters/store/postgres.js';
import type { NewUser } from '../../src/adapters/store/types.js';
import { describeStoreConformance } from '../../src/testing/store-conformance.js';

let schemas = 0;

/** A schema name no other test of this process uses. */
function freshSchemaName(): string {
  schemas += 1;
  return `rollcall_test_${String(process.pid)}_${String(schemas)}`;
}

/** A host's users table as applications often have it: its own names, a bigint id, lower(email) unique. */
async function createHostTable(db: Queryable, schema: string): Promise<void> {
  await db.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
  await db.query(
    `CREATE TABLE ${quoteIdentifier(schema)}."App Users" (
       "ID" bigserial PRIMARY KEY, "E-mail" varchar(320) NOT NULL, "Given" varchar(100) NOT NULL,
       "Family" varchar(100) NOT NULL, pw text, invite text, dept text, is_admin boolean NOT NULL DEFAULT false)`,
  );
  await db.query(`CREATE UNIQUE INDEX ON ${quoteIdentifier(schema)}."App Users" (lower("E-mail"))`);
}

const hostMapping: Omit<PostgresStoreOptions, 'client' | 'schema'> = {
  table: 'App Users',
  columns: {
    id: 'ID',
    email: 'E-mail',
    emailKey: null,
    firstName: 'Given',
    lastName: 'Family',
    attributes: null,
    passwordHash: 'pw',
    mustChangePassword: null,
    inviteTokenHash: 'invite',
    credentialExpiresAt: null,
    importId: null,
    row: null,
  },
  attributeColumns: { department: 'dept' },
};

const ada: NewUser = {
  email: 'Ada@Example.org',
  emailKey: 'ada@example.org',
  firstName: 'Ada',
  lastName: 'Lovelace',
  attributes: { department: 'Engines' },
  credential: { kind: 'password', hash: 'scrypt$abc', mustChange: true, expiresAt: new Date('2030-01-01T00:00:00Z') },
  importId: 'import-1',
  row: 2,
};

/**
 * Registers the PostgreSQL store's tests. `admin` runs setup statements; `client` is what the store gets
 * (a pool, PGlite, or a single connection); `extra` adds store options to every store (such as `copyFrom`).
 */
export function describePostgresStore(
  name: string,
  admin: () => Queryable,
  client: () => PostgresClient,
  extra: Partial<PostgresStoreOptions> = {},
): void {
  describeStoreConformance(
    `${name}, rollcall's own schema`,
    async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      return { store: postgresStore({ ...extra, client: client(), schema }), cleanup: () => dropSchema(admin(), schema) };
    },
    { describe, it },
  );

  describeStoreConformance(
    `${name}, a host's users table with lower(email) unique`,
    async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      await migratePostgresStore(client(), { schema, users: false });
      return {
        store: postgresStore({ ...extra, client: client(), schema, ...hostMapping }),
        cleanup: () => dropSchema(admin(), schema),
      };
    },
    { describe, it },
  );

  describeStoreConformance(
    `${name}, batches of 7 rows per statement`,
    async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      return { store: postgresStore({ ...extra, client: client(), schema, batchSize: 7 }), cleanup: () => dropSchema(admin(), schema) };
    },
    { describe, it },
  );

  /** The store over the host table of `schema`, its mapping changed by `mapping`. */
  const hostStore = (schema: string, mapping: Partial<PostgresStoreOptions>) =>
    postgresStore({ ...extra, client: client(), schema, ...hostMapping, ...mapping });

  describe(`${name}: postgresStore`, () => {
    it('migrates idempotently, also when two migrations run at once', async () => {
      const schema = freshSchemaName();
      await Promise.all([migratePostgresStore(client(), { schema }), migratePostgresStore(client(), { schema })]);
      await migratePostgresStore(client(), { schema });
      const { rows } = await admin().query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`,
        [schema],
      );
      expect(rows).toEqual([
        { table_name: 'rollcall_imports' },
        { table_name: 'rollcall_introduction_requests' },
        { table_name: 'rollcall_introductions' },
        { table_name: 'rollcall_migrations' },
        { table_name: 'rollcall_users' },
      ]);
      await dropSchema(admin(), schema);
    });

    it('issue 27 finding 2: re-keys users stored under the old email key once, reporting two spellings of one mailbox', async () => {
      const schema = freshSchemaName();
      const users = `${quoteIdentifier(schema)}.rollcall_users`;
      await migratePostgresStore(client(), { schema });
      // As an earlier rollcall stored them: the key is the address lowercased, and the re-key step has not run.
      await admin().query(
        `INSERT INTO ${users} (email, email_key, first_name, last_name) SELECT e, lower(e), 'A', 'B'
         FROM unnest($1::text[]) WITH ORDINALITY AS t(e, n) ORDER BY n`,
        [['Ada@example.com', 'bob@XN--BCHER-KVA.de', 'cy@ｅxample.org', 'dee@example.net', 'dee@ℯxample.net']],
      );
      await admin().query(`DELETE FROM ${quoteIdentifier(schema)}.rollcall_migrations`);
      const result = await migratePostgresStore(client(), { schema });
      expect(result.emailKeys.rekeyed).toBe(2);
      expect(result.emailKeys.sameMailbox.map((u) => [u.email, u.emailKey])).toEqual([['dee@ℯxample.net', 'dee@example.net']]);
      const { rows } = await admin().query(`SELECT email_key FROM ${users} ORDER BY id`);
      expect(rows.map((r) => (r as { email_key: string }).email_key)).toEqual([
        'ada@example.com', 'bob@bücher.de', 'cy@example.org', 'dee@example.net', 'dee@ℯxample.net',
      ]);
      expect((await migratePostgresStore(client(), { schema })).emailKeys).toEqual({ rekeyed: 0, sameMailbox: [] });
      const store = postgresStore({ ...extra, client: client(), schema });
      expect([...(await store.findExistingEmails(['bob@bücher.de', 'cy@example.org'])).keys()].sort()).toEqual(['bob@bücher.de', 'cy@example.org']);
      await dropSchema(admin(), schema);
    });

    it('writes every mapped column of a host table, and leaves its other columns to their defaults', async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      await migratePostgresStore(client(), { schema, users: false });
      const store = postgresStore({ ...extra, client: client(), schema, ...hostMapping });
      const [created] = await store.transaction((tx) => tx.createUsers([ada]));
      const { rows } = await admin().query(`SELECT *, "ID"::text AS "ID" FROM ${quoteIdentifier(schema)}."App Users"`);
      expect(rows).toEqual([
        { ID: created?.id, 'E-mail': 'Ada@Example.org', Given: 'Ada', Family: 'Lovelace', pw: 'scrypt$abc', invite: null, dept: 'Engines', is_admin: false },
      ]);
      await dropSchema(admin(), schema);
    });

    it('writes host columns of other types than text (a uuid import id, an integer and a date attribute), refusing what they cannot hold', async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      const table = `${quoteIdentifier(schema)}."App Users"`;
      await admin().query(`ALTER TABLE ${table} ADD COLUMN "Import" uuid, ADD COLUMN "Row" bigint, ADD COLUMN floor integer, ADD COLUMN started date`);
      await migratePostgresStore(client(), { schema, users: false });
      const store = hostStore(schema, {
        columns: { ...hostMapping.columns, importId: 'Import', row: 'Row' },
        attributeColumns: { department: 'dept', floor: 'floor', started: 'started' },
      });
      const importId = crypto.randomUUID();
      // Two users, so the attributes vary and travel as arrays; the import id is one value for both.
      const users = [2, 3].map((row): NewUser => ({
        ...ada,
        email: `u${String(row)}@example.org`,
        emailKey: `u${String(row)}@example.org`,
        attributes: { department: 'Engines', floor: String(row), started: `2030-01-0${String(row)}` },
        importId,
        row,
      }));
      await store.transaction((tx) => tx.createUsers(users));
      const { rows } = await admin().query(
        `SELECT "Import"::text AS import, "Row"::text AS row, floor, started::text AS started FROM ${table} ORDER BY "Row"`,
      );
      expect(rows).toEqual([
        { import: importId, row: '2', floor: 2, started: '2030-01-02' },
        { import: importId, row: '3', floor: 3, started: '2030-01-03' },
      ]);
      // A value the column's type cannot read is an error, and so is a name too long for varchar(100): never cut.
      const notAFloor: NewUser = { ...ada, email: 'x@example.org', emailKey: 'x@example.org', attributes: { floor: 'ten' }, importId, row: 4 };
      const longName: NewUser = { ...ada, email: 'y@example.org', emailKey: 'y@example.org', firstName: 'A'.repeat(101), attributes: {}, importId, row: 5 };
      for (const user of [notAFloor, longName]) await expect(store.transaction((tx) => tx.createUsers([user]))).rejects.toThrow();
      expect((await admin().query(`SELECT count(*)::integer AS n FROM ${table}`)).rows).toEqual([{ n: 2 }]);
      // The outbox finds the import's users by the uuid column.
      await store.transaction(async (tx) => {
        await tx.enqueueImportIntroductions?.(importId);
      });
      expect((await store.outbox.list()).map((i) => i.email)).toEqual(['u2@example.org', 'u3@example.org']);
      await dropSchema(admin(), schema);
    });

    it("stores rollcall's own users with the credential, expiry, import and row", async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      const store = postgresStore({ ...extra, client: client(), schema });
      await store.transaction((tx) => tx.createUsers([ada]));
      const { rows } = await admin().query(
        `SELECT email, email_key, attributes, password_hash, must_change_password, invite_token_hash,
                credential_expires_at, import_id, import_row FROM ${quoteIdentifier(schema)}.rollcall_users`,
      );
      expect(rows).toEqual([
        {
          email: 'Ada@Example.org',
          email_key: 'ada@example.org',
          attributes: { department: 'Engines' },
          password_hash: 'scrypt$abc',
          must_change_password: true,
          invite_token_hash: null,
          credential_expires_at: new Date('2030-01-01T00:00:00Z'),
          import_id: 'import-1',
          import_row: 2,
        },
      ]);
      // A batch whose users all leave a column at its default (no attributes; invites: no password) stores the default.
      const invited: NewUser = { ...ada, email: 'Bo@Example.org', emailKey: 'bo@example.org', attributes: {}, credential: { kind: 'invite', hash: 'sha256:bo', expiresAt: new Date('2030-01-01T00:00:00Z') } };
      await store.transaction((tx) => tx.createUsers([invited]));
      const { rows: [bo] } = await admin().query(
        `SELECT attributes, password_hash, must_change_password, invite_token_hash FROM ${quoteIdentifier(schema)}.rollcall_users WHERE email_key = 'bo@example.org'`,
      );
      expect(bo).toEqual({ attributes: {}, password_hash: null, must_change_password: false, invite_token_hash: 'sha256:bo' });
      await dropSchema(admin(), schema);
    });

    it("returns each user's own id when the ids a COPY draws are not consecutive, and keeps values that span its chunks", async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      // Ids three apart, as when other sessions draw from the sequence while the batch is copied.
      await admin().query(`ALTER TABLE ${quoteIdentifier(schema)}.rollcall_users ALTER COLUMN id SET INCREMENT BY 3`);
      const store = postgresStore({ ...extra, client: client(), schema });
      const long = 'Ő'.repeat(70_000);
      const users = Array.from({ length: 300 }, (_, i): NewUser => ({
        ...ada,
        email: `u${String(299 - i)}@example.org`,
        emailKey: `u${String(299 - i)}@example.org`,
        lastName: i === 7 ? long : `Tab\there ${String(i)}`,
        row: i + 2,
      }));
      const created = await store.transaction(async (tx) => [...(await tx.createUsers(users.slice(0, 150))), ...(await tx.createUsers(users.slice(150)))]);
      const { rows } = await admin().query(
        `SELECT id::text AS id, email_key, last_name, import_row FROM ${quoteIdentifier(schema)}.rollcall_users`,
      );
      const byId = new Map((rows as { id: string; email_key: string; last_name: string; import_row: number }[]).map((r) => [r.id, r]));
      expect(created.map((c) => byId.get(c.id))).toEqual(
        users.map((u) => ({ id: expect.any(String) as unknown, email_key: u.emailKey, last_name: u.lastName, import_row: u.row })),
      );
      await dropSchema(admin(), schema);
    });

    it('rejects a user whose value its column cannot hold, abandoning the COPY, and stays usable', async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      const store = postgresStore({ ...extra, client: client(), schema });
      const tooFar: NewUser = { ...ada, email: 'far@example.org', emailKey: 'far@example.org', row: 2 ** 31 };
      await expect(store.transaction((tx) => tx.createUsers([ada, tooFar]))).rejects.toThrow();
      const [created] = await store.transaction((tx) => tx.createUsers([ada]));
      expect((await store.findExistingEmails(['ada@example.org', 'far@example.org'])).get('ada@example.org')?.id).toBe(created?.id);
      expect((await store.findExistingEmails(['far@example.org'])).size).toBe(0);
      await dropSchema(admin(), schema);
    });

    it("introduces a whole import from a host table that keeps each user's import and row: counted before it is written, written once for concurrent readers", async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      await admin().query(`ALTER TABLE ${quoteIdentifier(schema)}."App Users" ADD COLUMN "Import" varchar(64), ADD COLUMN "Row" integer`);
      await migratePostgresStore(client(), { schema, users: false });
      const store = postgresStore({ ...extra, client: client(), schema, ...hostMapping, columns: { ...hostMapping.columns, importId: 'Import', row: 'Row' } });
      const importId = crypto.randomUUID();
      const users = [7, 3, 9, 2, 5].map((row): NewUser => ({ ...ada, email: `u${String(row)}@example.org`, emailKey: `u${String(row)}@example.org`, importId, row }));
      const created = await store.transaction(async (tx) => {
        const made = await tx.createUsers(users);
        await tx.enqueueImportIntroductions?.(importId);
        return made;
      });
      const requests = async (): Promise<unknown[]> =>
        (await admin().query(`SELECT count(*)::integer AS n FROM ${quoteIdentifier(schema)}.rollcall_introduction_requests`)).rows;
      // Counting reads only: the requested users count as pending, and the request stays.
      expect(await store.outbox.count()).toEqual({ pending: 5, sending: 0, sent: 0, failed: 0 });
      expect(await store.outbox.count({ importId: 'another' })).toEqual({ pending: 0, sending: 0, sent: 0, failed: 0 });
      expect(await requests()).toEqual([{ n: 1 }]);
      // Listing writes them, once, however many list at once.
      const lists = await Promise.all([1, 2, 3, 4].map(() => store.outbox.list()));
      const byRow = [...created].sort((a, b) => a.row - b.row);
      for (const listed of lists) {
        expect(listed.map((i) => [i.importId, i.userId, i.email])).toEqual(byRow.map((c) => [importId, c.id, `u${String(c.row)}@example.org`]));
      }
      expect(new Set(lists.flatMap((listed) => listed.map((i) => i.id))).size).toBe(5);
      expect(await requests()).toEqual([{ n: 0 }]);
      expect(await store.outbox.count()).toEqual({ pending: 5, sending: 0, sent: 0, failed: 0 });
      await dropSchema(admin(), schema);
    });

    it('reads an outbox migrated before introductions could be requested', async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      await admin().query(`DROP TABLE ${quoteIdentifier(schema)}.rollcall_introduction_requests`);
      const store = postgresStore({ ...extra, client: client(), schema });
      await store.transaction(async (tx) => {
        const created = await tx.createUsers([ada]);
        await tx.enqueueIntroductions([{ importId: 'import-1', userId: created[0]?.id ?? '', email: ada.email, firstName: ada.firstName, lastName: ada.lastName }]);
      });
      expect(await store.outbox.count()).toEqual({ pending: 1, sending: 0, sent: 0, failed: 0 });
      expect((await store.outbox.list()).map((i) => i.email)).toEqual([ada.email]);
      expect((await store.outbox.claim({ limit: 5, leaseMs: 1000 })).map((i) => i.email)).toEqual([ada.email]);
      await dropSchema(admin(), schema);
    });

    it('introduces user by user on a host table without import and row columns', async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      await migratePostgresStore(client(), { schema, users: false });
      const store = postgresStore({ ...extra, client: client(), schema, ...hostMapping });
      expect(await store.transaction((tx) => Promise.resolve(typeof tx.enqueueImportIntroductions))).toBe('undefined');
      await dropSchema(admin(), schema);
    });

    it('refuses, before writing, a field the host table has no column for', async () => {
      const schema = freshSchemaName();
      await createHostTable(admin(), schema);
      await migratePostgresStore(client(), { schema, users: false });
      const store = hostStore(schema, { columns: { ...hostMapping.columns, inviteTokenHash: null }, attributeColumns: {} });
      const invited: NewUser = { ...ada, attributes: {}, credential: { kind: 'invite', hash: 'h', expiresAt: new Date() } };
      await expect(store.transaction((tx) => tx.createUsers([invited]))).rejects.toMatchObject({ code: 'unmapped_field' });
      await expect(store.transaction((tx) => tx.createUsers([ada]))).rejects.toMatchObject({
        code: 'unmapped_field',
        message: expect.stringContaining('"department"') as unknown,
      });
      await dropSchema(admin(), schema);
    });

    it('refuses a users table without a unique index on the key, instead of risking duplicates', async () => {
      const schema = freshSchemaName();
      await admin().query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
      await admin().query(`CREATE TABLE ${quoteIdentifier(schema)}.people (id serial PRIMARY KEY, email text, first text, last text, pw text)`);
      const store = postgresStore({
        ...extra,
        client: client(),
        schema,
        table: 'people',
        columns: { ...hostMapping.columns, id: 'id', email: 'email', firstName: 'first', lastName: 'last', inviteTokenHash: null },
        attributeColumns: {},
      });
      const error: unknown = await store.transaction((tx) => tx.createUsers([{ ...ada, attributes: {} }])).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ code: 'invalid_store_options', cause: { code: '42P10' } });
      await dropSchema(admin(), schema);
    });

    it('treats a table name holding SQL as a name', async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      const evil = 'users"; DROP TABLE rollcall_imports; --';
      await admin().query(`CREATE TABLE ${quoteIdentifier(schema)}.${quoteIdentifier(evil)} (LIKE ${quoteIdentifier(schema)}.rollcall_users INCLUDING ALL)`);
      const store = postgresStore({ ...extra, client: client(), schema, table: evil });
      await store.transaction((tx) => tx.createUsers([ada]));
      expect((await store.findExistingEmails(['ada@example.org'])).size).toBe(1);
      await store.transaction((tx) => tx.recordImport({ id: 'i', key: 'k', fingerprint: 'f', outcome: null, createdAt: new Date() }));
      expect((await store.findImport('k'))?.outcome).toBeNull();
      await dropSchema(admin(), schema);
    });

    it('rolls back and rethrows an error from the database, leaving the store usable', async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      const store = postgresStore({ ...extra, client: client(), schema });
      // first_name is NOT NULL: a value the database rejects in the middle of a batch.
      const bad = { ...ada, emailKey: 'bad@example.org', email: 'bad@example.org', firstName: null as unknown as string };
      await expect(
        store.transaction((tx) => tx.createUsers([{ ...ada, emailKey: 'a@example.org', email: 'a@example.org' }, bad, ada])),
      ).rejects.toMatchObject({ code: '23502' });
      expect((await store.findExistingEmails(['a@example.org', 'ada@example.org'])).size).toBe(0);
      await store.transaction((tx) => tx.createUsers([ada]));
      expect((await store.findExistingEmails(['ada@example.org'])).size).toBe(1);
      await dropSchema(admin(), schema);
    });
  });
}

/** The conformance suite over a store whose transactions run through {@link singleConnection}. */
export function describeSingleConnection(
  name: string,
  admin: () => Queryable,
  connection: () => Queryable,
  extra: Partial<PostgresStoreOptions> = {},
): void {
  let wrapped: PostgresClient | undefined;
  const client = (): PostgresClient => (wrapped ??= singleConnection(connection()));
  describeStoreConformance(
    `${name} through singleConnection`,
    async () => {
      const schema = freshSchemaName();
      await migratePostgresStore(client(), { schema });
      return { store: postgresStore({ ...extra, client: client(), schema }), cleanup: () => dropSchema(admin(), schema) };
    },
    { describe, it },
  );

  it(`${name}: singleConnection rolls back a failed transaction and keeps serving queries`, async () => {
    await expect(runTransaction(client(), (tx) => tx.query('SELECT 1 / 0'))).rejects.toMatchObject({ code: '22012' });
    // Without the ROLLBACK this would fail with 25P02: the aborted transaction would still be open.
    expect((await client().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });
}

async function dropSchema(db: Queryable, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
}

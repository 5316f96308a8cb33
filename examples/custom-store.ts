/**
 * A host writes its own user store over the database layer it already has, and proves it with rollcall's
 * conformance suite. Part 1 stands in for the host's ORM (tables in memory, one transaction at a time, like
 * SQLite); part 2 is the adapter, the part to copy; part 3 runs the suite and an import through it.
 * `docs/adapters.md` describes the contract.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { importUsers } from 'rollcall/import';
import { StoreConflictError, type CreatedUser, type ImportRecord, type StoredUser, type UserStore } from 'rollcall/stores';
import { describeStoreConformance, type ConformanceRunner } from 'rollcall/testing';

// 1. The host's side: its `accounts` and `imports` tables, with unique indexes, behind a small ORM.

/** A row of the host's `accounts` table. */
export interface Account {
  readonly id: number;
  readonly email: string;
  /** Unique: the lowercased email, which the host's sign-in looks accounts up by. */
  readonly emailLower: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly profile: Readonly<Record<string, string>>;
  readonly passwordDigest: string | null;
  readonly mustResetPassword: boolean;
  readonly inviteDigest: string | null;
  readonly credentialExpiresAt: Date;
}

/** A row of the host's `imports` table; `key` is unique when set. */
export interface ImportRow {
  readonly id: string;
  readonly key: string | null;
  readonly fingerprint: string;
  readonly outcomeJson: string;
  readonly createdAt: Date;
}

/** What the host's database throws when an insert breaks a unique index (like Postgres' 23505). */
export class UniqueViolation extends Error {
  constructor(readonly value: string) {
    super(`duplicate key value: ${value}`);
  }
}

interface Tables {
  accounts: Account[];
  imports: ImportRow[];
  nextId: number;
}

/** Reads and writes on one snapshot of the tables: a transaction's own, or the committed one. */
export class Repository {
  constructor(protected readonly tables: Tables) {}

  findAccounts(emailLower: readonly string[]): Account[] {
    const wanted = new Set(emailLower);
    return this.tables.accounts.filter((account) => wanted.has(account.emailLower));
  }

  allAccounts(): readonly Account[] {
    return this.tables.accounts;
  }

  findImport(key: string): ImportRow | undefined {
    return this.tables.imports.find((row) => row.key === key);
  }

  /** Inserts accounts and returns them with their ids; throws `UniqueViolation` at the first taken email. */
  insertAccounts(rows: readonly Omit<Account, 'id'>[]): Account[] {
    const taken = new Set(this.tables.accounts.map((account) => account.emailLower));
    return rows.map((row) => {
      if (taken.has(row.emailLower)) throw new UniqueViolation(row.emailLower);
      taken.add(row.emailLower);
      const account = { ...row, id: this.tables.nextId++ };
      this.tables.accounts.push(account);
      return account;
    });
  }

  insertImport(row: ImportRow): void {
    if (row.key !== null && this.findImport(row.key)) throw new UniqueViolation(row.key);
    this.tables.imports.push(row);
  }
}

/** The host's database. */
export class AppDatabase extends Repository {
  #queue: Promise<unknown> = Promise.resolve();

  constructor() {
    super({ accounts: [], imports: [], nextId: 1 });
  }

  /** Runs `work` on a copy of the tables, after any transaction before it; the copy is committed when it resolves. */
  transaction<T>(work: (trx: Repository) => Promise<T>): Promise<T> {
    const run = this.#queue.then(async () => {
      const copy = { ...this.tables, accounts: [...this.tables.accounts], imports: [...this.tables.imports] };
      const result = await work(new Repository(copy));
      Object.assign(this.tables, copy);
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

// 2. The adapter: rollcall's UserStore contract in terms of the host's tables.

/** A rollcall user store over the host's database; it has no introduction outbox (see docs/adapters.md). */
export function appDatabaseStore(db: AppDatabase): UserStore {
  return {
    async findExistingEmails(keys) {
      // Keys are already canonical (lowercased, NFC): one query for the whole batch.
      const found = db.findAccounts(keys);
      return new Map(found.map((a) => [a.emailLower, { id: String(a.id), email: a.email, emailKey: a.emailLower }]));
    },

    async findImport(key) {
      const row = db.findImport(key);
      if (!row) return undefined;
      const { id, fingerprint, createdAt } = row;
      return { id, key, fingerprint, outcome: JSON.parse(row.outcomeJson) as unknown, createdAt };
    },

    transaction(fn) {
      return db.transaction((trx) =>
        fn({
          async createUsers(users): Promise<CreatedUser[]> {
            // rollcall reports `already_exists` on every row that collides, so name every taken key, not just
            // the first one the unique index meets: those already stored, and those the batch holds twice.
            // (This database runs one transaction at a time, so the check sees every committed key. On one that
            // runs them concurrently, insert with ON CONFLICT DO NOTHING and report the rows it skipped, as
            // rollcall's PostgreSQL store does.)
            const keys = users.map((u) => u.emailKey);
            const taken = new Set(trx.findAccounts(keys).map((a) => a.emailLower));
            const seen = new Set<string>();
            for (const key of keys) {
              if (seen.has(key)) taken.add(key);
              seen.add(key);
            }
            if (taken.size > 0) throw new StoreConflictError('email_taken', [...taken]);

            const accounts = trx.insertAccounts(
              users.map((u) => ({
                email: u.email,
                emailLower: u.emailKey,
                givenName: u.firstName,
                familyName: u.lastName,
                profile: u.attributes,
                // Credentials arrive hashed; imported accounts get no rights.
                passwordDigest: u.credential.kind === 'password' ? u.credential.hash : null,
                mustResetPassword: u.credential.kind === 'password' && u.credential.mustChange,
                inviteDigest: u.credential.kind === 'invite' ? u.credential.hash : null,
                credentialExpiresAt: u.credential.expiresAt,
              })),
            );
            return accounts.map((a, i) => ({ id: String(a.id), emailKey: a.emailLower, row: users[i]!.row }));
          },

          async recordImport(record: ImportRecord) {
            const { id, key, fingerprint, createdAt } = record;
            try {
              trx.insertImport({ id, key, fingerprint, outcomeJson: JSON.stringify(record.outcome), createdAt });
            } catch (error) {
              if (error instanceof UniqueViolation) throw new StoreConflictError('import_key_taken', [error.value], { cause: error });
              throw error;
            }
          },
        }),
      );
    },

    // Optional: lets `rollcall users` and the conformance suite list what was stored.
    async listUsers(page = {}): Promise<StoredUser[]> {
      const after = page.after ?? '';
      return [...db.allAccounts()]
        .filter((a) => a.emailLower > after)
        .sort((a, b) => (a.emailLower < b.emailLower ? -1 : 1))
        .slice(0, page.limit ?? 100)
        .map((a) => ({ id: String(a.id), email: a.email, emailKey: a.emailLower, firstName: a.givenName, lastName: a.familyName, attributes: a.profile }));
    },
  };
}

// 3. The proof: rollcall's conformance suite, and an import through the adapter.

/** Registers rollcall's store conformance suite for the adapter, with a fresh database per test. */
export function conformance(runner: ConformanceRunner): void {
  describeStoreConformance('appDatabaseStore', () => Promise.resolve({ store: appDatabaseStore(new AppDatabase()) }), runner);
}

/** Imports `examples/users.csv` into a fresh database twice and returns its accounts; throws if a check fails. */
export async function main(): Promise<readonly Account[]> {
  const db = new AppDatabase();
  const store = appDatabaseStore(db);
  const options = { store, actor: 'admin', authorize: () => true };
  const file = new URL('users.csv', import.meta.url);

  const first = await importUsers(createReadStream(file), options);
  assert.ok(first.imported);
  assert.equal(db.allAccounts().length, first.created.length);

  // The same file again: every row's email is now taken, so nothing is imported and each row says why.
  const again = await importUsers(createReadStream(file), options);
  assert.ok(!again.imported);
  assert.deepEqual(new Set(again.summary.errors.map((e) => e.code)), new Set(['already_exists']));
  assert.equal(again.summary.errorCount, first.created.length);
  return db.allAccounts();
}

import { describe, expect, it } from 'vitest';
import { isStoreConflictError, StoreConflictError } from '../../src/adapters/store/errors.js';
import type { TransactionalClient } from '../../src/adapters/store/postgres-client.js';
import { quoteIdentifier, resolveTables } from '../../src/adapters/store/postgres-table.js';
import { postgresStore } from '../../src/adapters/store/postgres.js';

describe('quoteIdentifier', () => {
  it('quotes a name and doubles its quotes', () => {
    expect(quoteIdentifier('users')).toBe('"users"');
    expect(quoteIdentifier('User "Accounts"')).toBe('"User ""Accounts"""');
    expect(quoteIdentifier('x"; DROP TABLE users; --')).toBe('"x""; DROP TABLE users; --"');
  });

  it.each(['', 'a\0b'])('refuses %j as a name', (name) => {
    expect(() => quoteIdentifier(name)).toThrow(expect.objectContaining({ code: 'invalid_store_options' }) as Error);
  });
});

describe('resolveTables', () => {
  it("qualifies rollcall's tables with the schema", () => {
    const tables = resolveTables({ schema: 'Import Data' });
    expect([tables.users, tables.imports, tables.introductions]).toEqual([
      '"Import Data"."rollcall_users"',
      '"Import Data"."rollcall_imports"',
      '"Import Data"."rollcall_introductions"',
    ]);
    expect(tables.keyExpression).toBe('"email_key"');
  });

  it('compares keys with lower(email) when the table has no key column', () => {
    expect(resolveTables({ columns: { email: 'E-mail', emailKey: null } }).keyExpression).toBe('lower("E-mail")');
  });

  it('refuses an empty column name in the options', () => {
    expect(() => resolveTables({ columns: { firstName: '' } })).toThrow(/columns\.firstName/);
    expect(() => resolveTables({ attributeColumns: { department: '' } })).toThrow(/attributeColumns\.department/);
  });
});

describe('postgresStore options', () => {
  it.each([0, -1, 1.5, Number.NaN])('refuses batchSize %s', (batchSize) => {
    const query = () => Promise.resolve({ rows: [] });
    const client: TransactionalClient = { query, transaction: (fn) => fn({ query }) };
    expect(() => postgresStore({ client, batchSize })).toThrow(expect.objectContaining({ code: 'invalid_store_options' }) as Error);
  });
});

describe('isStoreConflictError', () => {
  it('recognises a conflict thrown by another copy of rollcall or a host store, by shape', () => {
    expect(isStoreConflictError(new StoreConflictError('email_taken', ['a@example.org']))).toBe(true);
    expect(isStoreConflictError(Object.assign(new Error('taken'), { code: 'email_taken', keys: ['a@example.org'] }))).toBe(true);
    expect(isStoreConflictError(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isStoreConflictError({ code: 'email_taken' })).toBe(false);
    expect(isStoreConflictError(null)).toBe(false);
  });

  it('names the keys in its message, a few of them', () => {
    const keys = Array.from({ length: 7 }, (_, i) => `u${String(i)}@example.org`);
    expect(new StoreConflictError('email_taken', keys).message).toBe(
      '7 email(s) already taken: u0@example.org, u1@example.org, u2@example.org, u3@example.org, u4@example.org, ...',
    );
  });
});

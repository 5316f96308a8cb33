// The user-store adapters, listed by name: the contract, the reference stores and their errors.
export type {
  ClaimRequest,
  CreatedUser,
  ExistingUser,
  ImportRecord,
  Introduction,
  IntroductionFilter,
  IntroductionOutbox,
  IntroductionStatus,
  InviteRedemption,
  InviteRefusal,
  NewCredential,
  NewIntroduction,
  NewUser,
  LeasingOutbox,
  OutboxLeases,
  OutboxTransaction,
  SendOutcome,
  StoredUser,
  UserPage,
  UserStore,
  UserStoreTransaction,
} from './types.js';
export { StoreConflictError, StoreError, isStoreConflictError } from './errors.js';
export type { StoreConflictCode, StoreErrorCode } from './errors.js';
export { memoryStore } from './memory.js';
export type { MemoryStore, MemoryStoreOptions, MemoryUser } from './memory.js';
export { openFolderStore } from './folder-store.js';
export type { FolderStore, FolderStoreOptions } from './folder-store.js';
export { postgresStore } from './postgres.js';
export type { PostgresStore, PostgresStoreOptions } from './postgres.js';
export { migratePostgresStore } from './postgres-migrate.js';
export type { MigrateOptions, MigrateResult } from './postgres-migrate.js';
export type { RekeyResult, SameMailboxUser } from './postgres-rekey.js';
export { singleConnection } from './postgres-client.js';
export type {
  PooledConnection,
  PostgresClient,
  PostgresPool,
  Queryable,
  TransactionalClient,
} from './postgres-client.js';
export type { CopyConnection, CopyFrom, CopyStream } from './postgres-copy.js';
export { defaultUserColumns, quoteIdentifier } from './postgres-table.js';
export type { PostgresUserColumns } from './postgres-table.js';

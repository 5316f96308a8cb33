import { StoreConflictError } from './errors.js';
import { compareKeys } from './key-order.js';
import type {
  ClaimRequest,
  CreatedUser,
  ExistingUser,
  ImportRecord,
  Introduction,
  IntroductionFilter,
  LeasingOutbox,
  OutboxTransaction,
  IntroductionStatus,
  InviteRedemption,
  NewCredential,
  NewIntroduction,
  NewUser,
  SendOutcome,
  StoredUser,
  UserPage,
  UserStore,
} from './types.js';

/** A user as the memory store keeps it, credential hash included. */
export interface MemoryUser extends StoredUser {
  readonly credential: NewCredential;
  readonly importId: string;
  readonly row: number;
}

/** The memory store: a {@link UserStore} with every capability, plus a read-only view of its users. */
export interface MemoryStore extends UserStore {
  redeemInvite(tokenHash: string, now: Date): Promise<InviteRedemption>;
  readonly outbox: LeasingOutbox;
  transaction<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
  listUsers(page?: UserPage): Promise<StoredUser[]>;
  /** Every committed user with its stored credential, for tests and examples. */
  users(): readonly MemoryUser[];
}

interface OutboxRow {
  introduction: NewIntroduction;
  id: string;
  status: IntroductionStatus;
  attempts: number;
  claimToken: string | null;
  leaseUntil: number;
  messageId: string | null;
  error: string | null;
}

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** The clock leases are measured against, in milliseconds (tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * A user store held in memory: the reference implementation of the contract, for tests, docs and demos.
 *
 * Each transaction writes to its own overlay and commits by checking and applying it in one synchronous
 * step, so concurrent transactions in one process behave like a database with a unique index: when two
 * overlap on an email key, the second to commit rejects with `email_taken` and leaves nothing behind.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * await store.transaction((tx) => tx.createUsers(users));
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const now = options.now ?? Date.now;
  const users = new Map<string, MemoryUser>();
  const imports = new Map<string, ImportRecord>();
  const outbox = new Map<string, OutboxRow>();
  // The rows not sent yet, in outbox order: a claim looks only at these, never at the sent ones piling up.
  const unsent = new Map<string, OutboxRow>();
  // Invite token hash → email key, and when each redeemed invite was used (kept, so a reuse says `used`).
  const invites = new Map<string, string>();
  const redeemed = new Map<string, Date>();

  function existing(user: MemoryUser): ExistingUser {
    return { id: user.id, email: user.email, emailKey: user.emailKey };
  }

  return {
    findExistingEmails(keys) {
      const found = new Map<string, ExistingUser>();
      for (const key of keys) {
        const user = users.get(key);
        if (user) found.set(key, existing(user));
      }
      return Promise.resolve(found);
    },

    findImport(key) {
      return Promise.resolve(imports.get(key));
    },

    async transaction(fn) {
      const newUsers = new Map<string, MemoryUser>();
      const newImports: ImportRecord[] = [];
      const newIntroductions: NewIntroduction[] = [];

      const tx: OutboxTransaction = {
        createUsers(batch) {
          const taken = collisions(batch, (key) => users.has(key) || newUsers.has(key));
          if (taken.length > 0) {
            // Keys of this transaction's earlier batches that another import has committed since are lost as
            // well: named now, so the error holds every row this import lost, however the two interleaved.
            const lost = [...newUsers.keys()].filter((key) => users.has(key));
            return Promise.reject(new StoreConflictError('email_taken', [...new Set([...lost, ...taken])]));
          }
          const created: CreatedUser[] = [];
          for (const user of batch) {
            const stored = storedUser(user);
            newUsers.set(user.emailKey, stored);
            created.push({ id: stored.id, emailKey: user.emailKey, row: user.row });
          }
          return Promise.resolve(created);
        },
        recordImport(record) {
          if (record.key !== null && (imports.has(record.key) || newImports.some((r) => r.key === record.key))) {
            return Promise.reject(new StoreConflictError('import_key_taken', [record.key]));
          }
          // A JSON round trip, so the memory store hands back what a database would.
          newImports.push({ ...record, outcome: JSON.parse(JSON.stringify(record.outcome)) as unknown });
          return Promise.resolve();
        },
        enqueueIntroductions(introductions) {
          for (const introduction of introductions) newIntroductions.push({ ...introduction });
          return Promise.resolve();
        },
        enqueueImportIntroductions(importId) {
          const created = [...newUsers.values()].filter((user) => user.importId === importId).sort((a, b) => a.row - b.row);
          for (const user of created) {
            newIntroductions.push({ importId, userId: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName });
          }
          return Promise.resolve();
        },
      };

      const result = await fn(tx);

      // Check and apply in one synchronous step: no other transaction can commit in between.
      const lostUsers = [...newUsers.keys()].filter((key) => users.has(key));
      if (lostUsers.length > 0) throw new StoreConflictError('email_taken', lostUsers);
      const lostImports = newImports.filter((r) => r.key !== null && imports.has(r.key));
      if (lostImports.length > 0) throw new StoreConflictError('import_key_taken', lostImports.map((r) => r.key ?? ''));
      for (const [key, user] of newUsers) {
        users.set(key, user);
        if (user.credential.kind === 'invite') invites.set(user.credential.hash, key);
      }
      for (const record of newImports) if (record.key !== null) imports.set(record.key, record);
      for (const introduction of newIntroductions) {
        const id = crypto.randomUUID();
        const row: OutboxRow = {
          introduction, id, status: 'pending', attempts: 0, claimToken: null, leaseUntil: 0, messageId: null, error: null,
        };
        outbox.set(id, row);
        unsent.set(id, row);
      }
      return result;
    },

    outbox: {
      claim(request: ClaimRequest) {
        const at = now();
        const token = crypto.randomUUID();
        const claimed: Introduction[] = [];
        for (const row of unsent.values()) {
          if (claimed.length >= request.limit) break;
          if (request.importId !== undefined && row.introduction.importId !== request.importId) continue;
          const claimable =
            row.status === 'pending' ||
            (row.status === 'failed' && request.retryFailed === true) ||
            (row.status === 'sending' && row.leaseUntil <= at);
          if (!claimable) continue;
          row.status = 'sending';
          row.attempts += 1;
          row.claimToken = token;
          row.leaseUntil = at + request.leaseMs;
          claimed.push(introductionOf(row));
        }
        return Promise.resolve(claimed);
      },
      mark(id: string, claimToken: string, outcome: SendOutcome) {
        const row = outbox.get(id);
        if (row?.status !== 'sending' || row.claimToken !== claimToken) return Promise.resolve(false);
        row.status = outcome.status;
        if (outcome.status === 'sent') unsent.delete(id);
        row.claimToken = null;
        row.messageId = outcome.status === 'sent' ? outcome.messageId : null;
        row.error = outcome.status === 'failed' ? outcome.error : null;
        return Promise.resolve(true);
      },
      count(filter: IntroductionFilter = {}) {
        const counts: Record<IntroductionStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0 };
        for (const row of outbox.values()) {
          if (filter.importId === undefined || row.introduction.importId === filter.importId) counts[row.status] += 1;
        }
        return Promise.resolve(counts);
      },
      list(filter: IntroductionFilter & { readonly status?: IntroductionStatus } = {}) {
        const rows = [...outbox.values()].filter(
          (row) =>
            (filter.importId === undefined || row.introduction.importId === filter.importId) &&
            (filter.status === undefined || row.status === filter.status),
        );
        return Promise.resolve(rows.map(introductionOf));
      },
      leases(filter: IntroductionFilter = {}) {
        const at = now();
        let held = 0;
        let first = Infinity;
        let last = -Infinity;
        for (const row of unsent.values()) {
          if (!isLeased(row, at, filter)) continue;
          held += 1;
          first = Math.min(first, row.leaseUntil);
          last = Math.max(last, row.leaseUntil);
        }
        return Promise.resolve({
          held,
          firstEndsAt: held === 0 ? null : new Date(first),
          lastEndsAt: held === 0 ? null : new Date(last),
        });
      },
      endLeases(filter: IntroductionFilter = {}) {
        const at = now();
        let ended = 0;
        for (const row of unsent.values()) {
          if (!isLeased(row, at, filter)) continue;
          row.leaseUntil = at;
          ended += 1;
        }
        return Promise.resolve(ended);
      },
    },

    listUsers(page: UserPage = {}) {
      const after = page.after;
      const sorted = [...users.values()]
        .filter((user) => after === undefined || user.emailKey > after)
        .sort((a, b) => compareKeys(a.emailKey, b.emailKey))
        .slice(0, page.limit ?? 1000);
      return Promise.resolve(
        sorted.map(({ id, email, emailKey, firstName, lastName, attributes }) => ({
          id, email, emailKey, firstName, lastName, attributes,
        })),
      );
    },

    redeemInvite(tokenHash: string, at: Date): Promise<InviteRedemption> {
      // One synchronous step: no other redemption can run between the checks and the consumption.
      const key = invites.get(tokenHash);
      const user = key === undefined ? undefined : users.get(key);
      if (key === undefined || user?.credential.kind !== 'invite') return Promise.resolve({ redeemed: false, reason: 'unknown' });
      if (redeemed.has(key)) return Promise.resolve({ redeemed: false, reason: 'used' });
      if (at.getTime() >= user.credential.expiresAt.getTime()) return Promise.resolve({ redeemed: false, reason: 'expired' });
      redeemed.set(key, at);
      const { id, email, emailKey, firstName, lastName, attributes } = user;
      return Promise.resolve({ redeemed: true, user: { id, email, emailKey, firstName, lastName, attributes: { ...attributes } } });
    },

    users() {
      return [...users.values()];
    },
  };
}

/** Whether a row is being sent under a lease that has not run out, within the filter. */
function isLeased(row: OutboxRow, at: number, filter: IntroductionFilter): boolean {
  return (
    row.status === 'sending' &&
    row.leaseUntil > at &&
    (filter.importId === undefined || row.introduction.importId === filter.importId)
  );
}

/** The keys of a batch that are taken, or that appear twice in it, each listed once. */
function collisions(batch: readonly NewUser[], isTaken: (key: string) => boolean): string[] {
  const seen = new Set<string>();
  const taken = new Set<string>();
  for (const { emailKey } of batch) {
    if (seen.has(emailKey) || isTaken(emailKey)) taken.add(emailKey);
    seen.add(emailKey);
  }
  return [...taken];
}

function storedUser(user: NewUser): MemoryUser {
  return {
    id: crypto.randomUUID(),
    email: user.email,
    emailKey: user.emailKey,
    firstName: user.firstName,
    lastName: user.lastName,
    attributes: { ...user.attributes },
    credential: user.credential,
    importId: user.importId,
    row: user.row,
  };
}

function introductionOf(row: OutboxRow): Introduction {
  return {
    ...row.introduction,
    id: row.id,
    status: row.status,
    attempts: row.attempts,
    claimToken: row.claimToken,
    messageId: row.messageId,
    error: row.error,
  };
}

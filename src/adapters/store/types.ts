/**
 * The contract between rollcall's importer and a host's user store.
 *
 * A store is a plain object: a few required methods, and optional capabilities that are present or absent
 * (`outbox`, `listUsers`). Every method works on batches, so an import of 200,000 rows costs a handful of
 * round trips, never one per row. Emails are matched by their canonical key (see {@link NewUser.emailKey}).
 */

/**
 * A user store rollcall imports into: the memory store, the PostgreSQL store, or a host's own adapter.
 *
 * @example
 * ```ts
 * const existing = await store.findExistingEmails(['ada@example.org']);
 * await store.transaction(async (tx) => {
 *   await tx.recordImport(record);
 *   await tx.createUsers(users);
 *   await tx.enqueueIntroductions?.(introductions);
 * });
 * ```
 */
export interface UserStore {
  /**
   * Looks up users by canonical email key, in one batch; the map holds only the keys that exist.
   * Keys that are not canonical simply find nothing.
   */
  findExistingEmails(keys: readonly string[]): Promise<ReadonlyMap<string, ExistingUser>>;

  /** Finds an earlier import by its idempotency key, or `undefined`. */
  findImport(key: string): Promise<ImportRecord | undefined>;

  /**
   * Runs `fn` in one all-or-nothing transaction: when `fn` resolves everything it wrote is committed;
   * when it (or the commit) rejects, nothing it wrote remains, and the promise rejects with that error.
   *
   * A unique conflict rejects with a {@link StoreConflictError}, from the `tx` method that met it or from
   * the commit (a store that checks at commit time), so callers catch around the whole transaction.
   */
  transaction<T>(fn: (tx: UserStoreTransaction) => Promise<T>): Promise<T>;

  /**
   * Optional capability: the introduction outbox. When present, `tx.enqueueIntroductions` is present too,
   * and introductions commit or roll back with the users they introduce.
   */
  readonly outbox?: IntroductionOutbox;

  /** Optional capability: lists stored users, ordered by email key, a page at a time (for `rollcall users`). */
  listUsers?(page?: UserPage): Promise<StoredUser[]>;

  /**
   * Optional capability: atomically consumes the invite whose token hashes to `tokenHash`, when it is
   * unused and `now` is before its expiry, and returns its user; otherwise says why not (`unknown`,
   * `expired`, `used`) and changes nothing. Of any number of concurrent calls for one invite, exactly one
   * redeems it. Hosts call it through `redeemInvite` (rollcall/import), which hashes the plaintext token.
   */
  redeemInvite?(tokenHash: string, now: Date): Promise<InviteRedemption>;
}

/** Why an invite was not redeemed: no invite has that token, it expired, or it was redeemed before. */
export type InviteRefusal = 'unknown' | 'expired' | 'used';

/** What {@link UserStore.redeemInvite} answers: the user whose invite was consumed now, or why not. */
export type InviteRedemption =
  | { readonly redeemed: true; readonly user: StoredUser }
  | { readonly redeemed: false; readonly reason: InviteRefusal };

/** The writes an import makes inside {@link UserStore.transaction}. */
export interface UserStoreTransaction {
  /**
   * Creates users in one batch, with no rights, and returns them in input order.
   * Rejects with a `StoreConflictError` (`email_taken`) naming every key that already exists or that
   * appears twice in the batch (and it may name keys of the transaction's earlier batches that another
   * transaction has taken since); the whole transaction then rolls back.
   */
  createUsers(users: readonly NewUser[]): Promise<CreatedUser[]>;

  /**
   * Records an import, so its key cannot be used again.
   * Rejects with a `StoreConflictError` (`import_key_taken`) when another import holds the same key.
   */
  recordImport(record: ImportRecord): Promise<void>;

  /** Adds introductions to the outbox, in the same transaction. Present exactly when the store has `outbox`. */
  enqueueIntroductions?(introductions: readonly NewIntroduction[]): Promise<void>;

  /**
   * Optional capability, only alongside `enqueueIntroductions`: adds an introduction for every user this
   * transaction created for `importId` (an import id names one import: the importer never reuses one), in
   * row order, as `enqueueIntroductions` would with those users; it commits or rolls back with them. The
   * importer calls it instead of `enqueueIntroductions` when present, so a store that knows each user's import
   * need not be handed every user a second time. The PostgreSQL store records one request here and writes the
   * import's introductions when its outbox is next claimed or listed (counts include them before that), from
   * the users as they are then: a user deleted in between is not introduced.
   */
  enqueueImportIntroductions?(importId: string): Promise<void>;
}

/** The transaction of a store that has the `outbox` capability: `enqueueIntroductions` is always there. */
export interface OutboxTransaction extends UserStoreTransaction {
  enqueueIntroductions(introductions: readonly NewIntroduction[]): Promise<void>;
}

/** A user found by {@link UserStore.findExistingEmails}. */
export interface ExistingUser {
  /** The store's id for the user, as a string. */
  readonly id: string;
  /** The email as stored. */
  readonly email: string;
  /** The canonical key it was found by. */
  readonly emailKey: string;
}

/** A user to create. Credentials arrive already hashed: a store never sees a plaintext secret. */
export interface NewUser {
  /** The email to store, as the admin typed it (trimmed). */
  readonly email: string;
  /** The canonical key the unique index is on: the email lowercased and NFC-normalised. */
  readonly emailKey: string;
  /** The first name, as validated. */
  readonly firstName: string;
  /** The last name, as validated. */
  readonly lastName: string;
  /** The schema's optional columns, by key. Blank cells are left out rather than stored as `''`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The hashed temporary password or invite token. */
  readonly credential: NewCredential;
  /** The import that creates the user. */
  readonly importId: string;
  /** The spreadsheet row the user came from. */
  readonly row: number;
}

/**
 * How a new user first signs in: a temporary password (which must be changed) or an invite link,
 * each stored only as a hash and valid until `expiresAt`.
 */
export type NewCredential =
  | {
      readonly kind: 'password';
      /** The hash of the temporary password, in whatever format the host's sign-in checks. */
      readonly hash: string;
      /** Whether the user must choose a new password at first sign-in (always `true` for imports). */
      readonly mustChange: boolean;
      readonly expiresAt: Date;
    }
  | {
      readonly kind: 'invite';
      /** The hash of the single-use invite token. */
      readonly hash: string;
      readonly expiresAt: Date;
    };

/** A user {@link UserStoreTransaction.createUsers} created. */
export interface CreatedUser {
  /** The id the store gave the user. */
  readonly id: string;
  /** The user's email key, as given in {@link NewUser.emailKey}. */
  readonly emailKey: string;
  /** The spreadsheet row the user came from, as given in {@link NewUser.row}. */
  readonly row: number;
}

/** A stored user, as {@link UserStore.listUsers} returns it. */
export interface StoredUser {
  /** The store's id for the user. */
  readonly id: string;
  /** The email as it was imported. */
  readonly email: string;
  /** The canonical email key the users are ordered and kept unique by. */
  readonly emailKey: string;
  /** The first name. */
  readonly firstName: string;
  /** The last name. */
  readonly lastName: string;
  /** The schema's optional columns, by key. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A page request for {@link UserStore.listUsers}. */
export interface UserPage {
  /** Return users whose email key sorts after this one. */
  readonly after?: string;
  /** At most this many users (the store's default when left out). */
  readonly limit?: number;
}

/** rollcall's bookkeeping for one import: its id, its idempotency key and what it did. */
export interface ImportRecord {
  /** The import id rollcall generated. */
  readonly id: string;
  /** The idempotency key the host passed, or `null`. Keys are unique across imports. */
  readonly key: string | null;
  /** The plan's fingerprint (file bytes, schema, options), to refuse a key reused with another file. */
  readonly fingerprint: string;
  /** The importer's own summary of the outcome, JSON-serialisable, without any secret. */
  readonly outcome: unknown;
  /** When the import was recorded. */
  readonly createdAt: Date;
}

/** An introduction to enqueue: who gets it, for which import. */
export interface NewIntroduction {
  /** The import that created the user. */
  readonly importId: string;
  /** The created user's id. */
  readonly userId: string;
  /** The address the introduction goes to. */
  readonly email: string;
  /** The user's first name, for the greeting. */
  readonly firstName: string;
  /** The user's last name. */
  readonly lastName: string;
}

/**
 * Where an introduction stands: `pending` until claimed, `sending` while a sender holds its lease,
 * then `sent` (with the message id) or `failed` (with the reason, retried only on request).
 */
export type IntroductionStatus = 'pending' | 'sending' | 'sent' | 'failed';

/** An introduction in the outbox. */
export interface Introduction extends NewIntroduction {
  /** A stable id: senders derive the Message-ID from it, so a resend can be recognised as a duplicate. */
  readonly id: string;
  /** Where it stands: pending, sending, sent or failed. */
  readonly status: IntroductionStatus;
  /** How many times it was claimed, including this claim. */
  readonly attempts: number;
  /** The token of the claim that holds it (only while `sending`); {@link IntroductionOutbox.mark} needs it. */
  readonly claimToken: string | null;
  /** The Message-ID it was sent with, once `sent`. */
  readonly messageId: string | null;
  /** Why the last sending failed, when `failed`. */
  readonly error: string | null;
}

/**
 * The outbox of introduction emails. Sending exactly once is built on a claim: a sender claims a batch
 * (`pending` → `sending` under a lease), sends, and marks each one `sent` or `failed` with its claim token.
 */
export interface IntroductionOutbox {
  /**
   * Atomically claims up to `limit` introductions for one sender: `pending` ones, `failed` ones when
   * `retryFailed` is set, and `sending` ones whose lease has run out (their sender died: they may have
   * been sent, which is why the Message-ID is stable). Two concurrent claims never return the same one.
   */
  claim(request: ClaimRequest): Promise<Introduction[]>;

  /**
   * Records the outcome of sending one claimed introduction. Returns `false`, changing nothing, when
   * the claim token no longer holds it (the lease ran out and another sender claimed it).
   */
  mark(id: string, claimToken: string, outcome: SendOutcome): Promise<boolean>;

  /** Counts introductions by status, for one import or all. */
  count(filter?: IntroductionFilter): Promise<Record<IntroductionStatus, number>>;

  /**
   * Lists introductions, for one import or all, optionally by status: an import's in the order they were
   * enqueued (row order), imports in the order their introductions reached the outbox.
   */
  list(filter?: IntroductionFilter & { readonly status?: IntroductionStatus }): Promise<Introduction[]>;

  /**
   * Optional capability: the `sending` introductions whose lease has not run out (for one import, or all),
   * with when the first and the last of those leases run out, by the store's clock. A sender reports them:
   * another sender holds them, and no claim takes them before their lease ends.
   */
  leases?(filter?: IntroductionFilter): Promise<OutboxLeases>;

  /**
   * Optional capability: ends now the lease of every `sending` introduction (of one import, or all), as if it
   * had run out, so the next claim takes them over; returns how many leases it ended. Their sender's token
   * keeps working until another claim takes them, so an outcome it records first still counts. For a sender
   * known to be dead: one still running may send them as well (a duplicate, with the same Message-ID).
   */
  endLeases?(filter?: IntroductionFilter): Promise<number>;
}

/** An outbox with both lease capabilities, as the memory and PostgreSQL stores have. */
export type LeasingOutbox = IntroductionOutbox & Required<Pick<IntroductionOutbox, 'leases' | 'endLeases'>>;

/** What {@link IntroductionOutbox.leases} answers: introductions held under a live lease, and when those end. */
export interface OutboxLeases {
  /** `sending` introductions whose lease has not run out. */
  readonly held: number;
  /** When the first of those leases runs out; `null` when none is held. */
  readonly firstEndsAt: Date | null;
  /** When the last of those leases runs out; `null` when none is held. */
  readonly lastEndsAt: Date | null;
}

/** Which introductions a claim takes. */
export interface ClaimRequest {
  /** Only this import's introductions (all imports when left out). */
  readonly importId?: string;
  /** At most this many. */
  readonly limit: number;
  /** How long the claim holds them, in milliseconds, before another sender may take them over. */
  readonly leaseMs: number;
  /** Also take introductions whose last attempt failed. */
  readonly retryFailed?: boolean;
}

/** Restricts outbox reads to one import. */
export interface IntroductionFilter {
  /** Only this import's introductions; every import's when left out. */
  readonly importId?: string;
}

/** What happened when an introduction was sent. */
export type SendOutcome =
  | { readonly status: 'sent'; readonly messageId: string }
  | { readonly status: 'failed'; readonly error: string };

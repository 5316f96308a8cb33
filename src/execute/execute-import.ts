import { isStoreConflictError, StoreConflictError } from '../adapters/store/errors.js';
import type { ImportRecord, NewUser, UserStore } from '../adapters/store/types.js';
import type { InputSource } from '../input/source.js';
import { requireAuthorized, type ActorOptions } from '../plan/authorize.js';
import type { ImportPlan, PlannedRow } from '../plan/import-plan.js';
import { oneOf, positiveOption } from '../plan/option-checks.js';
import { readStore } from '../plan/store-call.js';
import type { Messages } from '../report/issue.js';
import { RollcallError } from '../rollcall-error.js';
import { checkPlan, replan, sameRowsAs, type ReplanOptions } from './check-plan.js';
import { hashSecret } from './hash-secret.js';
import {
  resultsCsv,
  type CreatedEntry,
  type CredentialKind,
  type ImportReplayed,
  type ImportResult,
  type SkippedEntry,
} from './import-result.js';
import { lostRace, skipTaken } from './lost-race.js';
import { fromRowRanges, toRowRanges } from './row-ranges.js';
import { userBatches } from './new-users.js';
import { settleCommit } from './settle-commit.js';
import { minPasswordLength, secretGenerator, type SecretGenerator } from './secret-generator.js';

/** Options of {@link executeImport}. */
export interface ExecuteOptions<A = unknown> extends ActorOptions<A> {
  /** The store to write to: the one the plan was made against. */
  readonly store: UserStore;
  /**
   * The file again, for a plan that was kept outside the server between preview and confirm: the file is
   * planned again with `planOptions` (the host's own settings, never the plan's) and the import refused
   * (`plan_mismatch`) unless the file, the columns, the settings and every planned row are what the plan
   * says. Then only the rows planned now are created, never the plan's.
   */
  readonly input?: InputSource;
  /**
   * The options the plan was made with (schema, `onExisting`, `mode`, limits, messages), to plan `input`
   * again; defaults as in `planImport`. A plan whose settings differ from them is refused.
   */
  readonly planOptions?: ReplanOptions;
  /**
   * An idempotency key: the same key with the same file returns the earlier outcome and creates nothing;
   * the same key with another file is refused (`import_key_conflict`).
   */
  readonly importKey?: string;
  /** The id to give the import; a random UUID unless told (the CLI names the results file after it). */
  readonly importId?: string;
  /** `password` (default): a temporary password per user; `invite`: a single-use invite token per user. */
  readonly credential?: CredentialKind;
  /** How long temporary passwords and invite tokens stay valid, in milliseconds; default 7 days. */
  readonly expiresInMs?: number;
  /** Characters in a temporary password: at least 15, default 16. */
  readonly passwordLength?: number;
  /**
   * Hashes a temporary password for the store, in the format the host's sign-in checks (bcrypt, argon2…).
   * Default {@link hashSecret}. It must never return the password itself.
   */
  readonly hashPassword?: (password: string) => string | Promise<string>;
  /** Hashes an invite token; default {@link hashSecret}. Keep it deterministic to find invites by token. */
  readonly hashInviteToken?: (token: string) => string | Promise<string>;
  /** Whether to enqueue an introduction per created user, when the store has an outbox; default `true`. */
  readonly introduce?: boolean;
  /** Users per `createUsers` call inside the one transaction; default 5,000. */
  readonly batchSize?: number;
  /** Replacement messages by issue code, for the `already_exists` issues of a lost race. */
  readonly messages?: Messages;
  /** Stops the import before it commits; everything it wrote is rolled back. */
  readonly signal?: AbortSignal;
  /** Called after each batch of users is written (they are committed only at the end). */
  readonly onProgress?: (progress: { readonly usersCreated: number; readonly usersToCreate: number }) => void;
  /** The clock, for the credentials' expiry and the import record. */
  readonly now?: () => Date;
  /** Where temporary passwords and invite tokens come from (tests pass a scripted one). */
  readonly secrets?: SecretGenerator;
}

/** What the import record keeps about an import: row numbers and counts, never a name, email or secret. */
interface RecordedOutcome {
  readonly version: 1;
  readonly credential: CredentialKind;
  readonly created: readonly (readonly [number, number])[];
  readonly skipped: readonly (readonly [number, number])[];
  readonly createdCount: number;
  readonly skippedCount: number;
}

const sevenDays = 7 * 24 * 60 * 60 * 1000;

/**
 * Executes an {@link ImportPlan} in one store transaction: records the import, creates the users in
 * batches with a hashed temporary password (or invite token) each, and enqueues their introductions when
 * the store has an outbox. Either every user is created or none is.
 *
 * - `authorize(actor)` must resolve `true` first, or it throws `RollcallError('unauthorized')`.
 * - With `input`, the file is planned again with `planOptions`; unless the file, columns, settings and every
 *   row match the plan, it throws `RollcallError('plan_mismatch')` (a plan kept by a client may have been
 *   edited, or users added since the preview). An import key already used is answered first, as below.
 * - With `importKey`, an earlier import under the same key is replayed: nothing is created again.
 * - A plan that is not executable is not run: it resolves `{ imported: false, summary }`.
 * - When another import takes some of the emails while this one runs, everything rolls back. A plan made with
 *   `onExisting: 'skip'` is then planned again once (the users created meanwhile are skipped) and run again;
 *   otherwise, or when that run loses too, it resolves `{ imported: false }` with an `already_exists` issue
 *   on exactly the rows taken.
 * - A failure of the commit itself is settled by looking the users up: committed, it resolves as imported.
 * - A store failure rolls back and throws `RollcallError('store_error')` with the store's error as cause.
 *
 * The plaintext passwords are in the result (and its results file) only: the store gets hashes, and the
 * import record gets row numbers and counts.
 *
 * @example
 * const result = await executeImport(plan, { store, actor, authorize, input: file, importKey: uploadId });
 * if (result.imported) download(result.resultsCsv());
 */
export async function executeImport<A = unknown>(plan: ImportPlan, options: ExecuteOptions<A>): Promise<ImportResult> {
  const settings = executeSettings(options);
  await requireAuthorized(options);
  const { store, signal } = options;
  checkPlan(plan);
  const fresh = options.input === undefined ? undefined : await replan(plan, options.input, options);
  const key = options.importKey;
  if (key !== undefined) {
    // Before the rows are compared: once an import has run, its rows plan as existing users.
    const earlier = await readStore(() => store.findImport(key), 'Looking up the import key in the store', signal);
    if (earlier !== undefined) return replay(fresh ?? plan, earlier, key);
  }
  if (fresh !== undefined) plan = sameRowsAs(fresh, plan);
  if (!plan.executable) return { imported: false, summary: plan.summary };

  const now = options.now?.() ?? new Date();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new RollcallError('invalid_option', 'now() must return a valid Date.');
  const run: ImportRun<A> = { options, settings, now, importId: options.importId ?? crypto.randomUUID() };
  const first = await importOnce(plan, run);
  if (!('lost' in first)) return first;
  // Under `skip`, the users the winning import created are existing users now: planned as skipped, once more.
  const again = plan.settings.onExisting === 'skip' ? await skipTaken(plan, store, signal) : undefined;
  const second = again === undefined ? first : await importOnce(again, run);
  if (!('lost' in second)) return second;
  return { imported: false, summary: lostRace(again ?? plan, second.lost, options.messages) };
}

/** What every attempt of one `executeImport` call shares. */
interface ImportRun<A> {
  readonly options: ExecuteOptions<A>;
  readonly settings: ExecuteSettings;
  readonly now: Date;
  readonly importId: string;
}

/** The emails another import took while this one ran: the transaction rolled back. */
interface LostRace {
  readonly lost: readonly string[];
}

/** Runs the plan's one transaction: the result, or the emails another import took first. */
async function importOnce<A>(plan: ImportPlan, run: ImportRun<A>): Promise<ImportResult | LostRace> {
  const { options, settings, now, importId } = run;
  const { store, signal } = options;
  const key = options.importKey;
  const toCreate = plan.rows.filter((row) => row.action === 'create');
  const skipped: SkippedEntry[] = plan.rows
    .filter((row) => row.action === 'skip')
    .map((row) => ({ row: row.row, email: row.email, reason: 'already_exists' }));
  const expiresAt = new Date(now.getTime() + settings.expiresInMs);
  const batches = userBatches(toCreate, importId, expiresAt, settings, settings.batchSize);
  const { secrets } = batches;
  // The first batch is built before the transaction, so a hash function that breaks its contract fails before
  // anything is written. A synchronous hash (the default) then hashes each next batch while the store writes
  // the one before; a slow asynchronous one (bcrypt, argon2) hashes them all first, so it never holds the
  // transaction open.
  const built: NewUser[][] = batches.count > 0 ? [await batches.build(0)] : [];
  if (batches.asynchronous) for (let k = 1; k < batches.count; k++) built.push(await batches.build(k));

  const outcome: RecordedOutcome = {
    version: 1,
    credential: settings.credential,
    created: toRowRanges(toCreate.map((row) => row.row)),
    skipped: toRowRanges(skipped.map((row) => row.row)),
    createdCount: toCreate.length,
    skippedCount: skipped.length,
  };
  const record: ImportRecord = { id: importId, key: key ?? null, fingerprint: plan.fingerprint, outcome, createdAt: now };

  let userIds: string[];
  // Set when the transaction's body has finished: a failure after that came from the commit itself, whose
  // outcome the error alone cannot tell (a connection lost while COMMIT's reply was on its way).
  let written: string[] | undefined;
  // A hash that failed inside the transaction: its error goes up as it is, not as a store failure.
  let hashFailure: { error: unknown } | undefined;
  const build = (k: number): Promise<NewUser[]> => {
    const batch = built[k];
    if (batch !== undefined) return Promise.resolve(batch);
    const building = batches.build(k).catch((error: unknown) => {
      hashFailure ??= { error };
      throw error;
    });
    building.catch(() => undefined); // awaited later, after the current batch is written
    return building;
  };
  try {
    userIds = await store.transaction(async (tx) => {
      signal?.throwIfAborted();
      await tx.recordImport(record);
      const ids: string[] = new Array<string>(toCreate.length);
      // Each key once, though a store may name it again in a later batch's conflict (the memory store names
      // every key the transaction has lost so far).
      const taken = new Set<string>();
      let done = 0;
      let next = build(0);
      for (let k = 0; k < batches.count; k++) {
        signal?.throwIfAborted();
        const batch = await next;
        // Through a promise, so a store that returns its array or throws is handled as one that rejects.
        const creating = Promise.resolve().then(() => tx.createUsers(batch));
        creating.catch(() => undefined); // awaited below, after the next batch has started building
        // The next batch's credentials are hashed while the store writes this one.
        if (k + 1 < batches.count) next = build(k + 1);
        let created;
        try {
          created = await creating;
        } catch (error) {
          // Carry on to name every taken email; a store whose transaction a conflict aborted fails the
          // next batch, and the conflicts found so far are then the answer.
          if (isStoreConflictError(error) && error.code === 'email_taken') {
            for (const key of error.keys) taken.add(key);
            continue;
          }
          if (taken.size > 0) break;
          throw error;
        }
        batches.positions(k).forEach((index, n) => (ids[index] = created[n]?.id ?? ''));
        done += batch.length;
        options.onProgress?.({ usersCreated: done, usersToCreate: toCreate.length });
      }
      if (taken.size > 0) throw new StoreConflictError('email_taken', [...taken]);
      if (settings.introduce && tx.enqueueImportIntroductions !== undefined && tx.enqueueIntroductions !== undefined) {
        // The store finds the import's users itself, in row order.
        signal?.throwIfAborted();
        await tx.enqueueImportIntroductions(importId);
      } else if (settings.introduce && tx.enqueueIntroductions !== undefined) {
        // In file order, so introductions go out in the order the admin listed the users.
        for (let start = 0; start < toCreate.length; start += settings.batchSize) {
          signal?.throwIfAborted();
          await tx.enqueueIntroductions(
            toCreate.slice(start, start + settings.batchSize).map((user, n) => ({
              importId,
              userId: ids[start + n] ?? '',
              email: user.email,
              firstName: user.firstName,
              lastName: user.lastName,
            })),
          );
        }
      }
      written = ids;
      return ids;
    });
  } catch (error) {
    if (isStoreConflictError(error)) {
      // When an import with the same key committed first, whichever conflict the store met first, answer
      // as if that import had finished before this one began.
      const earlier =
        key === undefined
          ? undefined
          : await readStore(() => store.findImport(key), 'Looking up the import key in the store', signal);
      if (earlier !== undefined && key !== undefined) return replay(plan, earlier, key);
      if (error.code === 'email_taken') return { lost: error.keys };
    }
    if (hashFailure !== undefined) throw hashFailure.error;
    if (error instanceof RollcallError || (signal?.aborted === true && error === signal.reason)) throw error;
    if (written === undefined) {
      throw new RollcallError('store_error', 'The import failed and was rolled back: no user was created.', { cause: error });
    }
    userIds = await settleCommit(store, toCreate, written, error);
  }

  const secretKey = settings.credential === 'password' ? 'temporaryPassword' : 'inviteToken';
  const created = toCreate.map((row, i): CreatedEntry => {
    const user: { -readonly [K in keyof CreatedEntry]: CreatedEntry[K] } = entry(row, userIds[i]);
    user[secretKey] = secrets[i] ?? '';
    return user;
  });
  return {
    imported: true,
    replayed: false,
    importId,
    credential: settings.credential,
    expiresAt,
    created,
    skipped,
    summary: plan.summary,
    resultsCsv: (csvOptions) => resultsCsv(plan.columns, settings.credential, created, csvOptions),
  };
}

interface ExecuteSettings {
  readonly credential: CredentialKind;
  readonly expiresInMs: number;
  readonly passwordLength: number;
  readonly batchSize: number;
  readonly introduce: boolean;
  readonly hashPassword: (password: string) => string | Promise<string>;
  readonly hashInviteToken: (token: string) => string | Promise<string>;
  readonly secrets: SecretGenerator;
}

function executeSettings<A>(options: ExecuteOptions<A>): ExecuteSettings {
  const credential = oneOf('credential', options.credential ?? 'password', ['password', 'invite']);
  const passwordLength = positiveOption('passwordLength', options.passwordLength ?? 16);
  if (passwordLength < minPasswordLength) {
    throw new RollcallError('invalid_option', `passwordLength must be at least ${minPasswordLength}, got ${passwordLength}.`);
  }
  const key: unknown = options.importKey;
  if (key !== undefined && (typeof key !== 'string' || key === '')) {
    throw new RollcallError('invalid_option', 'importKey must be a non-empty string.');
  }
  return {
    credential,
    passwordLength,
    expiresInMs: positiveOption('expiresInMs', options.expiresInMs ?? sevenDays),
    batchSize: positiveOption('batchSize', options.batchSize ?? 5000),
    introduce: options.introduce ?? true,
    hashPassword: options.hashPassword ?? hashSecret,
    hashInviteToken: options.hashInviteToken ?? hashSecret,
    secrets: options.secrets ?? secretGenerator(),
  };
}

/** The earlier import under the same key: its outcome when the file is the same, a refusal otherwise. */
function replay(plan: ImportPlan, earlier: ImportRecord, key: string): ImportReplayed {
  if (earlier.fingerprint !== plan.fingerprint) {
    throw new RollcallError(
      'import_key_conflict',
      `The import key ${JSON.stringify(key)} was used for another file (import ${earlier.id}); use a new key for a new file.`,
    );
  }
  const outcome = (earlier.outcome ?? {}) as Partial<Record<keyof RecordedOutcome, unknown>>;
  const byRow = new Map(plan.rows.map((row) => [row.row, row]));
  const rowsOf = (ranges: unknown): PlannedRow[] =>
    (fromRowRanges(ranges) ?? []).flatMap((n) => {
      const row = byRow.get(n);
      return row === undefined ? [] : [row];
    });
  const created = rowsOf(outcome.created).map((row) => entry(row, row.existingId));
  const skipped = rowsOf(outcome.skipped).map((row): SkippedEntry => ({ row: row.row, email: row.email, reason: 'already_exists' }));
  const credential: CredentialKind = outcome.credential === 'invite' ? 'invite' : 'password';
  const secret = credential === 'password' ? 'temporary passwords' : 'invite tokens';
  return {
    imported: true,
    replayed: true,
    importId: earlier.id,
    importedAt: earlier.createdAt,
    credential,
    created,
    skipped,
    note: `This file was already imported with this import key (import ${earlier.id}); nothing was created now. Its ${secret} were shown once, when it ran, and are not shown again.`,
    resultsCsv: (csvOptions) => resultsCsv(plan.columns, null, created, csvOptions),
  };
}

function entry(row: PlannedRow, userId: string | undefined): CreatedEntry {
  const created: { -readonly [K in keyof CreatedEntry]: CreatedEntry[K] } = {
    row: row.row,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    attributes: row.attributes,
  };
  if (userId !== undefined) created.userId = userId;
  return created;
}

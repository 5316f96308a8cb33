import { compareKeys } from '../adapters/store/key-order.js';
import type { NewCredential, NewUser } from '../adapters/store/types.js';
import type { PlannedRow } from '../plan/import-plan.js';
import { RollcallError } from '../rollcall-error.js';
import type { CredentialKind } from './import-result.js';
import type { SecretGenerator } from './secret-generator.js';

/** How {@link userBatches} makes credentials. */
export interface CredentialSettings {
  readonly credential: CredentialKind;
  readonly passwordLength: number;
  readonly hashPassword: (password: string) => string | Promise<string>;
  readonly hashInviteToken: (token: string) => string | Promise<string>;
  readonly secrets: SecretGenerator;
}

/** The users of an import, built a batch at a time in email-key order. */
export interface UserBatches {
  /** How many batches there are. */
  readonly count: number;
  /** Whether the hash answered with a promise in a batch built so far (bcrypt, argon2: slow, on the thread pool). */
  readonly asynchronous: boolean;
  /** The plaintext secrets, in the rows' order; a secret is there once its batch was built. */
  readonly secrets: readonly string[];
  /** The positions (in the rows' order) of batch `k`'s users, in the order `build(k)` returns them. */
  positions(k: number): readonly number[];
  /**
   * Builds batch `k`: draws and hashes its secrets and makes its users, in email-key order. It hands the event
   * loop back every 256 users, so building one batch overlaps the store writing the batch before it.
   */
  build(k: number): Promise<NewUser[]>;
}

/** Rows hashed between two turns of the event loop (and at once, for an asynchronous hash). */
const slice = 256;

/**
 * The users to create from `rows`, in batches of `batchSize` sorted by email key: two imports that share
 * emails then lock them in the same order and cannot deadlock across batches (a database would abort one
 * of them, unreported as a conflict). Nothing is drawn or hashed before {@link UserBatches.build}.
 */
export function userBatches(
  rows: readonly PlannedRow[],
  importId: string,
  expiresAt: Date,
  settings: CredentialSettings,
  batchSize: number,
): UserBatches {
  const password = settings.credential === 'password';
  const secrets = new Array<string>(rows.length);
  const draw = (): string => (password ? settings.secrets.password(settings.passwordLength) : settings.secrets.inviteToken());
  const hash = password ? settings.hashPassword : settings.hashInviteToken;
  // The keys in an array of their own: the sort compares them 3.5 million times for 200,000 rows.
  const keys = rows.map((row) => row.emailKey);
  const order = rows.map((_, index) => index).sort((a, b) => compareKeys(keys[a] ?? '', keys[b] ?? ''));
  const positions = (k: number): number[] => order.slice(k * batchSize, (k + 1) * batchSize);

  function newUser(row: PlannedRow, index: number, hashed: unknown): NewUser {
    if (typeof hashed !== 'string' || hashed === '' || hashed === secrets[index]) {
      throw new RollcallError(
        'invalid_option',
        `${password ? 'hashPassword' : 'hashInviteToken'} must return a hash as a non-empty string, never the secret itself.`,
      );
    }
    const credential: NewCredential = password
      ? { kind: 'password', hash: hashed, mustChange: true, expiresAt }
      : { kind: 'invite', hash: hashed, expiresAt };
    return {
      email: row.email,
      emailKey: row.emailKey,
      firstName: row.firstName,
      lastName: row.lastName,
      attributes: row.attributes,
      credential,
      importId,
      row: row.row,
    };
  }

  let asynchronous = false;
  return {
    count: Math.ceil(rows.length / batchSize),
    get asynchronous() {
      return asynchronous;
    },
    secrets,
    positions,
    async build(k) {
      const batch = positions(k);
      const built: NewUser[] = [];
      for (let start = 0; start < batch.length; start += slice) {
        if (start > 0) await nextTurn();
        const indexes = batch.slice(start, start + slice);
        for (const index of indexes) secrets[index] = draw();
        const hashes: unknown[] = indexes.map((index) => hash(secrets[index] ?? ''));
        // An asynchronous hash (bcrypt, argon2) runs a slice at a time in parallel on the thread pool; a
        // synchronous one (the default) is not wrapped in promises it does not need.
        if (hashes.some((h) => typeof h !== 'string')) asynchronous = true;
        const settled = asynchronous ? await Promise.all(hashes) : hashes;
        indexes.forEach((index, n) => {
          const row = rows[index];
          if (row === undefined) return;
          // Not kept past its batch: a user the store has written is garbage, not a survivor to copy.
          built.push(newUser(row, index, settled[n]));
        });
      }
      return built;
    },
  };
}

/** Lets pending I/O (the store's replies, a COPY asking for more) run before the next slice. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

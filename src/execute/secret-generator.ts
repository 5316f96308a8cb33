import { randomFillSync } from 'node:crypto';

const uppercase = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const lowercase = 'abcdefghijklmnopqrstuvwxyz';
const digits = '0123456789';
const letters = uppercase + lowercase;
const alphanumeric = letters + digits;

/** The shortest temporary password rollcall hands out: about 89 bits of entropy. */
export const minPasswordLength = 15;

/** Fills a buffer with random bytes; tests pass a scripted source. */
export type RandomSource = (buffer: Uint8Array) => void;

/** Draws temporary passwords and invite tokens from a random source. */
export interface SecretGenerator {
  /**
   * A temporary password of `length` characters of `[A-Za-z0-9]`: a letter first, so Excel never reads it
   * as a number or a formula, and at least one uppercase letter, lowercase letter and digit, so the usual
   * sign-in password rules accept it. Each such password is equally likely.
   */
  password(length: number): string;
  /** A single-use invite token: 32 random bytes (256 bits) in base64url, 43 characters. */
  inviteToken(): string;
}

/**
 * A {@link SecretGenerator} over `random` (the operating system's CSPRNG through `node:crypto` unless
 * told). Characters are picked by rejection sampling, never by a bare modulo: a byte is used only when it
 * falls below the largest multiple of the alphabet's size, so every character is equally likely.
 *
 * @example
 * secretGenerator().password(16); // 'qR7vLx2mKp9TzA4c'
 */
export function secretGenerator(random: RandomSource = randomFillSync): SecretGenerator {
  const pool = new Uint8Array(4096);
  let at = pool.length;
  const nextByte = (): number => {
    if (at === pool.length) {
      random(pool);
      at = 0;
    }
    return pool[at++] ?? 0;
  };
  const pick = (alphabet: string): string => {
    const limit = 256 - (256 % alphabet.length);
    for (;;) {
      const byte = nextByte();
      if (byte < limit) return alphabet.charAt(byte % alphabet.length);
    }
  };

  return {
    password(length) {
      if (!Number.isSafeInteger(length) || length < minPasswordLength) {
        throw new RangeError(`A temporary password has at least ${minPasswordLength} characters, not ${String(length)}.`);
      }
      for (;;) {
        let password = pick(letters);
        for (let i = 1; i < length; i++) password += pick(alphanumeric);
        // Redrawing the whole password keeps every accepted one equally likely.
        if (/[A-Z]/u.test(password) && /[a-z]/u.test(password) && /[0-9]/u.test(password)) return password;
      }
    },
    inviteToken() {
      const bytes = new Uint8Array(32);
      random(bytes);
      return Buffer.from(bytes).toString('base64url');
    },
  };
}

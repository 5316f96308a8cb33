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
  // Character codes of the password being drawn, reused from one password to the next.
  const drawn: number[] = [];

  return {
    password(length) {
      if (!Number.isSafeInteger(length) || length < minPasswordLength) {
        throw new RangeError(`A temporary password has at least ${minPasswordLength} characters, not ${String(length)}.`);
      }
      drawn.length = length;
      for (;;) {
        // Bits 1, 2 and 4: an uppercase letter, a lowercase letter and a digit were drawn.
        let classes = 0;
        for (let i = 0; i < length; ) {
          if (at === pool.length) {
            random(pool);
            at = 0;
          }
          const byte = pool[at++] ?? 0;
          // A letter first, then any of the 62; a byte at or above the largest multiple of the size is dropped.
          const size = i === 0 ? letters.length : alphanumeric.length;
          if (byte >= 256 - (256 % size)) continue;
          const k = byte % size;
          classes |= k < uppercase.length ? 1 : k < letters.length ? 2 : 4;
          drawn[i++] = alphanumeric.charCodeAt(k);
        }
        // Redrawing the whole password keeps every accepted one equally likely.
        if (classes === 7) return fromCharCodes(drawn);
      }
    },
    inviteToken() {
      const bytes = new Uint8Array(32);
      random(bytes);
      return Buffer.from(bytes).toString('base64url');
    },
  };
}

/** The string of `codes`, a few thousand at a time (a call takes only so many arguments). */
function fromCharCodes(codes: readonly number[]): string {
  if (codes.length <= 4096) return String.fromCharCode(...codes);
  let text = '';
  for (let i = 0; i < codes.length; i += 4096) text += String.fromCharCode(...codes.slice(i, i + 4096));
  return text;
}

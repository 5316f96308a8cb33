import { hash } from 'node:crypto';

/**
 * rollcall's default hash for temporary passwords and invite tokens: `sha256:` and the SHA-256 of the
 * secret's UTF-8 bytes in lowercase hex.
 *
 * A fast unsalted hash is the right tool here, unlike for passwords people choose: each secret is drawn
 * at random with at least 89 bits of entropy, so no dictionary or precomputed table covers it and a slow
 * hash would add nothing but hours to a large import. Being deterministic, it lets a host find an invite
 * by its token (`WHERE invite_token_hash = 'sha256:' || encode(sha256(convert_to($1, 'UTF8')), 'hex')`).
 * Hosts whose sign-in checks another format pass their own `hashPassword`.
 *
 * @example
 * hashSecret('qR7vLx2mKp9TzA4c'); // 'sha256:5f1c…'
 */
export function hashSecret(secret: string): string {
  return `sha256:${hash('sha256', secret, 'hex')}`;
}

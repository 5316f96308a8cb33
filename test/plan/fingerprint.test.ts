import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestFile, runningSha256 } from '../../src/plan/fingerprint.js';

function digestOf(chunks: readonly Uint8Array[], portable: boolean): string {
  const hash = runningSha256(portable);
  for (const chunk of chunks) hash.update(chunk);
  return hash.digest();
}

describe('runningSha256', () => {
  it("gives the standard digest, node:crypto's and the portable one alike", () => {
    const abc = [new TextEncoder().encode('abc')];
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect([digestOf(abc, false), digestOf(abc, true)]).toEqual([expected, expected]);
  });

  it('gives the same digest on Node and in the portable hash, for any bytes in any chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (chunks) => {
        const whole = new Uint8Array(chunks.flatMap((chunk) => [...chunk]));
        const expected = digestOf([whole], true);
        expect(digestOf(chunks, false)).toBe(expected);
        expect(digestOf(chunks, true)).toBe(expected);
      }),
    );
  });

  it('digests a file read in chunks as the bytes it holds', async () => {
    const bytes = new TextEncoder().encode('First Name,Last Name,Email\r\nAda,Lovelace,ada@example.org\r\n');
    await expect(digestFile(bytes)).resolves.toEqual({ sha256: digestOf([bytes], true), bytes: bytes.length });
  });
});

import fc from 'fast-check';

/**
 * Ways to split bytes into chunks, as a network or a file stream might deliver them: cuts at arbitrary
 * places (inside a multi-byte character, between CR and LF, inside a byte order mark), chunks of one fixed
 * size, and one byte at a time for short inputs. Joined, the chunks are always the bytes; each chunk is a copy.
 *
 * @example
 * fc.assert(fc.asyncProperty(excelFile(usersSchema).chain((f) => chunkings(f.bytes)), async (chunks) => ...));
 */
export function chunkings(bytes: Uint8Array): fc.Arbitrary<Uint8Array[]> {
  const length = bytes.length;
  if (length < 2) return fc.constant([bytes.slice()]);
  const cuts = fc
    .uniqueArray(fc.integer({ min: 1, max: length - 1 }), { maxLength: Math.min(length - 1, 24) })
    .map((at) => split(bytes, [...at].sort((a, b) => a - b)));
  const fixed = fc.integer({ min: 1, max: length }).map((size) => {
    const at: number[] = [];
    for (let i = size; i < length; i += size) at.push(i);
    return split(bytes, at);
  });
  const arbitraries = [cuts, fixed];
  if (length <= 4096) arbitraries.push(fc.constant(split(bytes, Array.from({ length: length - 1 }, (_, i) => i + 1))));
  return fc.oneof(...arbitraries);
}

function split(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const to of at) {
    chunks.push(bytes.slice(from, to));
    from = to;
  }
  chunks.push(bytes.slice(from));
  return chunks;
}

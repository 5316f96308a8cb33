import { createDecoder } from '../../src/input/decode.js';

/** Runs per property: 200 locally, 10,000 in CI (`FC_RUNS=10000 npm run test:hostile`). */
export const numRuns = Number(process.env.FC_RUNS ?? 200);

const encoder = new TextEncoder();

/**
 * A large file as a stream of 64 KiB chunks, built piece by piece as it is read, so that the test never holds
 * the whole input: `parts` are written in order, each `[text, times]` repeated `times` times.
 */
export function* streamOf(parts: readonly (readonly [string, number])[], chunkLength = 64 * 1024): Generator<Uint8Array> {
  // Chunks are cut from each part as it comes, so that no long concatenation is ever flattened.
  let pending = '';
  for (const [text, times] of parts) {
    for (let i = 0; i < times; i++) {
      let at = 0;
      while (pending.length + text.length - at >= chunkLength) {
        const take = chunkLength - pending.length;
        yield encoder.encode(pending + text.slice(at, at + take));
        at += take;
        pending = '';
      }
      pending += text.slice(at);
    }
  }
  if (pending.length > 0) yield encoder.encode(pending);
}

/**
 * The number of lines of a file as a spreadsheet shows them (CRLF, LF and CR alone each end one), decoded as
 * the validator decodes it: no row number in a summary can be past it.
 */
export function lineCount(bytes: Uint8Array): number {
  const decoder = createDecoder();
  const text = decoder.write(bytes) + decoder.end();
  let lines = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\n' || (char === '\r' && text.charAt(i + 1) !== '\n')) lines++;
  }
  return lines;
}

/** The heap still in use after two full collections; needs `--expose-gc` (vitest.hostile.config.ts). */
export function heapAfterCollection(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run test/hostile with vitest.hostile.config.ts, which exposes the collector');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

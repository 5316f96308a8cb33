import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/input/concat-bytes.js';
import { isInputSource, toByteChunks, type InputSource } from '../../src/input/source.js';
import { RollcallError } from '../../src/rollcall-error.js';
import { isWellFormed, utf8 } from './bytes.js';

async function collect(source: InputSource, signal?: AbortSignal): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of toByteChunks(source, signal)) chunks.push(chunk);
  return chunks;
}

async function readAll(source: InputSource): Promise<string> {
  return new TextDecoder().decode(concatBytes(await collect(source)));
}

/** A stream that makes a chunk only when asked (no read-ahead), counting what it was asked for. */
function countingStream(chunks: readonly string[]) {
  const state = { pulls: 0, cancelled: false as boolean, reason: undefined as unknown };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const chunk = chunks[state.pulls++];
        if (chunk === undefined) controller.close();
        else controller.enqueue(utf8(chunk));
      },
      cancel(reason) {
        state.cancelled = true;
        state.reason = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe('toByteChunks: whole inputs', () => {
  it('encodes a string as UTF-8, so a leading U+FEFF becomes a UTF-8 BOM', async () => {
    expect(await collect('\uFEFFZoë')).toEqual([new Uint8Array([0xef, 0xbb, 0xbf, 0x5a, 0x6f, 0xc3, 0xab])]);
  });

  it('passes bytes, a Node Buffer and an ArrayBuffer through as they are', async () => {
    expect(await readAll(utf8('a,b'))).toBe('a,b');
    expect(await readAll(Buffer.from('a,b'))).toBe('a,b');
    const buffer = new ArrayBuffer(3);
    new Uint8Array(buffer).set(utf8('a,b'));
    expect(await readAll(buffer)).toBe('a,b');
  });

  it('yields nothing for an empty file', async () => {
    expect(await collect('')).toEqual([]);
    expect(await collect(new Uint8Array())).toEqual([]);
    expect(await collect([])).toEqual([]);
  });
});

describe('toByteChunks: iterables and Node streams', () => {
  it('reads an array of byte and string chunks in order', async () => {
    expect(await readAll([utf8('email,'), 'name\r\n', utf8('ann@example.com,Ann')])).toBe(
      'email,name\r\nann@example.com,Ann',
    );
  });

  it('encodes an emoji split between two string chunks whole', async () => {
    expect(await readAll(['a\uD83D', '\uDE00b'])).toBe('a😀b');
  });

  it('encodes a lone surrogate at the end as U+FFFD, as TextEncoder does', async () => {
    expect(await readAll(['a\uD83D'])).toBe('a\uFFFD');
    expect(await readAll(['a\uD83D', utf8('b')])).toBe('a\uFFFDb');
  });

  it('reads a Node Readable of Buffers, and of strings', async () => {
    expect(await readAll(Readable.from([Buffer.from('a,'), Buffer.from('b')]))).toBe('a,b');
    expect(await readAll(Readable.from(['Zoë,', 'Ann'], { objectMode: true }))).toBe('Zoë,Ann');
  });

  it('destroys a Node Readable when the consumer stops early', async () => {
    const readable = Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
    for await (const chunk of toByteChunks(readable)) {
      expect(new TextDecoder().decode(chunk)).toBe('a');
      break;
    }
    expect(readable.destroyed).toBe(true);
  });

  it('closes an async iterator when the consumer stops early', async () => {
    let closed = false;
    async function* source() {
      try {
        await Promise.resolve();
        yield 'a';
        yield 'b';
      } finally {
        closed = true;
      }
    }
    const iterator = toByteChunks(source())[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.return?.();
    expect(closed).toBe(true);
  });

  it('reads an async iterator only as fast as the consumer asks', async () => {
    let produced = 0;
    async function* source() {
      for (;;) {
        produced++;
        yield 'x';
        await Promise.resolve();
      }
    }
    const iterator = toByteChunks(source())[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(produced).toBe(2);
    await iterator.return?.();
  });

  it('throws a RollcallError when a chunk is neither bytes nor a string', async () => {
    const notBytes = [utf8('a'), 42] as unknown as InputSource;
    await expect(collect(notBytes)).rejects.toThrow(RollcallError);
    await expect(collect({} as InputSource)).rejects.toThrow(RollcallError);
  });

  it('gives the UTF-8 of the whole text for any split of it into string chunks', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 30 }).filter(isWellFormed);
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 5 }), async (value, offsets) => {
        const cuts = [0, ...offsets.map((offset) => offset % (value.length + 1)).sort((a, b) => a - b), value.length];
        const chunks = cuts.slice(1).map((cut, i) => value.slice(cuts[i], cut));
        expect(concatBytes(await collect(chunks))).toEqual(utf8(value));
      }),
    );
  });
});

describe('toByteChunks: Web ReadableStream', () => {
  it('reads every chunk and releases the stream at the end', async () => {
    const { stream } = countingStream(['email,', 'name']);
    expect(await readAll(stream)).toBe('email,name');
    expect(stream.locked).toBe(false);
  });

  it('reads a stream that is not async-iterable (Safari) through its reader', async () => {
    const { stream } = countingStream(['a,', 'b']);
    const safariLike = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
    expect(await readAll(safariLike)).toBe('a,b');
  });

  it('reads string chunks of a text stream', async () => {
    const stream = new ReadableStream<string>({
      start(controller) {
        controller.enqueue('Zoë,');
        controller.enqueue('Ann');
        controller.close();
      },
    });
    expect(await readAll(stream)).toBe('Zoë,Ann');
  });

  it('asks the stream for a chunk only when the consumer asks for one', async () => {
    const { stream, state } = countingStream(['a', 'b', 'c', 'd']);
    const iterator = toByteChunks(stream)[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    expect(state.pulls).toBe(2);
    await iterator.return?.();
  });

  it('cancels the stream and releases it when the consumer stops early', async () => {
    const { stream, state } = countingStream(['a', 'b', 'c']);
    for await (const chunk of toByteChunks(stream)) {
      expect(chunk).toEqual(utf8('a'));
      break;
    }
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });
});

describe('toByteChunks: abort', () => {
  it('rejects with the reason of a signal that is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect('a,b', controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects a pending read of a Web stream with the abort reason, and cancels the stream', async () => {
    const state = { cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull: () => new Promise<void>(() => undefined),
      cancel: () => {
        state.cancelled = true;
      },
    });
    const controller = new AbortController();
    const reading = collect(stream, controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 5);
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('rejects a pending read of an async iterable with the abort reason, and closes it', async () => {
    let closed = false;
    const never: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => new Promise<IteratorResult<Uint8Array>>(() => undefined),
        return: () => {
          closed = true;
          return Promise.resolve({ done: true, value: undefined });
        },
      }),
    };
    const controller = new AbortController();
    const reason = new DOMException('The admin cancelled the upload', 'AbortError');
    const reading = collect(never, controller.signal);
    setTimeout(() => {
      controller.abort(reason);
    }, 5);
    await expect(reading).rejects.toBe(reason);
    expect(closed).toBe(true);
  });

  it('stops between the chunks of an array when the signal aborts', async () => {
    const controller = new AbortController();
    const seen: Uint8Array[] = [];
    const reading = (async () => {
      for await (const chunk of toByteChunks([utf8('a'), utf8('b')], controller.signal)) {
        seen.push(chunk);
        controller.abort();
      }
    })();
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(1);
  });
});

describe('isInputSource', () => {
  it('accepts every kind of input source', () => {
    const sources: unknown[] = [
      'a,b',
      utf8('a'),
      Buffer.from('a'),
      new ArrayBuffer(1),
      new ReadableStream(),
      Readable.from([]),
      [utf8('a')],
      { [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) },
    ];
    for (const source of sources) expect(isInputSource(source)).toBe(true);
  });

  it('refuses values that are not', () => {
    for (const value of [42, null, undefined, {}, true]) expect(isInputSource(value)).toBe(false);
  });
});

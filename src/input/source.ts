import { RollcallError } from '../rollcall-error.js';

/**
 * What a host may pass as a file: its text, its bytes, a `Blob` or `File` (from a browser's file input or
 * `FormData`), a Web `ReadableStream` (`file.stream()` in a browser,
 * `Readable.toWeb` in Node), a Node `Readable` (an async iterable of `Buffer`s), or any (async) iterable of
 * chunks. String chunks are encoded to UTF-8.
 */
export type InputSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | Blob
  | ReadableStream<Uint8Array | string>
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

const encoder = new TextEncoder();

/**
 * Whether a value is something {@link toByteChunks} reads. Iterables are accepted on their shape: what
 * they yield is checked as it is read.
 *
 * @example
 * isInputSource('email\r\nann@example.com'); // true
 * isInputSource(42); // false
 */
export function isInputSource(x: unknown): x is InputSource {
  if (typeof x === 'string' || isUint8Array(x) || isArrayBuffer(x) || isBlob(x)) return true;
  if (typeof x !== 'object' || x === null) return false;
  return isReadableStream(x) || isAsyncIterable(x) || isIterable(x);
}

/**
 * Reads any {@link InputSource} as byte chunks, one chunk per `next()`: a stream is only read as fast as the
 * consumer asks. When the consumer stops early (`return()`), a stream is cancelled and an iterator closed.
 * When `signal` aborts, reading stops, the source is cancelled or closed, and the iteration rejects with the
 * signal's reason.
 *
 * @example
 * for await (const chunk of toByteChunks(file.stream(), signal)) decoder.write(chunk);
 */
export function toByteChunks(source: InputSource, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  return readSource(source, signal);
}

async function* readSource(source: InputSource, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  signal?.throwIfAborted();
  if (typeof source === 'string') {
    if (source.length > 0) yield encoder.encode(source);
    return;
  }
  if (isUint8Array(source)) {
    if (source.length > 0) yield source;
    return;
  }
  if (isArrayBuffer(source)) {
    if (source.byteLength > 0) yield new Uint8Array(source);
    return;
  }
  const chunks = new ChunkEncoder();
  if (isBlob(source)) {
    yield* readStream(source.stream(), signal, chunks);
  } else if (isReadableStream(source)) {
    yield* readStream(source, signal, chunks);
  } else if (isAsyncIterable(source)) {
    yield* readAsyncIterable(source, signal, chunks);
  } else if (isIterable(source)) {
    for (const chunk of source) {
      signal?.throwIfAborted();
      const bytes = chunks.bytes(chunk);
      if (bytes.length > 0) yield bytes;
    }
  } else {
    throw new RollcallError('invalid_option', `cannot read a file from ${describe(source)}`);
  }
  const rest = chunks.end();
  if (rest.length > 0) yield rest;
}

/** Reads a Web stream with a reader: Safari's `ReadableStream` is not async-iterable. */
async function* readStream(
  stream: ReadableStream<Uint8Array | string>,
  signal: AbortSignal | undefined,
  chunks: ChunkEncoder,
): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  const onAbort = (): void => {
    // Cancelling ends a pending read() (with done), so an abort does not wait for the next chunk.
    reader.cancel(signal?.reason).catch(ignore);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      signal?.throwIfAborted();
      const next = await reader.read();
      signal?.throwIfAborted();
      if (next.done) {
        finished = true;
        return;
      }
      const bytes = chunks.bytes(next.value);
      if (bytes.length > 0) yield bytes;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!finished) await reader.cancel(signal?.reason).catch(ignore);
    reader.releaseLock();
  }
}

/** Reads an async iterable (a Node `Readable` among them), closing it when reading stops early. */
async function* readAsyncIterable(
  iterable: AsyncIterable<Uint8Array | string>,
  signal: AbortSignal | undefined,
  chunks: ChunkEncoder,
): AsyncGenerator<Uint8Array> {
  const iterator = iterable[Symbol.asyncIterator]();
  // Like for-await: close the iterator when reading stops early, not when the iterator itself failed or ended.
  let close = true;
  try {
    for (;;) {
      signal?.throwIfAborted();
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await (signal === undefined ? iterator.next() : untilAborted(iterator.next(), signal));
      } catch (error) {
        if (!signal?.aborted) close = false;
        throw error;
      }
      if (next.done === true) {
        close = false;
        return;
      }
      const bytes = chunks.bytes(next.value);
      if (bytes.length > 0) yield bytes;
    }
  } finally {
    if (close) {
      try {
        await iterator.return?.();
      } catch {
        // The source failed while closing; why reading stopped matters more to the caller.
      }
    }
  }
}

/** Settles as `promise` does, or rejects with the signal's reason as soon as it aborts. */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort = ignore;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason as Error);
    };
  });
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Turns chunks into bytes. A string chunk that ends with the first half of a surrogate pair keeps it for the
 * next chunk, so an emoji split between two string chunks is encoded whole.
 */
class ChunkEncoder {
  #highSurrogate = '';

  bytes(chunk: unknown): Uint8Array {
    if (typeof chunk === 'string') {
      let text = this.#highSurrogate + chunk;
      this.#highSurrogate = '';
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.#highSurrogate = text.slice(-1);
        text = text.slice(0, -1);
      }
      return encoder.encode(text);
    }
    if (isUint8Array(chunk)) {
      if (this.#highSurrogate === '') return chunk;
      const pending = this.end();
      const out = new Uint8Array(pending.length + chunk.length);
      out.set(pending);
      out.set(chunk, pending.length);
      return out;
    }
    throw new RollcallError(
      'invalid_option',
      `the input yielded ${describe(chunk)}; a file is read from Uint8Array (or Buffer) and string chunks`,
    );
  }

  /** The bytes of a surrogate still held (a lone one, which UTF-8 encodes as U+FFFD). */
  end(): Uint8Array {
    const text = this.#highSurrogate;
    this.#highSurrogate = '';
    return encoder.encode(text);
  }
}

function isUint8Array(x: unknown): x is Uint8Array {
  // The tag check also accepts arrays from another realm (an iframe, a vm context); Buffer has this tag too.
  return x instanceof Uint8Array || Object.prototype.toString.call(x) === '[object Uint8Array]';
}

function isArrayBuffer(x: unknown): x is ArrayBuffer {
  return x instanceof ArrayBuffer || Object.prototype.toString.call(x) === '[object ArrayBuffer]';
}

function isReadableStream(x: object): x is ReadableStream<Uint8Array | string> {
  return typeof (x as { getReader?: unknown }).getReader === 'function';
}

function isAsyncIterable(x: object): x is AsyncIterable<Uint8Array | string> {
  return typeof (x as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

function isIterable(x: object): x is Iterable<Uint8Array | string> {
  return typeof (x as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function';
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return `an object (${Object.prototype.toString.call(x).slice(8, -1)})`;
  return `a ${typeof x}`;
}

function ignore(): void {
  // The stream is being given up on; an error while cancelling it changes nothing for the caller.
}

function isBlob(x: unknown): x is Blob {
  return typeof Blob !== 'undefined' && x instanceof Blob;
}

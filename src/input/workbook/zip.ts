import { Inflate } from 'fflate';
import { WorkbookError } from './workbook-error.js';

/** One file inside a zip archive, as its central directory lists it. */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
  readonly encrypted: boolean;
}

/** The limits a workbook's zip is read within, all derived from `maxBytes`. */
export interface ZipLimits {
  /** The most bytes all the parts read may inflate to, together. */
  readonly maxInflatedBytes: number;
  /** The most files in the archive. */
  readonly maxEntries: number;
}

/** How much one part may inflate beyond its compressed size before the ratio is checked (small parts compress well). */
const ratioAllowance = 1 << 20;
/** The highest ratio of inflated to compressed bytes a part may reach: spreadsheet XML stays far below it. */
const maxRatio = 200;
/** Compressed bytes inflated at a time, so that a part streams out in small pieces. */
const SLICE = 16 * 1024;

const damaged = 'the workbook is damaged or incomplete (it may not have finished uploading). Open it in Excel, save it again, and upload it again';

/** The limits for a workbook read under `maxBytes`: it may inflate to 16 times that, in at most 1 file per 4 KiB. */
export function zipLimits(maxBytes: number): ZipLimits {
  return { maxInflatedBytes: maxBytes * 16, maxEntries: Math.max(1000, Math.floor(maxBytes / 4096)) };
}

/**
 * A zip archive held in memory (its size is bounded by `maxBytes`), read from its central directory, whose
 * parts are inflated piece by piece so that no part is ever held whole in memory.
 */
export class ZipArchive {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  readonly #entries = new Map<string, ZipEntry>();
  readonly #limits: ZipLimits;
  #inflated = 0;
  readonly #partInflated = new Map<ZipEntry, number>();

  constructor(bytes: Uint8Array, limits: ZipLimits) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#limits = limits;
    this.#readDirectory();
  }

  /** The names of the files in the archive. */
  names(): IterableIterator<string> {
    return this.#entries.keys();
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /**
   * Inflates a part piece by piece, as the caller asks for them (stopping early costs nothing more). Throws
   * {@link WorkbookError} when the part is damaged, encrypted, or inflates past the limits.
   */
  *inflate(name: string): Generator<Uint8Array, void, undefined> {
    const entry = this.#entries.get(name);
    if (entry === undefined) throw new WorkbookError(`the workbook has no part ${name}; ${damaged}`);
    if (entry.encrypted) throw new WorkbookError(`the part ${name} is encrypted; ${damaged}`);
    const data = this.#data(entry);
    if (entry.method === 0) {
      for (let at = 0; at < data.length; at += SLICE) {
        const piece = data.subarray(at, at + SLICE);
        this.#count(piece.length, entry, at + piece.length);
        yield piece;
      }
      return;
    }
    const out: Uint8Array[] = [];
    let partBytes = 0;
    const inflater = new Inflate((chunk) => {
      partBytes += chunk.length;
      out.push(chunk);
    });
    for (let at = 0; at < data.length; at += SLICE) {
      try {
        inflater.push(data.subarray(at, at + SLICE), at + SLICE >= data.length);
      } catch {
        throw new WorkbookError(`the part ${name} cannot be unpacked: ${damaged}`);
      }
      this.#count(partBytes, entry, at + SLICE);
      partBytes = 0;
      yield* out.splice(0);
    }
  }

  /** Counts inflated bytes against the limits: the whole workbook's, and this part's ratio so far. */
  #count(bytes: number, entry: ZipEntry, compressedSoFar: number): void {
    this.#inflated += bytes;
    if (this.#inflated > this.#limits.maxInflatedBytes) {
      throw new WorkbookError(
        `the workbook unpacks to more than ${this.#limits.maxInflatedBytes} bytes, more than a list of users can hold. Split it into smaller files`,
      );
    }
    const partSoFar = this.#partInflated.get(entry) ?? 0;
    const total = partSoFar + bytes;
    this.#partInflated.set(entry, total);
    if (total > ratioAllowance && total > maxRatio * Math.min(compressedSoFar, entry.compressedSize)) {
      throw new WorkbookError(
        `the part ${entry.name} unpacks to over ${maxRatio} times its packed size, which no spreadsheet does; the file looks built to exhaust the server`,
      );
    }
  }

  #data(entry: ZipEntry): Uint8Array {
    const at = entry.localOffset;
    if (at + 30 > this.#bytes.length || this.#view.getUint32(at, true) !== 0x04034b50) {
      throw new WorkbookError(damaged);
    }
    const start = at + 30 + this.#view.getUint16(at + 26, true) + this.#view.getUint16(at + 28, true);
    const end = start + entry.compressedSize;
    if (end > this.#bytes.length) throw new WorkbookError(damaged);
    return this.#bytes.subarray(start, end);
  }

  #readDirectory(): void {
    const bytes = this.#bytes;
    const view = this.#view;
    // The end record is in the last 22 bytes, or before a comment of at most 65,535 bytes.
    let eocd = -1;
    for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
      if (view.getUint32(at, true) === 0x06054b50) {
        eocd = at;
        break;
      }
    }
    if (eocd < 0) throw new WorkbookError(damaged);
    const count = view.getUint16(eocd + 10, true);
    const size = view.getUint32(eocd + 12, true);
    const offset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || offset === 0xffffffff) {
      throw new WorkbookError('the workbook is stored in a way (zip64) that no spreadsheet program uses for a list of users; open it in Excel, save it again, and upload it again');
    }
    if (count > this.#limits.maxEntries) {
      throw new WorkbookError(`the workbook holds ${count} files, far more than a spreadsheet writes; the file looks built to exhaust the server`);
    }
    if (offset + size > eocd) throw new WorkbookError(damaged);
    const decoder = new TextDecoder();
    let at = offset;
    let declared = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > eocd || view.getUint32(at, true) !== 0x02014b50) throw new WorkbookError(damaged);
      const flags = view.getUint16(at + 8, true);
      const method = view.getUint16(at + 10, true);
      const compressedSize = view.getUint32(at + 20, true);
      const uncompressed = view.getUint32(at + 24, true);
      const nameLength = view.getUint16(at + 28, true);
      const extraLength = view.getUint16(at + 30, true);
      const commentLength = view.getUint16(at + 32, true);
      const localOffset = view.getUint32(at + 42, true);
      if (at + 46 + nameLength > eocd) throw new WorkbookError(damaged);
      const name = decoder.decode(bytes.subarray(at + 46, at + 46 + nameLength));
      at += 46 + nameLength + extraLength + commentLength;
      if (method !== 0 && method !== 8) {
        throw new WorkbookError(`the part ${name} is packed in a way spreadsheet programs do not use; open the workbook in Excel, save it again, and upload it again`);
      }
      declared += uncompressed;
      if (declared > this.#limits.maxInflatedBytes) {
        throw new WorkbookError(
          `the workbook unpacks to more than ${this.#limits.maxInflatedBytes} bytes, more than a list of users can hold. Split it into smaller files`,
        );
      }
      this.#entries.set(name, { name, method, compressedSize, size: uncompressed, localOffset, encrypted: (flags & 1) === 1 });
    }
  }
}

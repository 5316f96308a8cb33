const BLOCK = 1 << 20;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A workbook's shared strings, kept as UTF-8 in blocks of a megabyte rather than as a million small strings:
 * a sheet of unique addresses and IDs holds two million of them, which as JavaScript strings cost about
 * three times their UTF-8 size. A string is decoded again each time a cell points at it.
 */
export class StringTable {
  readonly #blocks: Uint8Array[] = [];
  #block = new Uint8Array(0);
  #used = 0;
  /** Per string: its block, its start in it, its length in bytes. */
  #where = new Uint32Array(3 * 1024);
  #count = 0;

  get size(): number {
    return this.#count;
  }

  add(text: string): void {
    // At most 3 bytes per UTF-16 unit.
    const most = text.length * 3;
    if (this.#used + most > this.#block.length) {
      this.#block = new Uint8Array(Math.max(BLOCK, most));
      this.#blocks.push(this.#block);
      this.#used = 0;
    }
    const { written } = encoder.encodeInto(text, this.#block.subarray(this.#used));
    if (3 * this.#count + 3 > this.#where.length) {
      const grown = new Uint32Array(this.#where.length * 2);
      grown.set(this.#where);
      this.#where = grown;
    }
    const at = 3 * this.#count++;
    this.#where[at] = this.#blocks.length - 1;
    this.#where[at + 1] = this.#used;
    this.#where[at + 2] = written;
    this.#used += written;
  }

  /** The string at `index`, or `undefined` when there is none. */
  get(index: number): string | undefined {
    if (!(index >= 0 && index < this.#count)) return undefined;
    const at = 3 * index;
    const block = this.#blocks[this.#where[at] ?? 0];
    const start = this.#where[at + 1] ?? 0;
    const length = this.#where[at + 2] ?? 0;
    if (block === undefined) return undefined;
    // Short ASCII text (names, IDs) is copied out faster than TextDecoder is called.
    if (length <= 24) {
      let text = '';
      for (let i = start; i < start + length; i++) {
        const byte = block[i] ?? 0;
        if (byte >= 0x80) return decoder.decode(block.subarray(start, start + length));
        text += String.fromCharCode(byte);
      }
      return text;
    }
    return decoder.decode(block.subarray(start, start + length));
  }
}

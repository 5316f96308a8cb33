import { SaxesParser } from 'saxes';
import { WorkbookError } from './workbook-error.js';

/** What an {@link XmlReader} reports, with element names stripped of their prefix (`x:c` is `c`). */
export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  text?(text: string): void;
  close?(name: string): void;
}

/** Elements nested deeper than this are no spreadsheet's: the part is refused rather than tracked. */
const maxDepth = 64;

/**
 * Reads one XML part of a workbook, fed as UTF-8 pieces, with saxes. Refuses what no spreadsheet program
 * writes and what could exhaust the reader: a DOCTYPE (and so any entity beyond XML's five), nesting deeper
 * than {@link maxDepth}, and a run of text or a tag longer than `maxRun` characters (saxes would hold it whole).
 */
export class XmlReader {
  readonly #parser = new SaxesParser({ position: false });
  readonly #decoder = new TextDecoder('utf-8');
  readonly #part: string;
  readonly #maxRun: number;
  /** Characters since the last `<`. */
  #run = 0;
  #depth = 0;

  constructor(part: string, handler: XmlHandler, maxRun: number) {
    this.#part = part;
    this.#maxRun = maxRun;
    const parser = this.#parser;
    parser.on('doctype', () => {
      throw new WorkbookError(`the part ${part} declares a DOCTYPE, which no spreadsheet program writes; the file looks built to attack the server`);
    });
    parser.on('error', (error) => {
      throw new WorkbookError(`the part ${part} is not well-formed XML (${error.message.replace(/^.*?:\d+:\d+: /u, '')}). Open the workbook in Excel, save it again, and upload it again`);
    });
    parser.on('opentag', (node) => {
      if (++this.#depth > maxDepth) {
        throw new WorkbookError(`the part ${part} nests elements more than ${maxDepth} deep, which no spreadsheet program writes`);
      }
      handler.open(localName(node.name), node.attributes as Record<string, string>);
    });
    if (handler.text !== undefined) {
      const text = handler.text.bind(handler);
      parser.on('text', text);
      parser.on('cdata', text);
    }
    parser.on('closetag', (node) => {
      this.#depth--;
      handler.close?.(localName(node.name));
    });
  }

  /** Reads the next piece of the part. */
  write(bytes: Uint8Array): void {
    const text = this.#decoder.decode(bytes, { stream: true });
    this.#checkRuns(text);
    this.#parser.write(text);
  }

  /** Reads the end of the part. */
  end(): void {
    const text = this.#decoder.decode();
    this.#checkRuns(text);
    this.#parser.write(text);
    this.#parser.close();
  }

  /** Refuses a text, attribute or tag longer than the limit before saxes buffers it. */
  #checkRuns(text: string): void {
    // No run can pass the limit inside a piece shorter than what is left of it: only the last run is counted.
    if (this.#run + text.length <= this.#maxRun) {
      const lastOpen = text.lastIndexOf('<');
      this.#run = lastOpen === -1 ? this.#run + text.length : text.length - lastOpen - 1;
      return;
    }
    let last = -1;
    for (let at = text.indexOf('<'); at !== -1; at = text.indexOf('<', at + 1)) {
      const run = last === -1 ? this.#run + at : at - last - 1;
      if (run > this.#maxRun) this.#tooLong();
      last = at;
    }
    this.#run = last === -1 ? this.#run + text.length : text.length - last - 1;
    if (this.#run > this.#maxRun) this.#tooLong();
  }

  #tooLong(): never {
    throw new WorkbookError(
      `the part ${this.#part} holds a value longer than ${this.#maxRun} characters, far more than a cell of a list of users; check the workbook for a cell with pasted text`,
    );
  }
}

/** An element's name without its namespace prefix. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** Reads a whole (small) part: the workbook, its relationships, the styles. */
export function readPart(pieces: Iterable<Uint8Array>, part: string, handler: XmlHandler, maxRun: number): void {
  const reader = new XmlReader(part, handler, maxRun);
  for (const piece of pieces) reader.write(piece);
  reader.end();
}

import { RollcallError } from '../rollcall-error.js';

/** How rollcall writes a CSV file. */
export interface CsvWriteOptions {
  /** The cell delimiter; `,` unless told. Excel in much of Europe expects `;`. */
  readonly delimiter?: ',' | ';' | '\t' | '|';
  /** The line ending written after every row, the last included; `\r\n` (RFC 4180, what Excel writes) unless told. */
  readonly lineEnding?: '\r\n' | '\n';
  /**
   * Whether to start with a UTF-8 byte order mark; `false` unless told. Excel needs it to read a UTF-8 file
   * as UTF-8 (without it, accented names show as mojibake), so files meant for an admin should set it.
   */
  readonly bom?: boolean;
}

/** {@link CsvWriteOptions} with every default filled in. */
export type ResolvedCsvOptions = Required<CsvWriteOptions>;

const delimiters: readonly string[] = [',', ';', '\t', '|'];
const lineEndings: readonly string[] = ['\r\n', '\n'];

/**
 * Fills in the defaults, and throws a `RollcallError` with code `invalid_option` for a delimiter or line
 * ending rollcall does not write (a caller in plain JavaScript can pass anything).
 *
 * @example resolveCsvOptions({ delimiter: ';' }) // { delimiter: ';', lineEnding: '\r\n', bom: false }
 */
export function resolveCsvOptions(options: CsvWriteOptions = {}): ResolvedCsvOptions {
  const { delimiter = ',', lineEnding = '\r\n', bom = false } = options;
  if (!delimiters.includes(delimiter)) {
    throw new RollcallError('invalid_option', `The CSV delimiter must be one of , ; TAB |, not ${JSON.stringify(delimiter)}.`, {
      cause: { option: 'delimiter', value: delimiter },
    });
  }
  if (!lineEndings.includes(lineEnding)) {
    throw new RollcallError('invalid_option', `The CSV line ending must be "\\r\\n" or "\\n", not ${JSON.stringify(lineEnding)}.`, {
      cause: { option: 'lineEnding', value: lineEnding },
    });
  }
  const bomValue: unknown = bom;
  if (typeof bomValue !== 'boolean') {
    throw new RollcallError('invalid_option', `The CSV bom option must be true or false, not ${JSON.stringify(bomValue)}.`, {
      cause: { option: 'bom', value: bomValue },
    });
  }
  return { delimiter, lineEnding, bom };
}

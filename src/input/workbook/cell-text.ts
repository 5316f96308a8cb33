/** How a number format shows a number: as a date, a date and time, a time, or a plain number. */
export type NumberKind = 'number' | 'date' | 'datetime' | 'time';

/** Excel's built-in number formats that show dates and times (ids 14–22 and 45–47; 27–36 and 50–58 in East Asian locales). */
const builtInKinds: Readonly<Record<number, NumberKind>> = {
  14: 'date', 15: 'date', 16: 'date', 17: 'date', 18: 'time', 19: 'time', 20: 'time', 21: 'time', 22: 'datetime',
  27: 'date', 28: 'date', 29: 'date', 30: 'date', 31: 'date', 32: 'time', 33: 'time', 34: 'time', 35: 'time', 36: 'date',
  45: 'time', 46: 'time', 47: 'time',
  50: 'date', 51: 'date', 52: 'date', 53: 'date', 54: 'date', 55: 'date', 56: 'date', 57: 'date', 58: 'date',
};

/** What a number format (by id, with the workbook's own format codes) shows. */
export function numberKind(id: number, codes: ReadonlyMap<number, string>): NumberKind {
  const code = codes.get(id);
  if (code !== undefined) return formatCodeKind(code);
  return builtInKinds[id] ?? 'number';
}

/**
 * What a format code shows: a date when it has a day, month or year part outside quotes, brackets and escapes,
 * a time when it has hours or seconds (`m` next to `h` or `s` is minutes).
 */
export function formatCodeKind(code: string): NumberKind {
  // Only the first section (positive numbers) decides; colours, conditions and locales are in brackets,
  // except elapsed time ([h], [mm], [ss]).
  const section = (code.split(';')[0] ?? '')
    .replace(/"[^"]*"/gu, '')
    .replace(/\\./gu, '')
    .replace(/_.|\*./gu, '')
    .replace(/\[(h+|m+|s+)\]/giu, '$1')
    .replace(/\[[^\]]*\]/gu, '')
    .toLowerCase();
  const date = /[dy]/u.test(section) || (section.includes('m') && !/[hs]/u.test(section));
  const time = /[hs]/u.test(section);
  if (date && time) return 'datetime';
  if (date) return 'date';
  if (time) return 'time';
  return 'number';
}

/**
 * A number as Excel shows it in a General cell, with at most 15 significant digits and without a spurious
 * `.0` or exponent: 100234 is "100234", 0.1 + 0.2 is "0.3", 1e-7 is "0.0000001".
 */
export function numberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const rounded = Number(value.toPrecision(15));
  const text = String(rounded);
  if (!text.includes('e')) return text;
  const [mantissa = '', exponent = '0'] = text.split('e');
  const negative = mantissa.startsWith('-');
  const unsigned = negative ? mantissa.slice(1) : mantissa;
  const dot = unsigned.indexOf('.');
  const whole = dot === -1 ? unsigned : unsigned.slice(0, dot);
  const digits = whole + (dot === -1 ? '' : unsigned.slice(dot + 1));
  const point = whole.length + Number(exponent);
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return negative ? `-${out}` : out;
}

const dayMs = 86_400_000;
/** 1899-12-30, from which the 1900 system counts (after Excel's phantom 29 February 1900). */
const epoch1900 = Date.UTC(1899, 11, 30);
const epoch1904 = Date.UTC(1904, 0, 1);

/**
 * A date serial number as an ISO date (`YYYY-MM-DD`), with the time (`YYYY-MM-DD HH:MM:SS`, or `HH:MM:SS` alone)
 * when the format shows one. Serial 60 in the 1900 system is the 29 February 1900 Excel shows.
 */
export function dateText(serial: number, kind: Exclude<NumberKind, 'number'>, date1904: boolean): string {
  if (!Number.isFinite(serial) || serial < 0 || serial >= 2_958_466) return numberText(serial);
  const whole = Math.floor(serial);
  let date: string;
  if (!date1904 && whole === 60) date = '1900-02-29';
  else {
    const days = !date1904 && whole < 60 ? whole + 1 : whole;
    date = new Date((date1904 ? epoch1904 : epoch1900) + days * dayMs).toISOString().slice(0, 10);
  }
  if (kind === 'date') return date;
  const seconds = Math.round((serial - whole) * 86_400);
  const time = new Date(Math.min(seconds, 86_399) * 1000).toISOString().slice(11, 19);
  return kind === 'time' ? time : `${date} ${time}`;
}

/** Decodes the `_xHHHH_` escapes Excel writes for characters XML cannot hold (`_x000D_` is a carriage return). */
export function unescapeExcel(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/gu, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The 0-based column index of a cell reference (`B7` is 1), or -1 when it is not one. */
export function columnIndex(reference: string): number {
  let index = 0;
  let i = 0;
  for (; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code >= 65 && code <= 90) index = index * 26 + code - 64;
    else if (code >= 97 && code <= 122) index = index * 26 + code - 96;
    else break;
    if (index > 16_384) return -1;
  }
  return i === 0 ? -1 : index - 1;
}

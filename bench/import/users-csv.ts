import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// The three columns of rollcall's built-in users schema, with accented and non-Latin names and a few
// cells Excel must quote because they hold a comma or a quote.
const firstNames = [
  'Ada', 'José', 'Zoë', 'Łukasz', 'Søren', 'François', 'Renée', 'Björn', 'Chloé', 'Mary Ann', 'Siobhán',
  'Jürgen', 'Ana', 'Liam', 'Priya', 'Ahmed', 'Αλέξης', 'Дмитрий', '李', 'Noa', 'Émile', 'William "Bill"',
];
const lastNames = [
  'Lovelace', 'García', 'Müller', 'Núñez', "O'Brien", 'Smith, Jr.', 'van der Berg', 'Øster', 'Nakamura',
  'Şahin', 'Nguyễn', 'Jónsdóttir', 'Wang', 'Hughes, III',
];
const domains = ['example.com', 'example.org', 'example.net', 'example.co.uk'];

/** Quotes a cell as Excel does: only when it holds a comma, a quote or a line break. */
function cell(text: string): string {
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The first name, last name and address of data row `i` (from 1); every address is unique. */
export function userCells(i: number): [string, string, string] {
  const first = firstNames[(i * 7) % firstNames.length]!;
  const last = lastNames[(i * 13) % lastNames.length]!;
  const slug = first.normalize('NFD').replace(/[^A-Za-z]/gu, '').toLowerCase();
  return [first, last, `${slug === '' ? 'user' : slug}.${i.toString(36)}@${domains[i % domains.length]!}`];
}

/**
 * Writes `users-3col-ROWS.csv` into `dir` as Excel saves "CSV UTF-8" (BOM, CRLF) unless it is there, and
 * returns its path. The content depends only on `rows`.
 */
export function usersCsv(dir: string, rows: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `users-3col-${String(rows)}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    let text = '\uFEFFFirst Name,Last Name,Email\r\n';
    for (let i = 1; i <= rows; i++) {
      text += `${userCells(i).map(cell).join(',')}\r\n`;
      if (text.length > 1 << 20) {
        writeSync(fd, text);
        text = '';
      }
    }
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return path;
}

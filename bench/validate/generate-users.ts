import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';

// Names as admins type them: accents, other scripts, apostrophes, and a few cells Excel must quote because
// they hold a comma or a quote.
const firstNames = [
  'Ada', 'José', 'Zoë', 'Łukasz', 'Søren', 'François', 'Renée', 'Björn', 'Chloé', 'Mary Ann', 'Siobhán',
  'Jürgen', 'Ana', 'Liam', 'Priya', 'Ahmed', 'Dmitrii', 'Αλέξης', 'Дмитрий', '李', 'Noa', 'Émile', 'Grace',
  'Olumide', 'Ines', 'Kenji', 'Fatima', 'Ólafur', 'Magdalena', 'Tomás', 'Ngozi', 'William "Bill"',
];
const lastNames = [
  'Lovelace', 'García', 'Müller', 'Núñez', "O'Brien", 'Smith, Jr.', 'van der Berg', 'Kowalski', 'Øster',
  'Dubois', 'Nakamura', 'Okafor', 'Ivanova', 'Papadopoulos', 'Şahin', 'Nguyễn', 'Patel', 'Andersson',
  'Fernández', 'Brown', 'Żak', 'Jónsdóttir', 'Wang', 'Kim', 'Rossi', 'Hughes, III',
];
const domains = ['example.com', 'example.org', 'Example.NET', 'example.co.uk'];
const departments = [
  'Finance', 'Research, Development', 'Sales', 'HR', 'IT', 'Operations', 'Legal', 'Marketing', '',
];
const titles = [
  'Analyst', 'Manager, "Special" Projects', 'Engineer', 'Director', 'Accountant', 'Sales Rep',
  'Intern', 'Lead', '',
];

/** The header row: the built-in users columns and three optional ones a host adds. */
export const header = ['First Name', 'Last Name', 'Email', 'Department', 'Job Title', 'Employee ID'];

/** Small, fast and seeded, so that every run writes the same file. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Quotes a cell as Excel does: only when it holds a comma, a quote or a line break. */
function cell(text: string): string {
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The ASCII letters of a name, for the part of an address before the @. */
function slug(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/[^A-Za-z]/gu, '')
    .toLowerCase();
  return ascii === '' ? 'user' : ascii;
}

/** One data row (without its line ending); row `i` has a unique address. */
export function userRow(i: number, random: () => number): string {
  return userCells(i, random).map(cell).join(',');
}

/** The cells of data row `i`, as typed. */
export function userCells(i: number, random: () => number): string[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const first = pick(firstNames);
  const last = pick(lastNames);
  // Some addresses are typed with capitals, which rollcall keeps before the @ and compares without.
  const local = `${slug(first)}.${slug(last)}.${i.toString(36)}`;
  const email = `${random() < 0.1 ? local.charAt(0).toUpperCase() + local.slice(1) : local}@${pick(domains)}`;
  const id = `E${String(i).padStart(6, '0')}`;
  return [first, last, email, pick(departments), pick(titles), id];
}

/**
 * Writes an Excel-style users file of `rows` data rows ("CSV UTF-8" as Excel saves it: BOM, CRLF) into `dir`,
 * unless it is already there, and returns its path. The content depends only on `rows`.
 */
export function usersFile(dir: string, rows: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `users-${rows}.csv`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const partial = `${path}.partial`;
  const fd = openSync(partial, 'w');
  try {
    const random = mulberry32(rows);
    let text = `\uFEFF${header.join(',')}\r\n`;
    for (let i = 1; i <= rows; i++) {
      text += `${userRow(i, random)}\r\n`;
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

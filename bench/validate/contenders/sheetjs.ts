// SheetJS (@e965/xlsx, a mirror of 0.20.3) reading every cell of the workbook's first sheet, keeping nothing:
// it reads the whole workbook into memory, so this is its floor.
import { readFileSync } from 'node:fs';
import * as XLSX from '@e965/xlsx';
import { finish } from '../child.js';

const file = process.argv[2]!;
const book = XLSX.read(readFileSync(file), { dense: true, cellDates: false });
const sheet = book.Sheets[book.SheetNames[0]!]!;
const rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: false, blankrows: false });
finish({ rows: rows.length - 1 });

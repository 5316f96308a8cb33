import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the shared public corpora live: `../shared/corpora` beside the project root. */
export const corporaRoot = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));

/** Reads a corpus file as UTF-8 text, by its path under `../shared/corpora`. */
export function readCorpusText(path: string): string {
  return readFileSync(join(corporaRoot, path), 'utf8');
}

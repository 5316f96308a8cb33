import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pages = ['README.md', 'CHANGELOG.md', ...readdirSync(new URL('docs/', root)).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)].filter(
  (page) => existsSync(new URL(page, root)),
);

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(text: string): Set<string> {
  const found = new Set<string>();
  for (const line of text.split('\n')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading?.[1] !== undefined) found.add(anchor(heading[1]));
  }
  return found;
}

function withoutCode(text: string): string {
  return text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
}

describe.each(pages)('%s', (page) => {
  it('links only to files and headings that exist', () => {
    const text = readFileSync(new URL(page, root), 'utf8');
    const broken: string[] = [];
    for (const match of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue;
      const [path = '', hash] = target.split('#');
      const file = path === '' ? new URL(page, root) : new URL(path, new URL(page, root));
      if (!existsSync(file)) {
        broken.push(target);
        continue;
      }
      if (hash !== undefined && file.pathname.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(hash)) {
        broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });
});

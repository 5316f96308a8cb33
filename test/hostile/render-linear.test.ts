import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Messages } from '../../src/report/issue.js';
import { renderCsvReport } from '../../src/report/render-csv.js';
import { renderJson } from '../../src/report/render-json.js';
import { renderText } from '../../src/report/render-text.js';
import { validateFile } from '../../src/validate/validate-rows.js';
import { run } from '../cli/run-cli.js';
import { countSegmenting, type SegmenterWork } from '../helpers/segmenter-work.js';
import { numRuns } from './helpers.js';

/**
 * Finding 3 of issue 27: `rollcall validate` took 25 s to print a header of 32,000 `Email` columns as text (0.15 s
 * as JSON). The law, counted rather than timed so that a busy machine cannot break it: a renderer's work is
 * the characters it writes plus the code units it hands to `Intl.Segmenter`, the one step whose time grows
 * faster than its input. Every call gets at most one slice, and the calls and the output each stay within a
 * small constant of the `--json` output's length, so every renderer runs in time linear in what `--json` prints.
 */
const slice = 256;
const factor = 8;
const slack = 16_384;

function expectLinear(work: SegmenterWork & { output: string }, json: string): void {
  expect(work.longest).toBeLessThanOrEqual(slice);
  expect(work.total).toBeLessThanOrEqual(factor * json.length + slack);
  expect(work.output.length).toBeLessThanOrEqual(factor * json.length + slack);
}

// Text that is slow or tricky to measure: wide characters, combining marks, flags, ZWJ emoji, astral letters.
const piece = fc.constantFrom('a', 'É', ' ', '山', '🇯🇵', '👩\u200d💻', 'e\u0301', '𝐞', ',', '"', '=', '-');
const text = (maxLength: number) => fc.array(piece, { maxLength }).map((parts) => parts.join(''));

/** A header row an attacker or a broken export writes: one label many times, long labels, unknown labels. */
const hostileHeader = fc
  .record({
    repeated: fc.oneof(fc.constantFrom('Email', 'E-mail', 'First Name', 'Last Name'), text(40)),
    times: fc.integer({ min: 1, max: 2_000 }),
    others: fc.array(fc.oneof(fc.constantFrom('Email', 'First Name', 'Last Name'), text(400)), { maxLength: 8 }),
  })
  .map(({ repeated, times, others }) => {
    const cells = ['First Name', 'Last Name', ...others, ...Array<string>(times).fill(repeated)];
    return `${cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')}\nA,B,a@example.com\n`;
  });

/** A host's own messages, which may be as long as it likes: the renderers must be linear in them too. */
const hostMessages = fc.option(
  fc.record({ times: fc.integer({ min: 1, max: 300 }), word: text(8) }).map(({ times, word }): Messages => {
    const long = (c: { column: string | null; detail?: string }) => `${c.column ?? ''} ${c.detail ?? ''} ${`${word}山`.repeat(times)}`;
    return { duplicate_column: long, unknown_column: long, missing_column: long };
  }),
  { nil: undefined },
);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rollcall-render-linear-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('finding 3: every renderer does work linear in the --json output, on hostile headers', () => {
  it('renderText and renderCsvReport, at any width and with any host messages', async () => {
    await fc.assert(
      fc.asyncProperty(hostileHeader, hostMessages, fc.integer({ min: 1, max: 300 }), async (file, messages, width) => {
        const summary = await validateFile(file, messages === undefined ? {} : { messages });
        const json = JSON.stringify(renderJson(summary));
        const textWork = await countSegmenting(() => renderText(summary, { width }));
        expectLinear({ ...textWork, output: textWork.result }, json);
        const csvWork = await countSegmenting(() => renderCsvReport(summary));
        expectLinear({ ...csvWork, output: csvWork.result }, json);
      }),
      // Each run validates and renders up to 2,000 columns (about 40 ms): 1,000 runs keep CI's hostile step short.
      { numRuns: Math.min(numRuns, 1000) },
    );
  });

  it('the CLI text output of rollcall validate, against its own --json output', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(hostileHeader, async (file) => {
        const path = join(dir, `header-${n++}.csv`);
        await writeFile(path, file);
        const json = (await run(['validate', '--json', path])).stdout;
        const textWork = await countSegmenting(() => run(['validate', path]));
        expectLinear({ ...textWork, output: textWork.result.stdout + textWork.result.stderr }, json);
      }),
      { numRuns: Math.max(1, Math.floor(numRuns / 4)) },
    );
  });

  it('the reproduction: 32,000 Email columns print as text with the work of --json', async () => {
    const path = join(dir, 'dh.csv');
    await writeFile(path, `${['First Name', 'Last Name', ...Array<string>(32_000).fill('Email')].join(',')}\nA,B,a@example.com\n`);
    const json = await run(['validate', '--json', path]);
    const text = await countSegmenting(() => run(['validate', path]));
    expect([json.code, text.result.code]).toEqual([1, 1]);
    expect(text.result.stdout).toContain('(columns C, D, E and 31,997 more)');
    expectLinear({ ...text, output: text.result.stdout }, json.stdout);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isFormulaSafe,
  isFormulaTrigger,
  neutraliseFormula,
  restoreFormula,
  startsLikeFormula,
} from '../../src/csv-out/formula.js';
import { cell, numRuns } from './cell-arbitrary.js';

describe('isFormulaTrigger', () => {
  it.each(['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠'])('is true for %j', (char) => {
    expect(isFormulaTrigger(char)).toBe(true);
  });

  it.each(["'", ' ', 'a', '1', '(', '%', '|', ';', '＇', ''])('is false for %j', (char) => {
    expect(isFormulaTrigger(char)).toBe(false);
  });
});

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t1', "'\t1"],
    ['\r1', "'\r1"],
    ['\n1', "'\n1"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠SUM(A1)', "'＠SUM(A1)"],
  ])('puts an apostrophe before a cell that starts with a trigger: %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('treats a negative number as a formula, because the files rollcall writes hold text', () => {
    expect(neutraliseFormula('-5')).toBe("'-5");
  });

  it.each([
    ['  =1+1', "'  =1+1"],
    ['\u00A0=1+1', "'\u00A0=1+1"],
    ['\u3000@x', "'\u3000@x"],
  ])('sees a trigger after leading whitespace: %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it.each([
    ['Doe;=cmd()', "Doe;'=cmd()"],
    ['Doe,=cmd()', "Doe,'=cmd()"],
    ['Doe\t=cmd()', "Doe\t'=cmd()"],
    ['Doe|=cmd()', "Doe|'=cmd()"],
    ['Doe\n=cmd()', "Doe\n'=cmd()"],
    ['Doe\r\n=cmd()', "Doe\r'\n'=cmd()"],
    ['Doe; =cmd()', "Doe;' =cmd()"],
    ['a;+1;-2', "a;'+1;'-2"],
    ['=a;@b', "'=a;'@b"],
  ])('guards a trigger right after a delimiter or line break inside the cell: %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });

  it('guards both the cell and what follows a leading TAB, CR or LF', () => {
    expect(neutraliseFormula('\t=1')).toBe("'\t'=1");
    expect(neutraliseFormula('\n@x')).toBe("'\n'@x");
  });

  it.each(['', 'Ada', 'ada@example.com', 'Doe, Jane', 'a-b', 'x=y', "O'Brien", "'plain", ' ', 'a;b', '5'])(
    'leaves %j as it is when nothing in it starts like a formula',
    (input) => {
      expect(neutraliseFormula(input)).toBe(input);
    },
  );

  it('adds one more apostrophe to a cell that is already apostrophes + trigger, so restoring is exact', () => {
    expect(neutraliseFormula("'=already")).toBe("''=already");
    expect(neutraliseFormula("''-5")).toBe("'''-5");
    expect(restoreFormula(neutraliseFormula("''-5"))).toBe("''-5");
  });

  it('makes every cell formula-safe', () => {
    fc.assert(
      fc.property(cell, (text) => isFormulaSafe(neutraliseFormula(text))),
      { numRuns },
    );
  });

  it('is undone exactly by restoreFormula', () => {
    fc.assert(
      fc.property(cell, (text) => restoreFormula(neutraliseFormula(text)) === text),
      { numRuns },
    );
  });

  it('only ever adds apostrophes, and adds one exactly when the cell starts like a formula and has no separator', () => {
    fc.assert(
      fc.property(cell, (text) => {
        const safe = neutraliseFormula(text);
        expect(safe.replaceAll("'", '')).toBe(text.replaceAll("'", ''));
        if (!/[,;\t|\r\n]/.test(text)) {
          expect(safe).toBe(startsLikeFormula(text.replace(/^'+/, '')) ? `'${text}` : text);
        }
      }),
      { numRuns },
    );
  });
});

describe('isFormulaSafe', () => {
  it.each(['Ada', "'=1", 'a;b', "a;'=b", ''])('is true for %j', (text) => {
    expect(isFormulaSafe(text)).toBe(true);
  });

  it.each(['=1', ' -1', 'a;=b', 'a,@b', 'a\n+b', 'a|－b', '\t'])('is false for %j', (text) => {
    expect(isFormulaSafe(text)).toBe(false);
  });
});

describe('restoreFormula', () => {
  it.each([
    ["'=1+1", '=1+1'],
    ["Doe;'=cmd()", 'Doe;=cmd()'],
    ["'-5", '-5'],
    ["O'Brien", "O'Brien"],
    ["'plain", "'plain"],
  ])('turns %j back into %j', (input, expected) => {
    expect(restoreFormula(input)).toBe(expected);
  });
});

/** The parts the guards look at, found the slow way: the cell, and the text after each separator in it. */
function parts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (',;\t|\r\n'.includes(text.charAt(i))) starts.push(i + 1);
  return starts;
}
const trigger = '[=+\\-@\\t\\r\\n\\uFF1D\\uFF0B\\uFF0D\\uFF20]';
const startsFormula = new RegExp(`^\\s*${trigger}`);
const startsGuarded = new RegExp(`^'*\\s*${trigger}`);
const startsNeutralised = new RegExp(`^'+\\s*${trigger}`);
/** Units that make parts: separators, apostrophes, whitespace of several kinds, triggers, and letters. */
const partCell = fc.oneof(
  cell,
  fc.string({ unit: fc.constantFrom(',', ';', '\t', '|', '\r', '\n', "'", ' ', '\u00A0', '\u3000', '\uFEFF', '=', '-', '\uFF20', 'a', 'é'), maxLength: 10 }),
);

describe('the guards against the same rules checked part by part, the slow way', () => {
  it('isFormulaSafe, neutraliseFormula and restoreFormula agree with them for every cell', () => {
    fc.assert(
      fc.property(partCell, (text) => {
        const starts = parts(text);
        expect(isFormulaSafe(text)).toBe(starts.every((i) => !startsFormula.test(text.slice(i))));
        let neutralised = '';
        let restored = '';
        for (let i = 0; i < text.length; i++) {
          if (starts.includes(i) && startsGuarded.test(text.slice(i))) neutralised += "'";
          if (!(starts.includes(i) && startsNeutralised.test(text.slice(i)))) restored += text.charAt(i);
          neutralised += text.charAt(i);
        }
        expect(neutraliseFormula(text)).toBe(neutralised);
        expect(restoreFormula(text)).toBe(restored);
      }),
      { numRuns: numRuns * 5 },
    );
  });
});

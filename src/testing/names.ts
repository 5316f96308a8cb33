import fc from 'fast-check';
import { fitsCharset, type Charset } from './text.js';

/**
 * Names as admins type them: accents, apostrophes (straight and curly), hyphens, particles, many scripts, and
 * the joiners some scripts spell with (U+200C in Persian, U+200D in Sinhala).
 */
const realNames: readonly string[] = [
  'Ada', 'Lovelace', 'Zoë', 'José', 'Jose\u0301', 'Seán', "O'Brien", 'O’Connor', 'Anne-Marie', 'Jean-Luc', 'Núñez',
  'Ångström', 'Müller', 'Groß', 'Françoise', 'Œuvre', 'Šárka', 'Žofia', 'Þórunn', 'Ólafur', 'Björk', 'Siobhán',
  "D'Angelo", 'van der Berg', 'de la Cruz', 'Saint-Exupéry', 'Mary Ann', 'Al-Amin', 'Łukasz', 'Øyvind', 'Ðorđe',
  'Nguyễn', 'Gülşen', 'Ngũgĩ', 'Kwame', '美咲', '佐藤', '李', 'Олена', 'Сергей', 'Χρήστος', 'محمد', 'יעל', 'ธนากร',
  'राहुल', '김민준', 'حسن\u200cزاده', 'ශ්\u200dරී', 'Smith, Jr.', 'Lee; Park', '"Bob"', 'Tom | Tim', 'A', 'X Æ A-12', 'Åsa-Britt Ödegård',
];

/** Names that start like a spreadsheet formula or hold CSV syntax: valid names that stress readers and writers. */
const trickyNames: readonly string[] = ['-Jo', '+Anna', '@home', '=Bob', "'Quoted'", 'Ann "Nan" Lee', 'Line\u2009Space'];

/** Letters of one script each: a built name uses one script per word, as real names do. */
const latin1Letters = 'abcdefghijklmnopqrstuvwxyzàáâãäåæçèéêëìíîïðñòóôõöøùúûüýþÿšœž';
const otherAlphabets = [
  'abcdefghijklmnopqrstuvwxyząćęłńśźżőűăşţđħ',
  'αβγδεζηθικλμνξοπρστυφχψω',
  'абвгдежзийклмнопрстуфхцчшщыэюя',
  'ابتثجحخدذرزسشصضطظعغفقكلمنهوي',
  'אבגדהוזחטיכלמנסעפצקרשת',
  '的一是不了人我在有他这为之大来以个中上们',
  'กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ',
  'अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशसह',
];

function word(letters: string): fc.Arbitrary<string> {
  const chars = Array.from(letters);
  return fc
    .tuple(fc.constantFrom(...chars), fc.string({ unit: fc.constantFrom(...chars), maxLength: 11 }))
    .map(([first, rest]) => first.toUpperCase() + rest);
}

/**
 * A person's name as admins type it, valid for the built-in name columns: at most 60 characters, no
 * control or invisible format characters (but the joiners scripts need), no spaces around it. Real names from many languages, names built from letters of
 * many scripts joined by spaces, hyphens and apostrophes, and valid names that look like formulas or hold
 * delimiters and quotes.
 *
 * @example
 * fc.sample(personName(), 3); // e.g. ['O’Connor', 'Ølé-Ñu', '美咲']
 */
export function personName(options: { readonly charset?: Charset } = {}): fc.Arbitrary<string> {
  const charset = options.charset ?? 'unicode';
  const pool = [...realNames, ...trickyNames].filter((name) => fitsCharset(name, charset));
  const alphabets = charset === 'unicode' ? [latin1Letters, ...otherAlphabets] : [latin1Letters];
  const built = fc
    .tuple(
      fc.array(fc.constantFrom(...alphabets).chain(word), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(' ', '-', "'", '’'),
    )
    .map(([words, joiner]) => words.join(joiner));
  return fc.oneof({ arbitrary: fc.constantFrom(...pool), weight: 2 }, { arbitrary: built, weight: 2 });
}

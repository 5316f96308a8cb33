/**
 * Why an email cell was refused, one code per kind of fix the admin has to make.
 *
 * The policy, in the order the checks run:
 * 1. spaces and tabs around the address are removed (Excel cells often carry them, NBSP included), then the
 *    text is put in Unicode NFC so that `é` typed two ways is one address;
 * 2. control characters and line breaks (`control_character`), and invisible format characters such as the
 *    zero-width space, soft hyphen or bidi controls (`invisible_character`), are refused anywhere: they come
 *    from copy-paste and make two different addresses look the same;
 * 3. the domain is lowercased (domains are case-insensitive; the part before the @ keeps its case);
 * 4. at most 64 bytes before the @ (`local_part_too_long`) and 254 in all (`too_long`), counted in UTF-8
 *    (RFC 5321 §4.5.3.1 and its erratum 1690);
 * 5. the address is an ordinary mailbox: a dot-atom before the @ (RFC 5322 atext, dots only between
 *    characters) and a domain of two or more labels of letters, digits and hyphens, not ending in a number.
 *
 * Quoted local parts (`"john doe"@example.com`), comments and IP literals (`name@[192.0.2.1]`) are valid
 * RFC 5322 but are refused: a person's imported address is an ordinary mailbox, and in a spreadsheet those
 * forms are far more often pasting mistakes than real addresses. Single-label domains (`name@localhost`) are
 * refused for the same reason. Internationalised domains (`bücher.de`) are accepted as typed. Letters
 * outside ASCII before the @ (RFC 6531, `unicode_local_part`) are refused unless
 * {@link EmailOptions.unicodeLocalPart} is set, because only mail systems with SMTPUTF8 can deliver to them
 * and they are usually a misspelling (`müller@` for `mueller@`).
 */
export type EmailProblem =
  | 'blank'
  | 'control_character'
  | 'invisible_character'
  | 'local_part_too_long'
  | 'too_long'
  | 'missing_at'
  | 'several_at'
  | 'invalid_local_part'
  | 'unicode_local_part'
  | 'invalid_domain';

/** The outcome of {@link normaliseEmail}: the stored address and its duplicate key, or why it was refused. */
export type EmailResult =
  | { readonly ok: true; readonly email: string; readonly key: string }
  | {
      readonly ok: false;
      readonly problem: EmailProblem;
      /** A short English phrase saying how to fix the value. */
      readonly detail: string;
      /** The byte limit that was exceeded, for the two length problems. */
      readonly limit?: number;
    };

export function refuse(problem: EmailProblem, detail: string, limit?: number): EmailResult {
  return limit === undefined ? { ok: false, problem, detail } : { ok: false, problem, detail, limit };
}


import { RollcallError } from '../rollcall-error.js';

/**
 * The `Message-ID` of an introduction: `<intro.{importId}.{id}@{domain}>`. It depends only on the
 * introduction and the domain, so a message sent again carries the same id and a receiving side can drop
 * the copy. The import id is part of it because a store's introduction ids may be small sequence numbers,
 * which repeat across databases; a Message-ID must not. Characters outside `A-Z a-z 0-9 _ -` are written
 * `=XX` per UTF-8 byte, which keeps the header valid and distinct introductions distinct.
 *
 * @example
 * ```ts
 * introductionMessageId({ importId: '6f1c0e2a', id: '17' }, 'acme.example'); // '<intro.6f1c0e2a.17@acme.example>'
 * ```
 */
export function introductionMessageId(
  introduction: { readonly importId: string; readonly id: string },
  domain: string,
): string {
  return `<intro.${atomText(introduction.importId)}.${atomText(introduction.id)}@${domain}>`;
}

function atomText(value: string): string {
  // A lone `=` cannot come out of the encoding below (always `=XX`), so it stands for an empty id.
  if (value === '') return '=';
  let text = '';
  for (const byte of new TextEncoder().encode(value)) {
    const char = String.fromCharCode(byte);
    text += /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return text;
}

/**
 * The domain for Message-IDs: `domain` when given, otherwise the domain of the sender's address, in its
 * ASCII form (`bücher.example` becomes `xn--bcher-kva.example`). Throws a `RollcallError`
 * (`invalid_option`) when it is not a host name.
 */
export function messageIdDomain(fromAddress: string, domain?: string): string {
  const at = fromAddress.lastIndexOf('@');
  const given = domain ?? (at === -1 ? '' : fromAddress.slice(at + 1));
  let ascii = '';
  try {
    ascii = new URL(`http://${given}/`).hostname;
  } catch {
    // Not a host name: reported below.
  }
  // URL would read `a@b` or `a/b` as the host `b` or `a`: such characters are refused before it sees them.
  if (/[\s/\\:@?#%[\]]/.test(given) || !/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(ascii)) {
    throw new RollcallError(
      'invalid_option',
      domain === undefined
        ? `Cannot take the Message-ID domain from the sender address "${fromAddress}": pass messageIdDomain`
        : `messageIdDomain must be a host name, got "${domain}"`,
    );
  }
  return ascii;
}

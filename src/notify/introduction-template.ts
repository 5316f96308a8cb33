import { escapeHtml } from './escape-html.js';

/**
 * How a new user signs in the first time, in plaintext: known only to the process that just ran the
 * import (the store keeps hashes), so it can go into an introduction only when sending right after it.
 */
export type IntroductionCredential =
  | { readonly kind: 'password'; readonly password: string; readonly expiresAt?: Date }
  | { readonly kind: 'invite'; readonly url: string; readonly expiresAt?: Date };

/** What a template is given to write one introduction. */
export interface IntroductionContext {
  /** The host application's name, as users know it. */
  readonly appName: string;
  /** Where users sign in. */
  readonly signInUrl: string;
  readonly recipient: {
    readonly firstName: string;
    readonly lastName: string;
    readonly email: string;
  };
  readonly importId: string;
  readonly userId: string;
  /**
   * The temporary password or invite link: present only when the host passed `credentials` to
   * `sendIntroductions` and they hold one for this user.
   */
  readonly credential?: IntroductionCredential;
}

/** One introduction's subject and bodies. The HTML must escape every value it interpolates. */
export interface IntroductionContent {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** A host's template: writes the introduction for one user. It may be async (a rendering library). */
export type IntroductionTemplate = (context: IntroductionContext) => IntroductionContent | Promise<IntroductionContent>;

/**
 * rollcall's default introduction: subject "Welcome to {appName}", a greeting by first name, the sign-in
 * address and the user's email, and the temporary password or invite link only when the context has one.
 * The text is plain and readable as is; the HTML is the same content with every value escaped.
 *
 * @example
 * ```ts
 * const { subject, text } = defaultIntroductionTemplate({
 *   appName: 'Acme', signInUrl: 'https://acme.example/sign-in', importId: 'i1', userId: 'u1',
 *   recipient: { firstName: 'Zoë', lastName: 'Ñúñez', email: 'zoe@example.org' },
 * });
 * // subject: 'Welcome to Acme'; text starts 'Hello Zoë,'
 * ```
 */
export function defaultIntroductionTemplate(context: IntroductionContext): IntroductionContent {
  const { appName, signInUrl, recipient, credential } = context;
  const name = recipient.firstName.trim();
  const greeting = name === '' ? 'Hello,' : `Hello ${name},`;
  const opening = `An account on ${appName} has been created for you.`;
  const expiry = credential?.expiresAt === undefined ? '' : ` It expires on ${formatDate(credential.expiresAt)}.`;

  const text: string[] = [greeting, '', opening, ''];
  const html: string[] = [`<p>${escapeHtml(greeting)}</p>`, `<p>${escapeHtml(opening)}</p>`];
  if (credential?.kind === 'invite') {
    text.push(`Choose your password with this link:`, credential.url, `The link works once.${expiry}`, '');
    html.push(
      `<p><a href="${escapeHtml(credential.url)}">Choose your password</a><br>` +
        `${escapeHtml(`The link works once.${expiry}`)}</p>`,
    );
  }
  text.push(`Sign in at: ${signInUrl}`, `Your email address: ${recipient.email}`);
  html.push(
    `<p><a href="${escapeHtml(signInUrl)}">Sign in to ${escapeHtml(appName)}</a><br>` +
      `Your email address: ${escapeHtml(recipient.email)}</p>`,
  );
  if (credential?.kind === 'password') {
    const change = `You will choose a new password when you first sign in.${expiry}`;
    text.push(`Temporary password: ${credential.password}`, '', change);
    html.push(`<p>Temporary password: <code>${escapeHtml(credential.password)}</code></p>`, `<p>${escapeHtml(change)}</p>`);
  }
  text.push('', `-- `, appName, '');
  html.push(`<p>${escapeHtml(appName)}</p>`);

  return {
    subject: `Welcome to ${appName}`,
    text: text.join('\n'),
    html: `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${html.join('\n')}\n</body></html>\n`,
  };
}

/** `2030-01-31 17:00 UTC`: unambiguous in every locale, unlike `01/31/2030`. */
function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

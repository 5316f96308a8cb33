import { nameTextProblem } from '../validate/name-text.js';

/**
 * The display name an introduction's To line gives: first and last name, or none at all when either holds what
 * the validator refuses in a name (an encoded word a mail program would decode into other text, a bidi
 * control): a user the host stored without rollcall's rules still gets their mail, addressed plainly.
 */
export function displayName(firstName: string, lastName: string): string {
  const name = `${firstName} ${lastName}`.trim();
  return nameTextProblem(name) === undefined ? name : '';
}

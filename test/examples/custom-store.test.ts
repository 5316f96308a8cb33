import { describe, expect, it } from 'vitest';
import { conformance, main } from '../../examples/custom-store.js';

conformance({ describe, it });

it('examples/custom-store.ts imports users.csv through the adapter into the host tables, and refuses it the second time', async () => {
  const accounts = await main();
  expect(accounts).toHaveLength(9);
  expect(accounts.find((a) => a.email === 'zoe.angstrom@example.org')).toMatchObject({ givenName: 'Zoë', familyName: 'Ångström', mustResetPassword: true });
  expect(accounts.every((a) => a.passwordDigest !== null && a.inviteDigest === null)).toBe(true);
});

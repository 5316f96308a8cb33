import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { introductionMessageId, messageIdDomain } from '../../src/notify/message-id.js';
import { RollcallError } from '../../src/rollcall-error.js';

describe('introductionMessageId', () => {
  it('is <intro.{importId}.{id}@{domain}>', () => {
    expect(introductionMessageId({ importId: '6f1c0e2a-77aa-4b1e-9d1c-0a5be0c2d6e1', id: '17' }, 'acme.example')).toBe(
      '<intro.6f1c0e2a-77aa-4b1e-9d1c-0a5be0c2d6e1.17@acme.example>',
    );
  });

  it('tells introductions with the same id in different imports apart (sequence ids repeat across databases)', () => {
    expect(introductionMessageId({ importId: 'a', id: '1' }, 'x.example')).not.toBe(
      introductionMessageId({ importId: 'b', id: '1' }, 'x.example'),
    );
  });

  it('is a valid msg-id for any ids, and distinct introductions get distinct ids', () => {
    const ids = fc.record({ importId: fc.string({ unit: 'grapheme' }), id: fc.string({ unit: 'grapheme' }) });
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        fc.pre(a.importId !== b.importId || a.id !== b.id);
        const [x, y] = [introductionMessageId(a, 'acme.example'), introductionMessageId(b, 'acme.example')];
        // RFC 5322 msg-id: "<" dot-atom-text "@" dot-atom-text ">"
        for (const id of [x, y]) expect(id).toMatch(/^<[A-Za-z0-9_=-]+(\.[A-Za-z0-9_=-]+)*@acme\.example>$/);
        expect(x).not.toBe(y);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });
});

describe('messageIdDomain', () => {
  it('takes the domain of the sender address, in ASCII form', () => {
    expect(messageIdDomain('welcome@Acme.Example')).toBe('acme.example');
    expect(messageIdDomain('willkommen@bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('prefers the domain given', () => {
    expect(messageIdDomain('welcome@acme.example', 'mail.acme.example')).toBe('mail.acme.example');
  });

  it.each(['', 'acme.example:25', 'a@b.example', 'acme.example/x', 'acme example', 'acme.example.'])(
    'refuses %j as a domain',
    (domain) => {
      expect(() => messageIdDomain('welcome@acme.example', domain)).toThrow(RollcallError);
    },
  );

  it('asks for messageIdDomain when the sender address has no usable domain', () => {
    expect(() => messageIdDomain('welcome')).toThrow(/pass messageIdDomain/);
  });
});

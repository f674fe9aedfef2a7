import { describe, expect, it } from 'vitest';
import { parseRecipients } from '../src/lib/format';

describe('parseRecipients (the compose form\'s To, Cc and Bcc)', () => {
  it('keeps display names, quoted ones with commas included', () => {
    expect(parseRecipients('Other Person <x@example.com>')).toEqual([{ name: 'Other Person', address: 'x@example.com' }]);
    expect(parseRecipients('"Doe, Jane" <jane@example.com>; Bob <bob@example.com>, carol@example.com')).toEqual([
      { name: 'Doe, Jane', address: 'jane@example.com' },
      { name: 'Bob', address: 'bob@example.com' },
      { address: 'carol@example.com' },
    ]);
    expect(parseRecipients('"Say \\"hi\\"" <hi@example.com>')).toEqual([{ name: 'Say "hi"', address: 'hi@example.com' }]);
  });

  it('splits bare addresses on spaces, commas and semicolons, as before', () => {
    expect(parseRecipients(' a@example.com b@example.com,c@example.com;\n d@example.com ')).toEqual(
      ['a', 'b', 'c', 'd'].map((x) => ({ address: `${x}@example.com` })),
    );
    expect(parseRecipients('<only@example.com>')).toEqual([{ address: 'only@example.com' }]);
    expect(parseRecipients('  ')).toEqual([]);
  });

  it('passes what is not an address through, for the server to name', () => {
    expect(parseRecipients('not-an-address, Bob <bob@example.com>')).toEqual([{ address: 'not-an-address' }, { name: 'Bob', address: 'bob@example.com' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseAddressList } from './address-list';

const addresses = (input: string) => {
  const result = parseAddressList(input);
  return result.ok ? { mailboxes: result.mailboxes.map((m) => m.address), groups: result.groups } : { error: result.error };
};

describe('parseAddressList', () => {
  it('reads plain, named, quoted-name and commented mailboxes', () => {
    expect(addresses('me@example.com')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
    expect(addresses('Me <ME@Example.COM>')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
    expect(addresses('"Ceo, Bank <ceo@bank.example>" <me@example.com>')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
    expect(addresses('me@example.com (ceo@bank.example, (nested) comment)')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
    expect(addresses('=?utf-8?Q?B=C3=B6b?= <me@example.com>')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
    expect(addresses('"me"@example.com')).toEqual({ mailboxes: ['me@example.com'], groups: 0 });
  });

  it('finds every mailbox of a list, including folded ones', () => {
    expect(addresses('me@example.com, ceo@bank.example')).toEqual({ mailboxes: ['me@example.com', 'ceo@bank.example'], groups: 0 });
    expect(addresses('me@example.com,\r\n ceo@bank.example')).toEqual({ mailboxes: ['me@example.com', 'ceo@bank.example'], groups: 0 });
  });

  it('counts groups and the mailboxes inside them', () => {
    expect(addresses('Board: me@example.com, ceo@bank.example;')).toEqual({ mailboxes: ['me@example.com', 'ceo@bank.example'], groups: 1 });
    expect(addresses('undisclosed-recipients:;')).toEqual({ mailboxes: [], groups: 1 });
  });

  it('keeps a quoted local part that needs its quotes distinct from the plain address', () => {
    expect(addresses('"ceo@bank.example"@example.com')).toEqual({ mailboxes: ['"ceo@bank.example"@example.com'], groups: 0 });
    expect(addresses('"m e"@example.com')).toEqual({ mailboxes: ['"m e"@example.com'], groups: 0 });
  });

  it.each([
    ['me@example.com <ceo@bank.example>', 'expected ","'],
    ['<me@example.com> <ceo@bank.example>', 'expected ","'],
    ['me@example.com ceo@bank.example', 'expected ","'],
    ['<@relay.example:me@example.com>', 'source routes are not accepted'],
    ['me@example.com (open comment', 'unterminated comment'],
    ['"open quote <me@example.com>', 'unterminated quoted string'],
    ['Board: me@example.com', 'group without ";"'],
    ['Just A Name', 'a name without an address'],
    ['me@example.com;', 'expected ","'],
    [', me@example.com', 'an empty address'],
    ['(c, d) , <me@example.com>', 'an empty address'],
    ['me@example.com,, ceo@bank.example', 'an empty address'],
    ['me@example.com ,', 'empty element in the list'],
    ['me@@example.com', 'invalid domain'],
    ['.me@example.com', 'invalid local part'],
    ['me@example..com', 'invalid domain'],
    ['me\\@example.com', 'unexpected character "\\\\"'],
    ['me@example.com\u0000', 'unexpected character "\\u0000"'],
  ])('refuses %j as ambiguous: %s', (input, error) => {
    expect(addresses(input)).toEqual({ error });
  });
});

import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { encodeWords, MAX_ENCODED_WORD, needsEncoding } from './encoded-words';
import { foldHeader } from './fold';
import { formatDate, mailboxList, messageIds, unstructured } from './header-values';
import { buildMessage } from './index';
import { withParams } from './params';

const ENCODED_WORD = /=\?[^?\s]+\?[BQ]\?[^?\s]*\?=/gi;
const decoder = new TextDecoder();

function headerBlock(raw: Uint8Array): string {
  const text = decoder.decode(raw);
  return text.slice(0, text.indexOf('\r\n\r\n'));
}

/** Checks the layout rules every folded field must meet, and returns its lines. */
function checkLayout(field: string): string[] {
  expect(field).toMatch(/^[\x20-\x7e\r\n\t]*$/);
  const lines = field.split('\r\n');
  for (const line of lines.slice(1)) expect(line).toMatch(/^[ \t]\S/);
  for (const line of lines) expect(line.length).toBeLessThanOrEqual(998);
  for (const word of field.match(ENCODED_WORD) ?? []) expect(word.length).toBeLessThanOrEqual(MAX_ENCODED_WORD);
  return lines;
}

describe('encoded-words', () => {
  it('leaves ASCII alone and encodes only non-ASCII, controls and look-alike encoded-words', () => {
    expect(needsEncoding('Hello, world! (ok) "quoted" <x@y>')).toBe(false);
    expect(needsEncoding('Grüße')).toBe(true);
    expect(needsEncoding('bell\u0007')).toBe(true);
    expect(needsEncoding('=?utf-8?B?SGk=?=')).toBe(true);
  });

  it('picks Q for mostly-ASCII text and B for mostly non-ASCII text', () => {
    expect(encodeWords('Grüße')).toEqual(['=?utf-8?Q?Gr=C3=BC=C3=9Fe?=']);
    expect(encodeWords('你好世界')).toEqual(['=?utf-8?B?5L2g5aW95LiW55WM?=']);
  });

  it('splits long text into encoded-words of at most 75 characters, never inside a character', () => {
    const text = '日本語のとても長い件名です。'.repeat(6) + ' 😀👍🏽';
    const words = encodeWords(text);
    expect(words.length).toBeGreaterThan(3);
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(atob(w.slice(10, -2)), (c) => c.charCodeAt(0))));
    expect(decoded.join('')).toBe(text);
  });
});

describe('header fields', () => {
  it('keeps an ASCII subject as it is, folded at whitespace under 78 columns', () => {
    const subject = 'Minutes of the quarterly planning meeting for the infrastructure team, with action items and owners';
    const field = foldHeader('Subject', unstructured(subject));
    const lines = checkLayout(field);
    expect(field).not.toMatch(ENCODED_WORD);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(field.replace(/\r\n/g, '')).toBe(`Subject: ${subject}`);
  });

  it('encodes only the non-ASCII words of a subject', () => {
    expect(foldHeader('Subject', unstructured('Re: Grüße aus Köln'))).toBe('Subject: Re: =?utf-8?Q?Gr=C3=BC=C3=9Fe?= aus =?utf-8?Q?K=C3=B6ln?=');
  });

  it('keeps a run of mixed whitespace before an encoded word in order', async () => {
    // Decoders drop whitespace between encoded-words but keep it between a word and an encoded-word.
    const subject = '! \t👍🏽 a';
    expect(foldHeader('Subject', unstructured(subject))).toBe('Subject: ! =?utf-8?B?CfCfkY3wn4+9?= a');
    const raw = buildMessage({ from: { address: 'a@example.com' }, to: [], subject, text: '', date: new Date(0) });
    expect((await PostalMime.parse(raw)).subject).toBe(subject);
  });

  it('writes ASCII display names as atoms, quotes them when RFC 5322 requires, encodes non-ASCII ones', () => {
    const field = foldHeader('To', mailboxList([
      { name: 'Alice Example', address: 'alice@example.com' },
      { name: 'Doe, John "JD"', address: 'jd@example.com' },
      { name: 'Zoë', address: 'zoe@example.com' },
      { address: 'bare@example.com' },
    ]));
    checkLayout(field);
    expect(field.replace(/\r\n/g, '')).toBe('To: Alice Example <alice@example.com>, "Doe, John \\"JD\\"" <jd@example.com>, =?utf-8?Q?Zo=C3=AB?= <zoe@example.com>, bare@example.com');
  });

  it('writes an empty To as the undisclosed-recipients group', () => {
    expect(foldHeader('To', mailboxList([]))).toBe('To: undisclosed-recipients:;');
  });

  it('refuses an address that would break the header', () => {
    expect(() => mailboxList([{ address: 'a@b.com>, evil@x.com' }])).toThrow();
    expect(() => mailboxList([{ address: 'a b@example.com' }])).toThrow();
  });

  it('keeps only well-formed ids in In-Reply-To and References', () => {
    expect(foldHeader('References', messageIds('<a@x> junk <b@y>\t<c@z>'))).toBe('References: <a@x> <b@y> <c@z>');
  });

  it('formats dates as RFC 5322 date-time in UTC', () => {
    expect(formatDate(new Date(Date.UTC(2026, 2, 2, 9, 5, 7)))).toBe('Mon, 02 Mar 2026 09:05:07 +0000');
  });

  it('writes parameters as tokens or quoted strings, and non-ASCII file names per RFC 2231 with a fallback', () => {
    expect(foldHeader('Content-Type', withParams('text/plain', [['charset', 'utf-8']]))).toBe('Content-Type: text/plain; charset=utf-8');
    expect(foldHeader('Content-Disposition', withParams('attachment', [['filename', 'q1 report.pdf']]))).toBe('Content-Disposition: attachment; filename="q1 report.pdf"');
    const field = foldHeader('Content-Disposition', withParams('attachment', [['filename', 'résumé "final".txt']]));
    checkLayout(field);
    expect(field.replace(/\r\n/g, '')).toBe(`Content-Disposition: attachment; filename="resume _final_.txt"; filename*=utf-8''r%C3%A9sum%C3%A9%20%22final%22.txt`);
    const long = foldHeader('Content-Disposition', withParams('attachment', [['filename', `${'報告書'.repeat(20)}.pdf`]]));
    for (const line of checkLayout(long)) expect(line.length).toBeLessThanOrEqual(78);
    expect(long).toContain('filename="attachment.pdf"');
    expect(long).toMatch(/filename\*0\*=utf-8''%E5/);
  });
});

// Text a user could put in a subject or a name: any Unicode, no line breaks (the API refuses them).
const oneChar = (unit: 'binary' | 'grapheme-ascii') => fc.string({ unit, minLength: 1, maxLength: 1 });
const headerText = fc
  .string({
    unit: fc.oneof(fc.constantFrom(' ', '  ', '\t', '=?', '?=', '"', '\\', ',', '(', '<', '@', '_', 'ü', '日', '😀', '👍🏽'), oneChar('grapheme-ascii'), oneChar('binary')),
    maxLength: 120,
  })
  .filter((s) => !/[\r\n\0]/.test(s));

describe('header encoding and folding, for any input', () => {
  it('round-trips any subject through postal-mime, keeping ASCII readable and every line within limits', async () => {
    await fc.assert(
      fc.asyncProperty(headerText, async (subject) => {
        const raw = buildMessage({ from: { address: 'a@example.com' }, to: [{ address: 'b@example.com' }], subject, text: 'x', date: new Date(0) });
        const head = headerBlock(raw);
        const field = head.slice(head.indexOf('Subject:'), head.indexOf('\r\nDate:'));
        checkLayout(field);
        if (!needsEncoding(subject) && subject.length < 900) expect(field).not.toMatch(ENCODED_WORD);
        const parsed = await PostalMime.parse(raw);
        expect(parsed.subject ?? '').toBe(subject.trim());
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any display name through postal-mime', async () => {
    await fc.assert(
      fc.asyncProperty(headerText.filter((s) => s.trim() !== ''), async (name) => {
        const raw = buildMessage({ from: { name, address: 'a@example.com' }, to: [{ name, address: 'b@example.com' }], subject: 's', text: 'x', date: new Date(0) });
        checkLayout(headerBlock(raw).split(/\r\n(?=\S)/).find((f) => f.startsWith('From:'))!);
        const parsed = await PostalMime.parse(raw);
        expect(parsed.from).toEqual({ name: name.trim(), address: 'a@example.com' });
        expect(parsed.to).toEqual([{ name: name.trim(), address: 'b@example.com' }]);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any attachment file name through postal-mime, RFC 2231 sections within 78 columns', async () => {
    await fc.assert(
      fc.asyncProperty(headerText.filter((s) => s.trim() !== ''), async (filename) => {
        const raw = buildMessage({ from: { address: 'a@example.com' }, to: [], subject: 's', text: 'x', date: new Date(0), attachments: [{ filename, contentType: 'application/octet-stream', contentBase64: 'aGk=' }] });
        const text = decoder.decode(raw);
        const disposition = text.slice(text.indexOf('Content-Disposition:'), text.indexOf('\r\n\r\naGk='));
        for (const line of checkLayout(disposition)) {
          if (line.length > 78) expect(line).toMatch(/^ filename="[^"]*";?$/);
        }
        expect((await PostalMime.parse(raw)).attachments[0]!.filename).toBe(filename);
      }),
      { numRuns: 500 },
    );
  });
});

import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { buildMessage } from './index';
import { encodeText, quotedPrintable, rewrapBase64 } from './transfer-encoding';

describe('text transfer encoding', () => {
  it('sends plain ASCII text as 7bit with CRLF line breaks', () => {
    expect(encodeText('Hi Bob,\n\nsee you.\r\nAlice')).toEqual({ encoding: '7bit', body: 'Hi Bob,\r\n\r\nsee you.\r\nAlice' });
  });

  it('sends UTF-8 text as quoted-printable', () => {
    expect(encodeText('naïve café\n= done')).toEqual({ encoding: 'quoted-printable', body: 'na=C3=AFve caf=C3=A9\r\n=3D done' });
  });

  it('encodes whitespace at the end of a line, which relays may strip', () => {
    expect(quotedPrintable('a \r\nb\t')).toBe('a=20\r\nb=09');
  });

  it('keeps ASCII lines up to 998 octets as 7bit and makes longer ones quoted-printable', () => {
    expect(encodeText('x'.repeat(998)).encoding).toBe('7bit');
    const long = encodeText(`short\n${'word '.repeat(400)}end`);
    expect(long.encoding).toBe('quoted-printable');
    const lines = long.body.split('\r\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(76);
    expect(lines.slice(1, -1).every((l) => l.endsWith('='))).toBe(true);
  });

  it('never splits an escape across a soft line break', () => {
    const body = quotedPrintable('é'.repeat(100));
    for (const line of body.split('\r\n')) expect(line).toMatch(/^(?:=[0-9A-F]{2})*=?$/);
  });

  it('round-trips any text through postal-mime, every encoded line within 76 (QP) or 998 (7bit)', async () => {
    const unit = fc.oneof(fc.constantFrom('\n', '\r\n', '\r', ' ', '\t', '=', '.', 'From ', 'é', '日本', '😀'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }));
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 400 }).filter((s) => !s.includes('\0')), fc.integer({ min: 0, max: 1200 }), async (text, longRun) => {
        const body = text + 'a'.repeat(longRun);
        const { encoding, body: encoded } = encodeText(body);
        const limit = encoding === '7bit' ? 998 : 76;
        for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(limit);
        expect(encoded).toMatch(/^[\t\x20-\x7e\r\n]*$/);
        const raw = buildMessage({ from: { address: 'a@example.com' }, to: [], subject: 's', text: body, date: new Date(0) });
        const parsed = await PostalMime.parse(raw);
        const lf = body.replace(/\r\n|\r|\n/g, '\n');
        // A single-part message ends with a line break, which the text then ends with too.
        // postal-mime reports an empty body as no text.
        expect(parsed.text ?? '').toBe(lf === '' || lf.endsWith('\n') ? lf : `${lf}\n`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('base64 attachments', () => {
  it('re-cuts base64 into 76-column lines, ignoring the caller\'s whitespace and restoring padding', () => {
    const b64 = btoa('x'.repeat(200));
    const wrapped = rewrapBase64(`${b64.slice(0, 50)}\n ${b64.slice(50)}`)!;
    const lines = wrapped.split('\r\n');
    expect(lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    expect(lines.join('')).toBe(b64);
    expect(rewrapBase64('aGk')).toBe('aGk=');
  });

  it('refuses what is not base64', () => {
    expect(rewrapBase64('not base64!')).toBeNull();
    expect(rewrapBase64('aGkx1')).toBeNull();
    expect(rewrapBase64('aG=k')).toBeNull();
  });
});

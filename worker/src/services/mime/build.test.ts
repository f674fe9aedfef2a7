import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { buildMessage, type MessageInput } from './index';
import { textFromHtml } from './html';

const base: MessageInput = {
  from: { name: 'Alice Example', address: 'alice@example.com' },
  to: [{ name: 'Bob', address: 'bob@example.net' }],
  subject: 'Hello',
  date: new Date(Date.UTC(2026, 2, 2, 10, 0, 0)),
};
const build = (over: Partial<MessageInput>) => new TextDecoder().decode(buildMessage({ ...base, ...over }));
const contentTypes = (raw: string) => [...raw.matchAll(/^Content-Type: ([^;\r\n]+)/gim)].map((m) => m[1]!.toLowerCase());
const encodings = (raw: string) => [...raw.matchAll(/^Content-Transfer-Encoding: (\S+)/gim)].map((m) => m[1]!.toLowerCase());
const bytesB64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
// postal-mime counts the line break before a boundary as the part's last character.
const body = (decoded: string | undefined) => decoded?.replace(/\n$/, '');

describe('buildMessage', () => {
  it('writes the required headers: Date, a Message-ID on the sender\'s domain, MIME-Version', () => {
    const raw = build({ text: 'Hi' });
    expect(raw).toMatch(/^From: Alice Example <alice@example\.com>\r\nTo: Bob <bob@example\.net>\r\nSubject: Hello\r\n/);
    expect(raw).toContain('\r\nDate: Mon, 02 Mar 2026 10:00:00 +0000\r\n');
    expect(raw).toMatch(/\r\nMessage-ID: <[a-z0-9]{24}@example\.com>\r\n/);
    expect(raw).toContain('\r\nMIME-Version: 1.0\r\n');
    expect(build({ text: 'Hi', messageId: '<given@example.com>' })).toContain('\r\nMessage-ID: <given@example.com>\r\n');
  });

  it('writes Reply-To for one address or a list of them, and none for an empty list', () => {
    expect(build({ text: 'Hi', replyTo: { address: 'help@example.com' } })).toContain('\r\nReply-To: help@example.com\r\n');
    expect(build({ text: 'Hi', replyTo: [{ name: 'Help', address: 'help@example.com' }, { address: 'ops@example.com' }] })).toContain(
      '\r\nReply-To: Help <help@example.com>, ops@example.com\r\n',
    );
    expect(build({ text: 'Hi', replyTo: [] })).not.toContain('Reply-To');
  });

  it('sends ASCII text alone as a single 7bit text/plain part', () => {
    const raw = build({ text: 'Hi Bob' });
    expect(contentTypes(raw)).toEqual(['text/plain']);
    expect(encodings(raw)).toEqual(['7bit']);
    expect(raw.endsWith('\r\n\r\nHi Bob\r\n')).toBe(true);
  });

  it('turns an HTML-only send into multipart/alternative with text derived from the HTML and a full document', async () => {
    const html = '<h1>Welcome</h1><p>Hello <b>Bob</b>, read <a href="https://example.com/news">the news</a>.</p><img src="cid:x" alt="Our logo">';
    const raw = build({ html });
    expect(contentTypes(raw)).toEqual(['multipart/alternative', 'text/plain', 'text/html']);
    const parsed = await PostalMime.parse(raw);
    expect(body(parsed.html)).toBe(`<html><head><meta charset="utf-8"></head><body>${html}</body></html>`);
    expect(body(parsed.text)).toBe('WELCOME\n\nHello Bob, read the news [https://example.com/news].\n\nOur logo');
  });

  it('derives the text of HTML nested deeper than any real message without overflowing the stack', async () => {
    const html = `<p>Top line</p>${'<div>'.repeat(5_000)}buried${'</div>'.repeat(5_000)}`;
    const parsed = await PostalMime.parse(build({ html }));
    // What lies below the depth limit is elided; the rest of the message is whole.
    expect(body(parsed.text)).toMatch(/^Top line\n\n\.\.\.$/);
    expect(parsed.html).toContain('buried');
  });

  it('leaves a complete HTML document as it is and gives <html> to one that only has <body>', async () => {
    const doc = '<!doctype html><html lang="en"><body><p>x</p></body></html>';
    expect(body((await PostalMime.parse(build({ html: doc }))).html)).toBe(doc);
    expect(body((await PostalMime.parse(build({ html: '<body><p>y</p></body>' }))).html)).toBe('<html><body><p>y</p></body></html>');
  });

  it('uses the given text with HTML as its alternative', async () => {
    const parsed = await PostalMime.parse(build({ text: 'plain version', html: '<p>html version</p>' }));
    expect(body(parsed.text)).toBe('plain version');
    expect(parsed.html).toContain('<p>html version</p>');
  });

  it('wraps the alternative in multipart/mixed for attachments, keeping their bytes', async () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 31) & 0xff);
    const raw = build({ text: 'see attached', html: '<p>see attached</p>', attachments: [{ filename: 'data.bin', contentType: 'application/octet-stream', contentBase64: bytesB64(bytes) }] });
    expect(contentTypes(raw)).toEqual(['multipart/mixed', 'multipart/alternative', 'text/plain', 'text/html', 'application/octet-stream']);
    expect(encodings(raw)).toEqual(['7bit', '7bit', 'base64']);
    const base64Lines = raw.split('Content-Disposition: attachment; filename="data.bin"\r\n\r\n')[1]!.split('\r\n--')[0]!.split('\r\n');
    expect(base64Lines.slice(0, -1).every((l) => l.length === 76)).toBe(true);
    const [attachment] = (await PostalMime.parse(raw)).attachments;
    expect(new Uint8Array(attachment!.content as ArrayBuffer)).toEqual(bytes);
  });

  it('puts inline images with the HTML in multipart/related, inside multipart/mixed with other attachments', async () => {
    const raw = build({
      html: '<p>Logo: <img src="cid:logo@example.com" alt="logo"></p>',
      attachments: [
        { filename: 'logo.png', contentType: 'image/png', contentBase64: btoa('\x89PNG fake'), contentId: '<logo@example.com>', inline: true },
        { filename: 'terms.pdf', contentType: 'application/pdf', contentBase64: btoa('%PDF fake') },
      ],
    });
    expect(contentTypes(raw)).toEqual(['multipart/mixed', 'multipart/related', 'multipart/alternative', 'text/plain', 'text/html', 'image/png', 'application/pdf']);
    expect(raw).toMatch(/Content-Type: multipart\/related; type="multipart\/alternative";/);
    expect(raw).toContain('Content-Disposition: inline; filename="logo.png"\r\nContent-ID: <logo@example.com>\r\n');
    const parsed = await PostalMime.parse(raw);
    expect(parsed.attachments.map((a) => [a.filename, a.contentId, a.disposition])).toEqual([
      ['logo.png', '<logo@example.com>', 'inline'],
      ['terms.pdf', undefined, 'attachment'],
    ]);
  });

  it('sends an inline image without HTML as an ordinary attachment', () => {
    const raw = build({ text: 'no html', attachments: [{ filename: 'a.png', contentType: 'image/png', contentBase64: 'aGk=', contentId: '<a@x>', inline: true }] });
    expect(contentTypes(raw)).toEqual(['multipart/mixed', 'text/plain', 'image/png']);
    expect(raw).toContain('Content-Disposition: attachment; filename="a.png"');
  });

  it('names non-ASCII attachments per RFC 2231 with an ASCII fallback', async () => {
    const raw = build({ text: 'x', attachments: [{ filename: 'résumé.txt', contentType: 'text/plain', contentBase64: btoa('hello') }] });
    expect(raw).toContain(`Content-Disposition: attachment; filename="resume.txt";\r\n filename*=utf-8''r%C3%A9sum%C3%A9.txt`);
    expect((await PostalMime.parse(raw)).attachments[0]!.filename).toBe('résumé.txt');
  });

  it('sends an empty body as an empty text/plain part', async () => {
    const raw = build({ subject: '', text: undefined, html: undefined });
    expect(contentTypes(raw)).toEqual(['text/plain']);
    expect(raw).toContain('\r\nSubject:\r\n');
    expect(raw.endsWith('Content-Transfer-Encoding: 7bit\r\n\r\n')).toBe(true);
  });

  it('keeps every line within 998 octets however long the input lines are', () => {
    const raw = build({ subject: 'S'.repeat(990), text: `${'a'.repeat(5000)}\n${'ü'.repeat(3000)}`, html: `<p>${'b'.repeat(5000)}</p>`, headers: { 'X-Note': 'n'.repeat(800) } });
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    expect(raw).toMatch(/^[\t\x20-\x7e\r\n]*$/);
    expect(encodings(raw)).toEqual(['quoted-printable', 'quoted-printable']);
  });

  it('passes custom headers, encoding only non-ASCII values', () => {
    const raw = build({ text: 'x', headers: { 'X-Campaign': 'spring', 'X-Greeting': 'Grüße' } });
    expect(raw).toContain('\r\nX-Campaign: spring\r\n');
    expect(raw).toContain('\r\nX-Greeting: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=\r\n');
  });

  it('refuses attachment content that is not base64 with a validation error naming it', () => {
    const attempt = () => build({ text: 'x', attachments: [{ filename: 'a', contentType: 'text/plain', contentBase64: 'aGk=' }, { filename: 'b', contentType: 'text/plain', contentBase64: 'aGkx1' }] });
    expect(attempt).toThrow(AppError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'validation_failed', param: 'attachments.1.content' }));
  });

  it('derives the text alternative with html-to-text, not by stripping tags', () => {
    expect(textFromHtml('<ul><li>one</li><li>two</li></ul><p>a&amp;b</p><script>x()</script>')).toBe(' * one\n * two\n\na&b');
  });
});

/**
 * What POST /api/send_mail puts on the wire, for each scenario: the raw message an internal
 * recipient receives is checked line by line, then re-parsed with postal-mime to exactly what was sent.
 * (SpamAssassin judges the same scenarios in worker/e2e/, outside workerd.)
 */
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { htmlDocument, textFromHtml } from '../src/services/mime/html';
import { bearer, call, createAddress, json } from './helpers';
import { OUTGOING_SCENARIOS, sendMailBody, type OutgoingScenario } from './outgoing-scenarios';

const ENCODED_WORD = /=\?[^?\s]+\?[BQ]\?[^?\s]*\?=/gi;

async function receivedRaw(jwt: string): Promise<Uint8Array> {
  const { results } = await json(await call('/api/parsed_mails?limit=5', { headers: bearer(jwt) }));
  expect(results).toHaveLength(1);
  return new Uint8Array(await (await call(`/api/mails/${results[0].id}/raw`, { headers: bearer(jwt) })).arrayBuffer());
}

/** Header blocks of the message and of every part: the lines before each blank line that follows headers. */
function headerFields(raw: string): string[] {
  const blocks = [raw.slice(0, raw.indexOf('\r\n\r\n')), ...[...raw.matchAll(/\r\n--=_edgemail_[a-z0-9]+\r\n([\s\S]*?)\r\n\r\n/g)].map((m) => m[1]!)];
  return blocks.flatMap((block) => block.split(/\r\n(?![ \t])/));
}

// postal-mime counts the line break before a boundary, and the one a message ends with, as text.
const decoded = (value: string | undefined) => (value ?? '').replace(/\n$/, '');
const lf = (text: string) => text.replace(/\r\n|\r|\n/g, '\n');

function expectedText(s: OutgoingScenario): string {
  if (s.text !== undefined) return s.text;
  return textFromHtml(htmlDocument(s.html!));
}

describe('outgoing MIME from POST /api/send_mail', () => {
  OUTGOING_SCENARIOS.forEach((s, i) => {
    it(`builds "${s.name}" cleanly and it re-parses to exactly what was sent`, async () => {
      const sender = await createAddress(`om${i}-from`);
      const rcpt = await createAddress(`om${i}-to`);
      const cc = s.withCc ? await createAddress(`om${i}-cc`) : undefined;
      const res = await call('/api/send_mail', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify(sendMailBody(s, rcpt.address, cc?.address)) });
      expect(res.status).toBe(200);
      const bytes = await receivedRaw(rcpt.jwt);
      const raw = new TextDecoder().decode(bytes);

      // 7-bit, CRLF only, no line over 998 octets; base64 in 76 columns, QP within 76.
      expect(bytes.every((b) => b < 0x80)).toBe(true);
      expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
      for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
      // Headers: folded at 78 (a line is longer only when one unbreakable word fills it, like a long
      // media type), encoded-words (≤ 75) only in fields that hold non-ASCII.
      for (const field of headerFields(raw)) {
        for (const line of field.split('\r\n')) {
          if (line.length > 78) expect(line.replace(/^[ \t]+|^[!-9;-~]+:[ \t]*/, ''), field).not.toMatch(/\s/);
        }
        for (const word of field.match(ENCODED_WORD) ?? []) expect(word.length).toBeLessThanOrEqual(75);
      }
      const asciiOnly = (text: string) => /^[\x20-\x7e]*$/.test(text);
      const head = raw.slice(0, raw.indexOf('\r\n\r\n'));
      const field = (name: string) => headerFields(raw).find((f) => f.toLowerCase().startsWith(`${name.toLowerCase()}:`)) ?? '';
      expect(field('Subject').match(ENCODED_WORD) !== null).toBe(!asciiOnly(s.subject));
      expect(field('From').match(ENCODED_WORD) !== null).toBe(!asciiOnly(s.fromName));
      expect(field('To').match(ENCODED_WORD) !== null).toBe(!asciiOnly(s.toName));
      expect(head).toMatch(/^Date: [A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/m);
      expect(head).toMatch(new RegExp(`^Message-ID: <[a-z0-9]{24}@${sender.address.split('@')[1]!.replace('.', '\\.')}>$`, 'm'));
      expect(head).toMatch(/^MIME-Version: 1\.0$/m);
      expect(head).not.toMatch(/^Bcc:/im);
      // The MIME tree and each leaf's transfer encoding.
      expect([...raw.matchAll(/^Content-Type: ([^;\r\n]+)/gim)].map((m) => m[1]!.toLowerCase())).toEqual(s.structure);
      expect([...raw.matchAll(/^Content-Transfer-Encoding: (\S+)/gim)].map((m) => m[1]!.toLowerCase())).toEqual(s.encodings);

      const parsed = await PostalMime.parse(bytes);
      expect(parsed.subject ?? '').toBe(s.subject);
      expect(parsed.from).toEqual({ name: s.fromName, address: sender.address });
      expect(parsed.to).toEqual([{ name: s.toName, address: rcpt.address }]);
      expect(parsed.cc ?? []).toEqual(cc ? [{ name: '', address: cc.address }] : []);
      expect(decoded(parsed.text)).toBe(lf(expectedText(s)));
      expect(parsed.html === undefined ? undefined : decoded(parsed.html)).toBe(s.html === undefined ? undefined : htmlDocument(s.html));
      expect(parsed.attachments.map((a) => ({ filename: a.filename, mimeType: a.mimeType, contentId: a.contentId, bytes: new Uint8Array(a.content as ArrayBuffer) }))).toEqual(
        (s.attachments ?? []).map((a) => ({ filename: a.filename, mimeType: a.contentType, contentId: a.contentId && `<${a.contentId}>`, bytes: a.bytes })),
      );
      for (const [name, value] of Object.entries(s.headers ?? {})) {
        const written = parsed.headers.find((h) => h.key === name.toLowerCase())!.value;
        expect(written.match(ENCODED_WORD) !== null).toBe(!asciiOnly(value));
        // Decoded the way a reader decodes any unstructured field.
        expect((await PostalMime.parse(`Subject: ${written}\r\n\r\n`)).subject).toBe(value);
      }
    });
  });
});

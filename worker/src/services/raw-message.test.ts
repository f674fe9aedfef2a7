import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { parseMessage } from './parse';
import { assertOriginator, recipientCopy } from './raw-message';

const ME = 'me@example.com';
const bytes = (s: string) => new TextEncoder().encode(s) as Bytes;

describe('assertOriginator', () => {
  it('never accepts a From that postal-mime reads as anything but our one address', async () => {
    // Pieces of hostile From values, combined: the rule and the MIME parser must never disagree
    // in the direction that matters (accepted here, another address there).
    const pieces = [ME, `<${ME}>`, 'ceo@bank.example', '<ceo@bank.example>', '"x, y"', '(c, d)', ',', ':', ';', '"', '\\', ' ', '@', 'Board', '<', '>', '\t', '\r\n '];
    let accepted = 0;
    let refused = 0;
    for (let i = 0; i < 5000; i++) {
      const seed = Math.imul(i + 1, 2654435761) >>> 0;
      const value = [0, 1, 2, 3].map((k) => pieces[((seed >>> (k * 8)) & 0xff) % pieces.length]).join(' ');
      const raw = `From: ${value}\r\nTo: x@example.com\r\nSubject: s\r\n\r\nbody\r\n`;
      try {
        assertOriginator(bytes(raw), ME);
      } catch (err) {
        expect(err).toBeInstanceOf(AppError);
        refused++;
        continue;
      }
      accepted++;
      const parsed = await PostalMime.parse(raw);
      const from = parsed.from?.group ?? [parsed.from];
      expect(from.map((m) => m?.address?.toLowerCase()), JSON.stringify(value)).toEqual([ME]);
    }
    // Both outcomes must have been exercised for the comparison to mean anything.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(1000);
  });
});

describe('recipientCopy', () => {
  it('drops Bcc and Resent-Bcc from the bytes and the parsed headers, and nothing else', async () => {
    const raw = bytes(`From: ${ME}\r\nBcc: a@example.com\r\nResent-Bcc: b@example.com\r\nSubject: s\r\n\r\nBcc: body line\r\n`);
    const parsed = await parseMessage(raw);
    const copy = recipientCopy(raw, parsed);
    expect(new TextDecoder().decode(copy.raw)).toBe(`From: ${ME}\r\nSubject: s\r\n\r\nBcc: body line\r\n`);
    expect(copy.parsed.headers.map((h) => h.key)).toEqual(['from', 'subject']);
    expect(copy.parsed.subject).toBe('s');
  });

  it('hands back the very same message when there is no Bcc', async () => {
    const raw = bytes(`From: ${ME}\r\nSubject: s\r\n\r\nbody\r\n`);
    const parsed = await parseMessage(raw);
    const copy = recipientCopy(raw, parsed);
    expect(copy.raw).toBe(raw);
    expect(copy.parsed).toBe(parsed);
  });
});

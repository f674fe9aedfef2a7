import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { parseMessage } from './parse';
import { assertOriginator, withoutBlindFields } from './raw-message';

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

  it('refuses a header block without a From field, even one whose Sender is ours', () => {
    for (const head of ['', `Sender: ${ME}\r\n`, `Reply-To: ${ME}\r\n`]) {
      const raw = bytes(`${head}To: x@example.com\r\nSubject: s\r\n\r\nFrom: ${ME}\r\n`);
      expect(() => assertOriginator(raw, ME), JSON.stringify(head)).toThrow(expect.objectContaining({ code: 'sender_not_allowed', param: 'from' }));
    }
  });
});

describe('withoutBlindFields', () => {
  it('drops Bcc and Resent-Bcc from the header block, and nothing else', () => {
    const raw = bytes(`From: ${ME}\r\nBcc: a@example.com\r\nResent-Bcc: b@example.com\r\nSubject: s\r\n\r\nBcc: body line\r\n`);
    expect(new TextDecoder().decode(withoutBlindFields(raw))).toBe(`From: ${ME}\r\nSubject: s\r\n\r\nBcc: body line\r\n`);
  });

  it('hands back the very same bytes when there is no Bcc', () => {
    const raw = bytes(`From: ${ME}\r\nSubject: s\r\n\r\nbody\r\n`);
    expect(withoutBlindFields(raw)).toBe(raw);
  });
});

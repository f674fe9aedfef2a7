import { describe, expect, it } from 'vitest';
import { checkRecipient } from '../src/recipients';
import { rfc5322Date, traceField, withTrace } from '../src/trace';

describe('RCPT TO, checked at RCPT', () => {
  it('takes ordinary addresses, lower-cased, and internationalised domains back in their ASCII form', () => {
    expect(checkRecipient('Bob@Example.com')).toEqual({ ok: true, address: 'bob@example.com' });
    expect(checkRecipient("o'neil+tag@example.com")).toEqual({ ok: true, address: "o'neil+tag@example.com" });
    // smtp-server hands xn-- domains over decoded.
    expect(checkRecipient('bob@münchen.de')).toEqual({ ok: true, address: 'bob@xn--mnchen-3ya.de' });
  });

  it('refuses what the Worker would refuse, with 553, and a non-ASCII local part with 5.6.7', () => {
    for (const bad of ['bob@localhost', 'bob@example', 'bob@[127.0.0.1]', '@example.com', 'bob@', 'a..b@example.com']) {
      expect(checkRecipient(bad), bad).toMatchObject({ ok: false, reply: { code: 553 } });
    }
    expect(checkRecipient('jörg@example.com')).toEqual({ ok: false, reply: { code: 553, message: '5.6.7 Non-ASCII local parts are not supported' } });
  });
});

describe('the Received trace field', () => {
  it('names the client\'s greeting, this proxy, the protocol and the time, never the client\'s IP address', () => {
    const at = new Date(Date.UTC(2026, 10, 29, 9, 41, 7));
    expect(rfc5322Date(at)).toBe('Sun, 29 Nov 2026 09:41:07 +0000');
    const field = traceField({ helo: 'laptop.local', by: 'smtp.example.org', secure: true, id: 'ABC123', at });
    expect(field).toBe('Received: from laptop.local\r\n\tby smtp.example.org (Edgemail SMTP proxy) with ESMTPSA id ABC123;\r\n\tSun, 29 Nov 2026 09:41:07 +0000\r\n');
    expect(traceField({ helo: 'bad\r\nInjected: x', by: 'p', secure: false, id: 'i', at })).toMatch(/^Received: from badInjected:x\r\n\tby p \(Edgemail SMTP proxy\) with ESMTPA id i;/);
    const message = new TextEncoder().encode('Subject: x\r\n\r\nbody\r\n');
    const traced = new TextDecoder().decode(withTrace(message, { helo: 'h', by: 'p', secure: false, id: 'i', at }));
    expect(traced.startsWith('Received: from h\r\n')).toBe(true);
    expect(traced.endsWith('Subject: x\r\n\r\nbody\r\n')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { authReply, dataReply, isPlausibleCredential } from '../src/replies';

const error = (status: number, code = 'x', message = 'why') => ({ kind: 'error' as const, status, code, message });

describe('Worker answer → SMTP reply', () => {
  it('maps auth: 235 with the address, 535 for a refused or malformed token, 454 when the Worker fails', () => {
    expect(authReply({ kind: 'ok', body: { address: 'a@example.com' } })).toMatchObject({ code: 235, address: 'a@example.com' });
    expect(authReply(error(401, 'invalid_token')).code).toBe(535);
    expect(authReply(error(400, 'validation_failed')).code).toBe(535);
    expect(authReply(error(403, 'forbidden')).code).toBe(535);
    expect(authReply(error(429, 'rate_limited')).code).toBe(454);
    expect(authReply(error(500)).code).toBe(454);
    expect(authReply({ kind: 'unreachable', message: 'ECONNREFUSED' }).code).toBe(454);
  });

  it('only passes credentials that can be a token on to the Worker', () => {
    expect(isPlausibleCredential('eyJhbGciOiJIUzI1NiJ9.e30.sig-_')).toBe(true);
    expect(isPlausibleCredential('emk_abc123')).toBe(true);
    for (const bad of ['', 'has space', 'line\r\nbreak', 'nul\0', 'pässwort', 'x'.repeat(8193)]) expect(isPlausibleCredential(bad), bad).toBe(false);
  });

  it.each([
    [401, 'invalid_token', 535],
    [403, 'sender_not_allowed', 553],
    [403, 'send_quota_exhausted', 554],
    [413, 'payload_too_large', 552],
    [429, 'rate_limited', 451],
    [400, 'invalid_mime', 554],
    [502, 'delivery_failed', 554],
    [500, 'internal_error', 451],
    [503, 'unknown', 451],
  ])('maps HTTP %i (%s) after DATA to %i', (status, code, smtp) => {
    expect(dataReply(error(status, code)).code).toBe(smtp);
  });

  it('maps an unreachable Worker to 451 so the client retries', () => {
    expect(dataReply({ kind: 'unreachable', message: 'timeout' })).toMatchObject({ code: 451 });
  });

  it('maps an answer that is not the Worker\'s (no JSON): a 5xx from a gateway is 451, a 2xx whose body was cut is 250', () => {
    expect(dataReply(error(502, 'unknown', 'HTTP 502'))).toMatchObject({ code: 451 });
    expect(dataReply(error(504, 'unknown', 'HTTP 504'))).toMatchObject({ code: 451 });
    expect(dataReply(error(200, 'unknown', 'HTTP 200'))).toMatchObject({ code: 250 });
    expect(dataReply(error(404, 'unknown', 'HTTP 404'))).toMatchObject({ code: 554 });
  });

  it('queues with the message id, and notes a partial delivery', () => {
    expect(dataReply({ kind: 'ok', body: { message_id: '<m@x>', delivery_status: 'sent' } }).message).toBe('2.0.0 OK queued as <m@x>');
    expect(dataReply({ kind: 'ok', body: { message_id: '<m@x>', delivery_status: 'partial' } }).message).toContain('some recipients failed');
  });

  it('keeps reply text on one printable line', () => {
    expect(dataReply(error(400, 'invalid_mime', 'bad\r\nInjected: yes ü')).message).toBe('5.6.0 bad Injected: yes');
  });
});

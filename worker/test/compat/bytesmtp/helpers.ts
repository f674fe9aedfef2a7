/** ByteSMTP door test plumbing: calls with a token, ByteSMTP's example message, ids from the original API. */
import { expect } from 'vitest';
import { call, deliver, json, TestEmailMessage } from '../../helpers';

/** Calls /compat/bytesmtp<path> with `Authorization: Bearer <token>` (none when token is null). */
export function door(token: string | null, path: string, init: RequestInit = {}, e?: Env) {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return call(`/compat/bytesmtp${path}`, { ...init, headers }, e);
}

export const post = (token: string | null, path: string, body: unknown, e?: Env) => door(token, path, { method: 'POST', body: JSON.stringify(body) }, e);

/**
 * A ByteSMTP error: the status and `{ ok: false, error: "<text>" }`, with Edgemail's code beside it
 * (and `param` when the error is about one field). Returns the text.
 */
export async function expectError(res: Response, status: number, code: string, param?: string): Promise<string> {
  const body = await json(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body).toMatchObject({ ok: false, code });
  expect(Object.keys(body).filter((k) => k !== 'param').sort()).toEqual(['code', 'error', 'ok']);
  if (param !== undefined) expect(body.param).toBe(param);
  expect(typeof body.error).toBe('string');
  expect(body.error.length).toBeGreaterThan(0);
  return body.error;
}

/** ByteSMTP's example message ("Meeting tomorrow", 2026-04-01T10:30:00Z), as multipart/alternative. */
export function meetingMail(from: string, to: string, subject = 'Meeting tomorrow'): Uint8Array {
  return new TextEncoder().encode(
    [
      `From: Jordan <${from}>`,
      `To: ${to}`,
      `Subject: ${subject}`,
      `Message-ID: <${crypto.randomUUID()}@sender.test>`,
      'Date: Wed, 01 Apr 2026 10:30:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: multipart/alternative; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      "Let's meet at 2pm.",
      '--b1',
      'Content-Type: text/html; charset=utf-8',
      '',
      "<p>Let's meet at 2pm.</p>",
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

export async function deliverMeeting(to: string, subject = 'Meeting tomorrow', from = 'jordan@sender.test') {
  await deliver(new TestEmailMessage(from, to, meetingMail(from, to, subject)));
}

/** The original API's numeric ids of a mailbox's received mail, newest first (what the door calls uid). */
export async function legacyIds(jwt: string): Promise<{ id: number; subject: string }[]> {
  const res = await call('/api/parsed_mails?limit=100', { headers: { authorization: `Bearer ${jwt}` } });
  return (await json(res)).results;
}

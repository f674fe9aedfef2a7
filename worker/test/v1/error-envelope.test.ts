/** The v1 error envelope as Sendmux's Sending API defines it (seed 003): doc_url, every problem in errors[], its code for a used-up balance. */
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../src/lib/errors';
import { call, createAddress, envWith, json } from '../helpers';
import { v1 } from './helpers';

const send = (jwt: string, path: string, body: unknown, e?: Env) => v1(jwt, path, { method: 'POST', body: JSON.stringify(body) }, e);

describe('v1 errors', () => {
  it('list every problem of a request in errors[], the first as the error itself, each with a doc_url to its row of the docs table', async () => {
    const sender = await createAddress('envelope-sender');
    const res = await send(sender.jwt, '/emails/send', { from: sender.address, to: { email: 'nope' }, subject: 5, text_body: 7 });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.errors).toHaveLength(3);
    expect(error.errors.map((e: { param: string }) => e.param)).toEqual(expect.arrayContaining(['to.email', 'subject', 'text_body']));
    expect(error.errors[0]).toEqual({ code: 'validation_failed', message: error.message, param: error.param });
    expect(error.doc_url).toBe('https://edgemail.test/api/v1/docs#error-validation_failed');
    // One problem: no errors[] beside it.
    const single = (await json(await send(sender.jwt, '/emails/send', { from: sender.address, to: 'a@far.test', text: 'x' }))).error;
    expect(single).toMatchObject({ code: 'validation_failed', param: 'subject' });
    expect(single.errors).toBeUndefined();
  });

  it('doc_url is on PUBLIC_URL when it is set, and the docs page has a row for every code', async () => {
    const e = envWith({ PUBLIC_URL: 'https://mail.example.org/' });
    const res = await v1('not-a-key', '/mailboxes', {}, e);
    expect(res.status).toBe(401);
    expect((await json(res)).error.doc_url).toBe('https://mail.example.org/api/v1/docs#error-invalid_token');
    const page = await (await call('/api/v1/docs')).text();
    for (const code of Object.keys(ERROR_STATUS)) expect(page, code).toContain(`<tr id="error-${code}"><td><code>${code}</code></td><td>${ERROR_STATUS[code as keyof typeof ERROR_STATUS]}</td>`);
  });

  it("a used-up send balance is insufficient_credits on Sendmux's paths and send_quota_exhausted on /emails", async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '0' });
    const broke = await createAddress('envelope-broke', undefined, e);
    const email = { from: broke.address, to: 'someone@far.test', subject: 'Hi', text: 'x' };
    for (const [path, body, code] of [
      ['/emails/send', email, 'insufficient_credits'],
      ['/emails/send/batch', [email], 'insufficient_credits'],
      ['/emails', email, 'send_quota_exhausted'],
      ['/emails/batch', [email], 'send_quota_exhausted'],
    ] as const) {
      const res = await send(broke.jwt, path, body, e);
      expect(res.status, path).toBe(403);
      const { error } = await json(res);
      expect(error.code, path).toBe(code);
      expect(error.doc_url, path).toContain(`#error-${code}`);
    }
  });
});

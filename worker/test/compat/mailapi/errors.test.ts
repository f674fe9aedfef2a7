/**
 * The guide's error table: every code it lists, each reached through the door with its status and
 * the `{ success: false, error, message }` envelope; the mapping from our codes; and the shape checker
 * the other door tests rely on.
 */
import { describe, expect, it } from 'vitest';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../../src/lib/errors';
import { CODE_MAP, mailApiError } from '../../../src/routes/compat/mailapi/errors';
import { createAddress, envWith, testEnv } from '../../helpers';
import { login, signup } from '../../accounts/helpers';
import { adminKey, mailboxKey, v1 } from '../../v1/helpers';
import { expectError, expectSameShape, mailapi, ok, post } from './helpers';
import { ERROR_CODES, STATUS_RESPONSE } from './seed-examples';

const send = (from: string) => ({ from, to: ['someone@far.test'], subject: 'x', body: { text: 'x' } });

describe('the guide\'s error codes, each through the door', () => {
  it('answers every code of the table with its status', async () => {
    const admin = await adminKey();
    const box = await createAddress('errors-box');
    const key = await mailboxKey(admin, box.address);
    const reached = new Set<string>();
    const check = async (res: Response, code: keyof typeof ERROR_CODES) => {
      await expectError(res, ERROR_CODES[code], code);
      reached.add(code);
    };

    await check(await mailapi(null, '/mail/sent'), 'NO_API_TOKEN');
    await check(await mailapi('', '/mail/sent'), 'NO_API_TOKEN');
    await check(await mailapi('not-a-token', '/mail/sent'), 'INVALID_TOKEN');
    await check(await mailapi('emk_thisKeyWasNeverIssued0000000000000000', '/mail/sent'), 'INVALID_TOKEN');

    const { token } = await signup('errors.test');
    await testEnv.DB.prepare('UPDATE sessions SET expires_at = 1 WHERE id = (SELECT max(id) FROM sessions)').run();
    await check(await mailapi(token, '/mail/sent'), 'TOKEN_EXPIRED');
    const expiring = await mailboxKey(admin, box.address);
    await testEnv.DB.prepare('UPDATE api_keys SET expires_at = 1 WHERE public_id = ?').bind(expiring.id).run();
    await check(await mailapi(expiring.key, '/mail/sent'), 'TOKEN_EXPIRED');

    await check(await mailapi(key.key, '/domains/pending'), 'ACCESS_DENIED');
    await check(await post(admin, '/mail/send', send('someone@gmail.com')), 'DOMAIN_NOT_ALLOWED');
    await check(await post(key.key, '/mail/send', send('other@example.com')), 'SENDER_NOT_AUTHORIZED');
    await check(await mailapi(key.key, '/mailbox/other@example.com/folders'), 'ACCESS_DENIED');
    await check(await mailapi(admin, '/mailbox/nobody-here@example.com/folders'), 'MAILBOX_NOT_FOUND');
    await check(await mailapi(key.key, `/mailbox/${box.address}/messages/424242`), 'MESSAGE_NOT_FOUND');
    await check(await mailapi(key.key, '/mail/em_nosuchmessage00000000000/status'), 'MESSAGE_NOT_FOUND');
    await check(await mailapi(key.key, `/mailbox/${box.address}/messages?folder=Archive`), 'INVALID_FOLDER');
    // Storage that fails: with a threshold of 0 every message goes to R2, which refuses writes.
    const failing = { ...testEnv.BLOBS, put: async () => Promise.reject(new Error('storage down')) } as unknown as R2Bucket;
    await check(await post(admin, '/mail/send', send(box.address), { ...envWith({ BLOB_THRESHOLD_BYTES: '0' }), BLOBS: failing }), 'SEND_FAILED');

    // IMAP_ERROR, the guide's last row, cannot happen here: mail is read from D1 and R2, not IMAP.
    expect([...reached].sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('answers TOKEN_EXPIRED ("expired or inactive") for a revoked key and a logged-out session, INVALID_TOKEN for an unknown one', async () => {
    const admin = await adminKey();
    const box = await createAddress('revoked-box');
    const key = await mailboxKey(admin, box.address);
    expect((await v1(admin, `/keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    await expectError(await mailapi(key.key, '/tokens/me'), 401, 'TOKEN_EXPIRED');
    await expectError(await mailapi(`emk_${'x'.repeat(40)}`, '/tokens/me'), 401, 'INVALID_TOKEN');
    await signup('logout.test');
    const session = await login('admin@logout.test');
    expect((await v1(session, '/auth/logout', { method: 'POST' })).status).toBe(200);
    await expectError(await mailapi(session, '/tokens/me'), 401, 'TOKEN_EXPIRED');
  });

  it('takes the token only from X-MAILAPI-TOKEN: a Bearer header alone is NO_API_TOKEN', async () => {
    const admin = await adminKey();
    await expectError(await mailapi(null, '/tokens/me', { headers: { authorization: `Bearer ${admin}` } }), 401, 'NO_API_TOKEN');
    expect((await mailapi(admin, '/tokens/me')).status).toBe(200);
  });

  it('writes paths it does not have, and internal errors, in the same envelope without internals', async () => {
    const admin = await adminKey();
    await expectError(await mailapi(admin, '/mail/archive'), 404, 'NOT_FOUND');
    await expectError(await mailapi(null, '/no/such/path'), 401, 'NO_API_TOKEN');
    // A database that fails every query (no way to make the real local D1 fail on cue).
    const broken = { ...testEnv, DB: { prepare: () => { throw new Error('D1 exploded: SELECT * FROM secrets'); }, batch: () => Promise.reject(new Error('D1 exploded')) } as unknown as D1Database };
    const res = await mailapi(admin, '/mail/sent', {}, broken);
    const body = await expectError(res, 500, 'INTERNAL_ERROR');
    expect(body.message).toMatch(/^Internal error \(request req_[a-z0-9]+\)\.$/);
  });
});

describe('the mapping from our codes to the guide\'s', () => {
  it('gives each guide code the guide\'s status; codes the guide lacks keep ours, upper-cased, with our status', () => {
    for (const [ours, theirs] of Object.entries(CODE_MAP)) {
      expect(mailApiError(new AppError(ours as ErrorCode, 'x'), '/compat/mailapi/api/v1/mail/sent'), ours).toEqual({ code: theirs, status: ERROR_CODES[theirs] });
    }
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      if (code in CODE_MAP || code === 'internal_error') continue;
      expect(mailApiError(new AppError(code, 'x'), '/x')).toEqual({ code: code.toUpperCase(), status: ERROR_STATUS[code] });
    }
    expect(mailApiError(new AppError('internal_error', 'x'), '/compat/mailapi/api/v1/mail/send')).toEqual({ code: 'SEND_FAILED', status: 500 });
    expect(mailApiError(new AppError('internal_error', 'x'), '/compat/mailapi/api/v1/mail/sent')).toEqual({ code: 'INTERNAL_ERROR', status: 500 });
    expect(mailApiError(new AppError('rate_limited', 'x'), '/x')).toEqual({ code: 'RATE_LIMITED', status: 429 });
  });
});

describe('the shape checker', () => {
  it('fails on a missing field, an extra field, a wrong type, and an array item that fits no example item', () => {
    const example = STATUS_RESPONSE;
    const good = structuredClone(example);
    expectSameShape(good, example);
    const { submitted_at: _s, ...missing } = good;
    expect(() => expectSameShape(missing, example)).toThrow();
    expect(() => expectSameShape({ ...good, extra: 1 }, example)).toThrow();
    expect(() => expectSameShape({ ...good, created_at: 5 }, example)).toThrow();
    const mixed = { ...good, recipients: [{ ...good.recipients[0]!, smtp_response: 'x' }] };
    expect(() => expectSameShape(mixed, example)).toThrow();
  });
});

/**
 * Every error behind /compat/resend in Resend's shape `{ statusCode, name, message }`, with Resend's
 * names and statuses: authentication, validation, idempotency, limits, routing and server faults.
 */
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { claimKey } from '../../src/db/idempotency';
import { sha256Hex } from '../../src/lib/bytes';
import { createAddress, envWith, json, testEnv } from '../helpers';
import { adminKey, mailboxKey } from '../v1/helpers';
import { expectError, post, resend, sendOk, unique } from './resend-helpers';

const email = (from: string, over: Record<string, unknown> = {}) => ({ from, to: 'someone@far.test', subject: 'Hi', text: 'x', ...over });

describe('Resend door errors: credentials', () => {
  it('answers a request without a key with 401 missing_api_key, and a wrong key with 403 invalid_api_key', async () => {
    await expectError(await resend(null, '/emails'), 401, 'missing_api_key');
    await expectError(await resend('re_123456789', '/emails'), 403, 'invalid_api_key');
    await expectError(await resend('emk_notarealkeyatall0000000000000000000000', '/emails'), 403, 'invalid_api_key');
  });

  it('treats mailbox keys and address tokens as sending-only keys: 401 restricted_api_key on domains', async () => {
    const sender = await createAddress(`rs-restr-${unique()}`);
    const key = (await mailboxKey(await adminKey(), sender.address)).key;
    await expectError(await resend(key, '/domains'), 401, 'restricted_api_key');
    await expectError(await resend(sender.jwt, '/domains/example.com'), 401, 'restricted_api_key');
    // They do send.
    expect(await sendOk(key, email(sender.address))).toMatch(/^em_/);
  });

  it('refuses sending as another address or from a domain this server does not serve with 403 validation_error', async () => {
    const sender = await createAddress(`rs-other-${unique()}`);
    await expectError(await post(sender.jwt, '/emails', email('someone-else@example.com')), 403, 'validation_error', /may only send as/);
    await expectError(await post(await adminKey(), '/emails', email('me@gmail.com')), 403, 'validation_error', /does not send for gmail\.com/);
  });
});

describe('Resend door errors: the request', () => {
  it('names a missing from, to, subject or body missing_required_field (422)', async () => {
    const sender = await createAddress(`rs-miss-${unique()}`);
    for (const field of ['from', 'to', 'subject']) {
      const body = email(sender.address) as Record<string, unknown>;
      delete body[field];
      await expectError(await post(sender.jwt, '/emails', body), 422, 'missing_required_field', `Missing \`${field}\` field.`);
    }
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { text: undefined })), 422, 'missing_required_field', /`html` or `text`/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { to: [] })), 422, 'missing_required_field', /`to`/);
    // null is "not given", as Python's None arrives.
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { subject: null })), 422, 'missing_required_field', /`subject`/);
  });

  it('answers a malformed from with invalid_from_address and other bad fields with validation_error (422)', async () => {
    const sender = await createAddress(`rs-bad-${unique()}`);
    await expectError(await post(sender.jwt, '/emails', email('not an address')), 422, 'invalid_from_address', /`from`/);
    await expectError(await post(sender.jwt, '/emails', email(42 as unknown as string)), 422, 'invalid_from_address');
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { to: 'nope' })), 422, 'validation_error', /Invalid `to` field/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { cc: ['ok@far.test', 'bad'] })), 422, 'validation_error', /`cc`/);
    const tooMany = Array.from({ length: 51 }, (_, i) => `r${i}@far.test`);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { to: tooMany })), 422, 'validation_error', /At most 50/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { tags: [{ name: 'has space', value: 'x' }] })), 422, 'validation_error', /`tags`/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { headers: { Bcc: 'spy@far.test' } })), 422, 'validation_error', /`headers`/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { subject: 'a\r\nBcc: x@y.z' })), 422, 'validation_error', /`subject`/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { scheduled_at: 'whenever' })), 422, 'validation_error', /`scheduled_at`.*in 1 min/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { scheduled_at: 'in 40 days' })), 422, 'validation_error', /30 days/);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { template: { id: 'tpl_1' } })), 422, 'validation_error', /Templates/);
    await expectError(await resend(sender.jwt, '/emails', { method: 'POST', body: '{"from":' }), 422, 'validation_error', /must be JSON/);
  });

  it('answers unusable attachments with invalid_attachment (422)', async () => {
    const sender = await createAddress(`rs-att-${unique()}`);
    const attach = (a: unknown) => post(sender.jwt, '/emails', email(sender.address, { attachments: [a] }));
    await expectError(await attach({ filename: 'a.txt' }), 422, 'invalid_attachment', 'Attachment must have either a `content` or `path`.');
    await expectError(await attach({ filename: 'a.txt', content: 'aGk=', path: 'https://example.com/a' }), 422, 'invalid_attachment');
    await expectError(await attach({ filename: 'a.txt', content: 'not base64!' }), 422, 'invalid_attachment', /base64/);
    await expectError(await attach({ filename: 'a.txt', content: 'x' }), 422, 'invalid_attachment', /base64/);
    await expectError(await attach({ filename: 'a.txt', content: [1, 2, 300] }), 422, 'invalid_attachment');
    await expectError(await attach({ content: 'aGk=' }), 422, 'invalid_attachment', /`filename`/);
    // By default only public hosts are fetched.
    await expectError(await attach({ path: 'http://127.0.0.1:9/secret' }), 422, 'invalid_attachment', /private or loopback/);
    await expectError(await attach({ path: 'http://10.1.2.3/x' }, ), 422, 'invalid_attachment');
  });

  it('refuses an oversized body with 413 before reading it', async () => {
    const sender = await createAddress(`rs-big-${unique()}`);
    const small = envWith({ MAX_MESSAGE_BYTES: '2048' });
    const big = email(sender.address, { text: 'x'.repeat(1024 * 1024 + 4096) });
    await expectError(await post(sender.jwt, '/emails', big, {}, small), 413, 'validation_error', /Request bodies are limited/);
  });
});

describe('Resend door errors: idempotency, limits, quotas', () => {
  it('answers a reused key with another body 409 invalid_idempotent_request, and an over-long key 400 invalid_idempotency_key', async () => {
    const sender = await createAddress(`rs-idem-${unique()}`);
    expect((await post(sender.jwt, '/emails', email(sender.address), { 'Idempotency-Key': 'k-1' })).status).toBe(200);
    await expectError(await post(sender.jwt, '/emails', email(sender.address, { subject: 'other' }), { 'Idempotency-Key': 'k-1' }), 409, 'invalid_idempotent_request');
    await expectError(await post(sender.jwt, '/emails', email(sender.address), { 'Idempotency-Key': 'k'.repeat(257) }), 400, 'invalid_idempotency_key', /256/);
  });

  it('answers a key whose first request is still running 409 concurrent_idempotent_requests', async () => {
    const sender = await createAddress(`rs-flight-${unique()}`);
    const body = email(sender.address);
    const fingerprint = await sha256Hex(`POST /compat/resend/emails\n${JSON.stringify(body)}`);
    const now = Date.now();
    await claimKey(createDb(testEnv.DB), { scope: `jwt:${sender.address_id}`, key: 'busy', fingerprint, createdAt: now, expiresAt: now + 60_000 });
    const res = await post(sender.jwt, '/emails', body, { 'Idempotency-Key': 'busy' });
    expect(res.headers.get('retry-after')).toBe('1');
    await expectError(res, 409, 'concurrent_idempotent_requests');
  });

  it('answers past the per-key limit 429 rate_limit_exceeded with ratelimit-* and retry-after', async () => {
    const sender = await createAddress(`rs-429-${unique()}`);
    const e = envWith({ V1_RATE_WRITE_PER_MINUTE: '2' });
    for (let i = 0; i < 2; i++) expect((await post(sender.jwt, '/emails', email(sender.address), {}, e)).status).toBe(200);
    const res = await post(sender.jwt, '/emails', email(sender.address), {}, e);
    expect(res.headers.get('ratelimit-limit')).toBe('2');
    expect(res.headers.get('ratelimit-remaining')).toBe('0');
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(res.headers.get('ratelimit-reset')).toBe(String(retryAfter));
    await expectError(res, 429, 'rate_limit_exceeded');
  });

  it('answers an address without send balance 429 monthly_quota_exceeded', async () => {
    const e = envWith({ DEFAULT_SEND_BALANCE: '0' });
    const sender = await createAddress(`rs-quota-${unique()}`, undefined, e);
    await expectError(await post(sender.jwt, '/emails', email(sender.address), {}, e), 429, 'monthly_quota_exceeded', /send balance/);
  });
});

describe('Resend door errors: routing and faults', () => {
  it('answers unknown ids and paths 404 not_found, and other methods 405 method_not_allowed with Allow', async () => {
    const sender = await createAddress(`rs-404-${unique()}`);
    await expectError(await resend(sender.jwt, '/emails/em_doesnotexist'), 404, 'not_found');
    await expectError(await resend(sender.jwt, '/emails/em_doesnotexist/cancel', { method: 'POST' }), 404, 'not_found');
    await expectError(await resend(sender.jwt, '/contacts'), 404, 'not_found');
    const del = await resend(sender.jwt, '/emails/em_x', { method: 'DELETE' });
    expect(del.headers.get('allow')).toBe('GET, PATCH');
    await expectError(del, 405, 'method_not_allowed');
    await expectError(await resend(sender.jwt, '/emails/batch'), 405, 'method_not_allowed');
    await expectError(await resend(await adminKey(), '/domains/example.com', { method: 'DELETE' }), 405, 'method_not_allowed');
  });

  it('answers a message already sent or cancelled, when cancelled or rescheduled, with 422 validation_error', async () => {
    const sender = await createAddress(`rs-late-${unique()}`);
    const id = await sendOk(sender.jwt, email(sender.address, { scheduled_at: 'in 2 hours' }));
    expect((await resend(sender.jwt, `/emails/${id}/cancel`, { method: 'POST' })).status).toBe(200);
    await expectError(await resend(sender.jwt, `/emails/${id}/cancel`, { method: 'POST' }), 422, 'validation_error', /cancelled/);
    await expectError(await resend(sender.jwt, `/emails/${id}`, { method: 'PATCH', body: JSON.stringify({ scheduled_at: 'in 1 hour' }) }), 422, 'validation_error');
    await expectError(await resend(sender.jwt, `/emails/${id}`, { method: 'PATCH', body: JSON.stringify({}) }), 422, 'missing_required_field', /scheduled_at/);
  });

  it('keeps another mailbox\'s email hidden: 404, never 403', async () => {
    const a = await createAddress(`rs-own-a-${unique()}`);
    const b = await createAddress(`rs-own-b-${unique()}`);
    const id = await sendOk(a.jwt, email(a.address, { scheduled_at: 'in 1 hour' }));
    await expectError(await resend(b.jwt, `/emails/${id}`), 404, 'not_found');
    await expectError(await resend(b.jwt, `/emails/${id}/cancel`, { method: 'POST' }), 404, 'not_found');
    await expectError(await resend(b.jwt, `/emails?after=${id}`), 404, 'not_found');
    expect((await json(await resend(b.jwt, '/emails'))).data).toEqual([]);
  });

  it('answers a server fault 500 application_error without details', async () => {
    // A misconfigured deployment: the Resend provider chosen without its key.
    const broken = envWith({ MAIL_PROVIDER: 'resend', RESEND_API_KEY: '' });
    const body = await expectError(await resend('anything', '/emails', {}, broken), 500, 'application_error', /misconfigured/);
    expect(body.message).not.toMatch(/RESEND_API_KEY/);
  });
});

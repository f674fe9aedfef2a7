import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client';
import { claimKey } from '../../src/db/idempotency';
import { sha256Hex } from '../../src/lib/bytes';
import { bearer, call, createAddress, json, testEnv } from '../helpers';
import { v1 } from './helpers';

const post = (jwt: string, key: string, body: unknown, path = '/emails') =>
  v1(jwt, path, { method: 'POST', headers: { 'idempotency-key': key }, body: JSON.stringify(body) });

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, without sending twice', async () => {
    const sender = await createAddress('idem-replay');
    const body = { to: 'x@far.test', subject: 'once', text: 'x' };
    const first = await post(sender.jwt, 'order-42', body);
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotency-replayed')).toBeNull();
    const firstBody = await first.text();
    const again = await post(sender.jwt, 'order-42', body);
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotency-replayed')).toBe('true');
    // A replay is a new request: its own request id, not none and not the first one's.
    expect(again.headers.get('x-request-id')).toMatch(/^req_/);
    expect(again.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(await again.text()).toBe(firstBody);
    expect((await json(await v1(sender.jwt, '/emails'))).meta.total).toBe(1);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(999);
  });

  it('refuses the same key with a different body (409 invalid_idempotent_request)', async () => {
    const sender = await createAddress('idem-conflict');
    expect((await post(sender.jwt, 'k-1', { to: 'x@far.test', subject: 'a', text: 'x' })).status).toBe(202);
    const res = await post(sender.jwt, 'k-1', { to: 'x@far.test', subject: 'b', text: 'x' });
    expect(res.status).toBe(409);
    expect((await json(res)).error).toMatchObject({ code: 'invalid_idempotent_request', retryable: false });
    // The same key on another endpoint is another request too.
    expect((await post(sender.jwt, 'k-1', [{ to: 'x@far.test', subject: 'a', text: 'x' }], '/emails/batch')).status).toBe(409);
  });

  it('refuses a key whose first request is still running (409 concurrent_idempotent_requests)', async () => {
    const sender = await createAddress('idem-flight');
    const body = { to: 'x@far.test', subject: 'slow', text: 'x' };
    // The first request holds the key exactly as the middleware does while its handler runs.
    const fingerprint = await sha256Hex(`POST /api/v1/emails\n${JSON.stringify(body)}`);
    const now = Date.now();
    await claimKey(createDb(testEnv.DB), { scope: `jwt:${sender.address_id}`, key: 'in-flight', fingerprint, createdAt: now, expiresAt: now + 60_000 });
    const res = await post(sender.jwt, 'in-flight', body);
    expect(res.status).toBe(409);
    expect((await json(res)).error).toMatchObject({ code: 'concurrent_idempotent_requests', retryable: true });
    expect(res.headers.get('retry-after')).toBe('1');
  });

  it('replays an error answer too, keeps keys per caller, and refuses keys over 256 characters', async () => {
    const a = await createAddress('idem-a');
    const b = await createAddress('idem-b');
    const bad = await post(a.jwt, 'shared', { to: 'nope', subject: 's', text: 'x' });
    expect(bad.status).toBe(400);
    const replayed = await post(a.jwt, 'shared', { to: 'nope', subject: 's', text: 'x' });
    expect(replayed.status).toBe(400);
    expect(replayed.headers.get('idempotency-replayed')).toBe('true');
    expect((await post(b.jwt, 'shared', { to: 'x@far.test', subject: 's', text: 'x' })).status).toBe(202);
    expect((await post(a.jwt, 'k'.repeat(257), { to: 'x@far.test', subject: 's', text: 'x' })).status).toBe(400);
  });

  it('identifies a multipart request by its fields and files, not its boundary', async () => {
    const sender = await createAddress('idem-multi');
    const form = () => {
      const f = new FormData();
      f.append('to', 'x@far.test');
      f.append('subject', 'upload');
      f.append('text', 'x');
      f.append('file', new File(['abc'], 'a.txt', { type: 'text/plain' }));
      return f;
    };
    const send = () => call('/api/v1/emails/send/multipart', { method: 'POST', headers: { ...bearer(sender.jwt), 'idempotency-key': 'up-1' }, body: form() });
    const first = await send();
    expect(first.status).toBe(202);
    const second = await send();
    expect(second.headers.get('idempotency-replayed')).toBe('true');
    expect((await json(second)).data.id).toBe((await json(first)).data.id);
  });
});

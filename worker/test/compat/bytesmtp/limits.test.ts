/** ByteSMTP's per-endpoint hourly limits (BYTESMTP_*_PER_HOUR), pinned low: 429 with Retry-After, per key and endpoint. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAddress, envWith, json } from '../../helpers';
import { adminKey, mailboxKey } from '../../v1/helpers';
import { deliverMeeting, door, expectError } from './helpers';

let admin: string;
let rcpt: string;
beforeAll(async () => {
  admin = await adminKey('bytesmtp limits');
  rcpt = (await createAddress('bs-limit-rcpt')).address;
});

async function freshKey(name: string) {
  const box = await createAddress(name);
  await deliverMeeting(box.address);
  return { address: box.address, key: (await mailboxKey(admin, box.address)).key };
}

type Call = (key: string, address: string, e: Env) => Promise<Response>;

const endpoints: { name: string; variable: string; label: string; ok: number; call: Call }[] = [
  {
    name: 'POST /api/send',
    variable: 'BYTESMTP_SEND_PER_HOUR',
    label: '2 POST /api/send requests per hour',
    ok: 200,
    call: (key, address, e) => door(key, '/api/send', { method: 'POST', body: JSON.stringify({ from: address, to: rcpt, subject: 'limit', body: 'x' }) }, e),
  },
  { name: 'GET /api/inbox', variable: 'BYTESMTP_INBOX_PER_HOUR', label: '2 GET /api/inbox requests per hour', ok: 200, call: (key, _a, e) => door(key, '/api/inbox', {}, e) },
  {
    name: 'GET /api/message/{uid}',
    variable: 'BYTESMTP_READ_PER_HOUR',
    label: '2 GET /api/message/{uid} requests per hour',
    ok: 200,
    call: async (key, _a, e) => door(key, `/api/message/${(await json(await door(key, '/api/inbox'))).messages[0].uid}`, {}, e),
  },
  // Deleting a uid that is not there is still a request: it counts like any other.
  { name: 'DELETE /api/message/{uid}', variable: 'BYTESMTP_DELETE_PER_HOUR', label: '2 DELETE /api/message/{uid} requests per hour', ok: 404, call: (key, _a, e) => door(key, '/api/message/999999', { method: 'DELETE' }, e) },
];

describe.each(endpoints)('$name', ({ variable, label, ok, call }) => {
  it('allows the configured requests per key and hour, then answers 429 with Retry-After', async () => {
    const { key, address } = await freshKey(`bs-lim-${variable.split('_')[1]!.toLowerCase()}`);
    const e = envWith({ [variable]: '2' } as Record<string, string>);
    expect((await call(key, address, e)).status).toBe(ok);
    expect((await call(key, address, e)).status).toBe(ok);
    const refused = await call(key, address, e);
    expect(await expectError(refused, 429, 'rate_limited')).toContain(label);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect((await call(key, address, e)).status, 'still refused').toBe(429);

    // Another key has its own budget.
    const other = await freshKey(`bs-lim-other-${variable.split('_')[1]!.toLowerCase()}`);
    expect((await call(other.key, other.address, e)).status).toBe(ok);
  });
});

describe('hourly limits', () => {
  it('are counted per endpoint: a spent inbox budget leaves reading, deleting and sending open', async () => {
    const { key, address } = await freshKey('bs-lim-separate');
    const e = envWith({ BYTESMTP_INBOX_PER_HOUR: '1' });
    const { messages } = await json(await door(key, '/api/inbox', {}, e));
    await expectError(await door(key, '/api/inbox', {}, e), 429, 'rate_limited');
    expect((await door(key, `/api/message/${messages[0].uid}`, {}, e)).status).toBe(200);
    expect((await door(key, `/api/message/${messages[0].uid}`, { method: 'DELETE' }, e)).status).toBe(200);
    const sent = await door(key, '/api/send', { method: 'POST', body: JSON.stringify({ from: address, to: rcpt, subject: 's', body: 'b' }) }, e);
    expect(sent.status).toBe(200);
  });

  it('are off with 0', async () => {
    const { key } = await freshKey('bs-lim-off');
    const e = envWith({ BYTESMTP_INBOX_PER_HOUR: '0' });
    for (let i = 0; i < 5; i++) expect((await door(key, '/api/inbox', {}, e)).status).toBe(200);
  });
});

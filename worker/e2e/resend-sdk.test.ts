/**
 * Resend's own Node SDK (the `resend` package) against the real Worker under `wrangler dev`, pointed
 * at the door with its one setting (`baseUrl`, or RESEND_BASE_URL): sending with attachments, batch,
 * get, list, reschedule, cancel, idempotency and domains, and each error as the SDK surfaces it,
 * `{ data: null, error: { statusCode, name, message } }`.
 */
import PostalMime from 'postal-mime';
import { Resend } from 'resend';
import { describe, expect, inject, it } from 'vitest';
import { api, apiBytes, newAddress, workerUrl } from '../../smtp-proxy/test/harness';

const doorUrl = () => `${workerUrl()}/compat/resend`;
const client = (key: string) => new Resend(key, { baseUrl: doorUrl() });
const files = () => inject('filesUrl');
const REPORT = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n')]);

async function adminKey(): Promise<string> {
  const res = await fetch(`${workerUrl()}/api/v1/keys`, {
    method: 'POST',
    headers: { 'x-admin-auth': inject('adminPassword'), 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'admin', name: 'resend sdk e2e' }),
  });
  if (res.status !== 201) throw new Error(`admin key: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { data: { key: string } }).data.key;
}

/** Waits until the recipient's mailbox holds `count` messages; returns the newest one's raw bytes. */
async function received(jwt: string, count = 1): Promise<{ id: number; raw: Uint8Array }> {
  for (let i = 0; i < 100; i++) {
    const inbox = await api('/api/mails?limit=1', jwt);
    if (inbox.count >= count) return { id: inbox.results[0].id, raw: await apiBytes(`/api/mails/${inbox.results[0].id}/raw`, jwt) };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('nothing delivered');
}

describe('the resend SDK against /compat/resend', () => {
  it('sends with attachments (Buffer, base64, path), cc, reply-to, tags and headers, delivered byte for byte', async () => {
    const sender = await newAddress('sdk-sender');
    const to = await newAddress('sdk-to');
    const cc = await newAddress('sdk-cc');
    const resend = client(sender.jwt);
    const { data, error, headers } = await resend.emails.send({
      from: `Acme <${sender.address}>`,
      to: to.address,
      cc: [cc.address],
      replyTo: ['support@example.com', 'billing@example.com'],
      subject: 'Your report',
      html: '<p>Here is <strong>your report</strong>.</p>',
      headers: { 'X-Entity-Ref-ID': 'rep-7' },
      tags: [{ name: 'category', value: 'report' }],
      attachments: [
        { filename: 'report.pdf', content: REPORT },
        { filename: 'hello.txt', content: Buffer.from('hello').toString('base64') },
        { path: `${files()}/files/notes`, filename: 'notes.txt' },
      ],
    });
    expect(error).toBeNull();
    expect(data!.id).toMatch(/^em_/);
    expect(headers!['ratelimit-limit']).toBeDefined();

    const { raw } = await received(to.jwt);
    const mail = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    expect(mail.from).toEqual({ name: 'Acme', address: sender.address });
    expect(mail.cc).toEqual([{ name: '', address: cc.address }]);
    expect(mail.replyTo!.map((m) => m.address)).toEqual(['support@example.com', 'billing@example.com']);
    expect(mail.headers).toEqual(expect.arrayContaining([{ key: 'x-entity-ref-id', value: 'rep-7', originalKey: 'X-Entity-Ref-ID' }]));
    const attachments = mail.attachments.map((a) => [a.filename, a.mimeType, Buffer.from(a.content as ArrayBuffer).toString('hex')]);
    expect(attachments).toEqual([
      ['report.pdf', 'application/pdf', REPORT.toString('hex')],
      ['hello.txt', 'text/plain', Buffer.from('hello').toString('hex')],
      ['notes.txt', 'text/plain', Buffer.from('plain notes\n').toString('hex')],
    ]);
    expect((await received(cc.jwt)).raw.byteLength).toBeGreaterThan(0);

    const got = await resend.emails.get(data!.id);
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({
      object: 'email',
      id: data!.id,
      from: `Acme <${sender.address}>`,
      to: [to.address],
      cc: [cc.address],
      reply_to: ['support@example.com', 'billing@example.com'],
      subject: 'Your report',
      tags: [{ name: 'category', value: 'report' }],
    });
    expect(got.data!.html).toContain('your report');
  });

  it('reads RESEND_BASE_URL when no baseUrl is given: the one-line change', async () => {
    const sender = await newAddress('sdk-env');
    const previous = process.env.RESEND_BASE_URL;
    process.env.RESEND_BASE_URL = doorUrl();
    try {
      const { data, error } = await new Resend(sender.jwt).emails.send({ from: sender.address, to: 'far@elsewhere.test', subject: 'env', text: 'x' });
      expect(error).toBeNull();
      expect(data!.id).toMatch(/^em_/);
    } finally {
      if (previous === undefined) delete process.env.RESEND_BASE_URL;
      else process.env.RESEND_BASE_URL = previous;
    }
  });

  it('sends a batch, strict and permissive', async () => {
    const sender = await newAddress('sdk-batch');
    const a = await newAddress('sdk-batch-a');
    const b = await newAddress('sdk-batch-b');
    const resend = client(sender.jwt);
    const ok = await resend.batch.send([
      { from: sender.address, to: a.address, subject: 'A', text: 'for a' },
      { from: sender.address, to: b.address, subject: 'B', html: '<p>for b</p>' },
    ]);
    expect(ok.error).toBeNull();
    expect(ok.data!.data).toHaveLength(2);
    expect(new TextDecoder().decode((await received(a.jwt)).raw)).toContain('Subject: A');
    expect(new TextDecoder().decode((await received(b.jwt)).raw)).toContain('Subject: B');

    const strict = await resend.batch.send([
      { from: sender.address, to: a.address, subject: 'A2', text: 'x' },
      { from: 'not an address', to: a.address, subject: 'bad', text: 'x' },
    ]);
    expect(strict.data).toBeNull();
    expect(strict.error).toMatchObject({ statusCode: 422, name: 'invalid_from_address' });

    const permissive = await resend.batch.send(
      [
        { from: sender.address, to: a.address, subject: 'A3', text: 'x' },
        { from: sender.address, to: 'broken', subject: 'bad', text: 'x' },
      ],
      { batchValidation: 'permissive' },
    );
    expect(permissive.error).toBeNull();
    expect(permissive.data!.data).toHaveLength(1);
    expect(permissive.data!.errors).toEqual([{ index: 1, message: expect.stringContaining('Invalid `to` field') }]);
    // A2 never went; A3 did.
    await received(a.jwt, 2);
    const inbox = await api('/api/parsed_mails', a.jwt);
    expect(inbox.results.map((m: { subject: string }) => m.subject).sort()).toEqual(['A', 'A3']);
  });

  it('lists, gets, reschedules ("in 1 hour", then "tomorrow at 9am") and cancels', async () => {
    const sender = await newAddress('sdk-manage');
    const resend = client(sender.jwt);
    const ids: string[] = [];
    for (const subject of ['first', 'second', 'third']) {
      const { data } = await resend.emails.send({ from: sender.address, to: 'later@elsewhere.test', subject, text: 'x', scheduledAt: 'in 1 hour' });
      ids.push(data!.id);
    }
    const page = await resend.emails.list({ limit: 2 });
    expect(page.error).toBeNull();
    expect(page.data).toMatchObject({ object: 'list', has_more: true });
    expect(page.data!.data.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    const rest = await resend.emails.list({ limit: 2, after: ids[1] });
    expect(rest.data!.data.map((e) => e.id)).toEqual([ids[0]]);
    expect(rest.data!.has_more).toBe(false);

    const got = await resend.emails.get(ids[0]!);
    expect(got.data).toMatchObject({ id: ids[0], last_event: 'scheduled', subject: 'first' });
    const updated = await resend.emails.update({ id: ids[0]!, scheduledAt: 'tomorrow at 9am' });
    expect(updated).toMatchObject({ data: { object: 'email', id: ids[0] }, error: null });
    const at = new Date((await resend.emails.get(ids[0]!)).data!.scheduled_at!);
    expect([at.getUTCHours(), at.getUTCMinutes()]).toEqual([9, 0]);

    const cancelled = await resend.emails.cancel(ids[0]!);
    expect(cancelled).toMatchObject({ data: { object: 'email', id: ids[0] }, error: null });
    expect((await resend.emails.get(ids[0]!)).data!.last_event).toBe('canceled');
    const again = await resend.emails.cancel(ids[0]!);
    expect(again.error).toMatchObject({ statusCode: 422, name: 'validation_error' });
  });

  it('replays an idempotent send, and refuses the key with another payload or while the first is running', async () => {
    const sender = await newAddress('sdk-idem');
    const rcpt = await newAddress('sdk-idem-rcpt');
    const resend = client(sender.jwt);
    const payload = { from: sender.address, to: rcpt.address, subject: 'once', text: 'only once' };
    const first = await resend.emails.send(payload, { idempotencyKey: 'welcome-user/42' });
    const second = await resend.emails.send(payload, { idempotencyKey: 'welcome-user/42' });
    expect(second.data).toEqual(first.data);
    expect(second.headers!['idempotency-replayed']).toBe('true');
    const other = await resend.emails.send({ ...payload, subject: 'twice?' }, { idempotencyKey: 'welcome-user/42' });
    expect(other).toMatchObject({ data: null, error: { statusCode: 409, name: 'invalid_idempotent_request' } });
    const tooLong = await resend.emails.send(payload, { idempotencyKey: 'x'.repeat(300) });
    expect(tooLong.error).toMatchObject({ statusCode: 400, name: 'invalid_idempotency_key' });

    // The first request holds its key while the Worker fetches an attachment the test keeps back.
    const held = `idem-${Date.now()}`;
    const slow = { ...payload, subject: 'slow', attachments: [{ path: `${files()}/held/${held}`, filename: 'slow.txt' }] };
    const running = resend.emails.send(slow, { idempotencyKey: 'slow-key' });
    // Once the file is being fetched, the first request has its key.
    for (let i = 0; i < 100 && !((await (await fetch(`${files()}/_requests`)).json()) as string[]).includes(`/held/${held}`); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const concurrent = await resend.emails.send(slow, { idempotencyKey: 'slow-key' });
    expect(concurrent.error).toMatchObject({ statusCode: 409, name: 'concurrent_idempotent_requests' });
    expect(concurrent.headers!['retry-after']).toBe('1');
    await fetch(`${files()}/_release?name=${held}`);
    const done = await running;
    expect(done.error).toBeNull();
    expect((await resend.emails.send(slow, { idempotencyKey: 'slow-key' })).data).toEqual(done.data);
    await received(rcpt.jwt, 2);
    expect((await api('/api/mails', rcpt.jwt)).count).toBe(2);
  });

  it('lists and gets domains with an admin key', async () => {
    const resend = client(await adminKey());
    const list = await resend.domains.list();
    expect(list.error).toBeNull();
    expect(list.data!.data).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'example.com', name: 'example.com', status: 'verified' })]));
    const one = await resend.domains.get('example.com');
    expect(one.data).toMatchObject({ object: 'domain', name: 'example.com' });
    expect(one.data!.records.some((r) => r.record === 'SPF')).toBe(true);
  });
});

describe('errors as the resend SDK surfaces them', () => {
  it('names credential problems: missing_api_key, invalid_api_key, restricted_api_key', async () => {
    const sender = await newAddress('sdk-auth');
    const payload = { from: sender.address, to: 'x@elsewhere.test', subject: 's', text: 'x' };
    const missing = await client(sender.jwt).emails.send(payload, { headers: { Authorization: '' } });
    expect(missing).toMatchObject({ data: null, error: { statusCode: 401, name: 'missing_api_key' } });
    const invalid = await client('re_123456789').emails.send(payload);
    expect(invalid).toMatchObject({ data: null, error: { statusCode: 403, name: 'invalid_api_key' } });
    const restricted = await client(sender.jwt).domains.list();
    expect(restricted).toMatchObject({ data: null, error: { statusCode: 401, name: 'restricted_api_key' } });
  });

  it('names request problems: missing_required_field, invalid_from_address, validation_error, invalid_attachment', async () => {
    const sender = await newAddress('sdk-validation');
    const resend = client(sender.jwt);
    const base = { from: sender.address, to: 'x@elsewhere.test', subject: 's', text: 'x' };
    const noSubject = await resend.emails.send({ ...base, subject: undefined as unknown as string });
    expect(noSubject.error).toMatchObject({ statusCode: 422, name: 'missing_required_field', message: 'Missing `subject` field.' });
    expect((await resend.emails.send({ ...base, from: 'nobody' })).error).toMatchObject({ statusCode: 422, name: 'invalid_from_address' });
    expect((await resend.emails.send({ ...base, to: 'not-an-email' })).error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect((await resend.emails.send({ ...base, scheduledAt: 'at teatime' })).error).toMatchObject({ statusCode: 422, name: 'validation_error' });
    expect((await resend.emails.send({ ...base, from: 'someone@example.com' })).error).toMatchObject({ statusCode: 403, name: 'validation_error' });
    const noFile = await resend.emails.send({ ...base, attachments: [{ filename: 'x.txt' }] });
    expect(noFile.error).toMatchObject({ statusCode: 422, name: 'invalid_attachment' });
    const missingFile = await resend.emails.send({ ...base, attachments: [{ path: `${files()}/files/nope.pdf` }] });
    expect(missingFile.error).toMatchObject({ statusCode: 422, name: 'invalid_attachment', message: expect.stringContaining('HTTP 404') });
  });

  it('names routing problems: not_found and method_not_allowed', async () => {
    const sender = await newAddress('sdk-routing');
    const resend = client(sender.jwt);
    expect(await resend.emails.get('em_doesnotexist')).toMatchObject({ data: null, error: { statusCode: 404, name: 'not_found' } });
    expect((await resend.emails.cancel('em_doesnotexist')).error).toMatchObject({ statusCode: 404, name: 'not_found' });
    expect((await client(await adminKey()).domains.remove('example.com')).error).toMatchObject({ statusCode: 405, name: 'method_not_allowed' });
  });

  it('names the rate limit rate_limit_exceeded, with Resend\'s ratelimit headers', async () => {
    const sender = await newAddress('sdk-ratelimit');
    const resend = client(sender.jwt);
    // Writes are limited per key per minute (V1_RATE_WRITE_PER_MINUTE, 120 here); cancels are cheap writes.
    let last = await resend.emails.cancel('em_x');
    for (let i = 0; i < 130 && last.error?.name !== 'rate_limit_exceeded'; i++) last = await resend.emails.cancel('em_x');
    expect(last.error).toMatchObject({ statusCode: 429, name: 'rate_limit_exceeded' });
    expect(last.headers).toMatchObject({ 'ratelimit-limit': '120', 'ratelimit-remaining': '0' });
    expect(Number(last.headers!['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(last.headers!['ratelimit-reset'])).toBeLessThanOrEqual(60);
  });
});

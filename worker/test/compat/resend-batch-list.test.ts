/** The Resend door's batch (strict and permissive), list pagination and domains, in workerd. */
import { describe, expect, it } from 'vitest';
import { createAddress, json } from '../helpers';
import { adminKey } from '../v1/helpers';
import { activeAccount, signup } from '../accounts/helpers';
import { expectError, post, resend, sendOk, unique } from './resend-helpers';

const email = (from: string, over: Record<string, unknown> = {}) => ({ from, to: 'someone@far.test', subject: 'Hi', text: 'x', ...over });
const count = async (key: string) => (await json(await resend(key, '/emails?limit=100'))).data.length;

describe('Resend door: POST /emails/batch', () => {
  it('sends every email of a valid batch and answers { data: [{ id }] } in order', async () => {
    const sender = await createAddress(`rb-ok-${unique()}`);
    const res = await post(sender.jwt, '/emails/batch', [email(sender.address, { subject: 'one' }), email(sender.address, { subject: 'two', scheduled_at: 'in 1 hour' })]);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body)).toEqual(['data']);
    expect(body.data).toHaveLength(2);
    const subjects = await Promise.all(body.data.map(async (d: { id: string }) => (await json(await resend(sender.jwt, `/emails/${d.id}`))).subject));
    expect(subjects).toEqual(['one', 'two']);
  });

  it('strict (the default): one invalid email refuses the batch with that email\'s error, and sends nothing', async () => {
    const sender = await createAddress(`rb-strict-${unique()}`);
    const batch = [email(sender.address), email(sender.address, { subject: undefined }), email('bad from')];
    await expectError(await post(sender.jwt, '/emails/batch', batch), 422, 'missing_required_field', /^emails\[1\]: Missing `subject` field\.$/);
    await expectError(await post(sender.jwt, '/emails/batch', batch, { 'x-batch-validation': 'strict' }), 422, 'missing_required_field');
    // A rule of the sending service (sender) decides too.
    await expectError(await post(sender.jwt, '/emails/batch', [email(sender.address), email('other@example.com')]), 403, 'validation_error', /^emails\[1\]: /);
    expect(await count(sender.jwt)).toBe(0);
  });

  it('permissive: sends the valid emails and lists the others by index', async () => {
    const sender = await createAddress(`rb-perm-${unique()}`);
    const res = await post(
      sender.jwt,
      '/emails/batch',
      [email(sender.address), email(sender.address, { to: 'nope' }), email(sender.address, { subject: 'ok too' }), email('other@example.com')],
      { 'x-batch-validation': 'permissive' },
    );
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.data).toHaveLength(2);
    expect(body.errors).toEqual([
      { index: 1, message: expect.stringMatching(/Invalid `to` field/) },
      { index: 3, message: expect.stringMatching(/may only send as/) },
    ]);
    expect(await count(sender.jwt)).toBe(2);
    // Nothing valid: still 200, every email listed.
    const none = await post(sender.jwt, '/emails/batch', [email('x'), email(sender.address, { text: undefined })], { 'x-batch-validation': 'permissive' });
    expect(none.status).toBe(200);
    expect(await json(none)).toEqual({ data: [], errors: [expect.objectContaining({ index: 0 }), expect.objectContaining({ index: 1 })] });
  });

  it('refuses a body that is not an array of 1 to 100 emails, and an unknown validation mode', async () => {
    const sender = await createAddress(`rb-shape-${unique()}`);
    await expectError(await post(sender.jwt, '/emails/batch', email(sender.address)), 422, 'validation_error', /array of 1 to 100/);
    await expectError(await post(sender.jwt, '/emails/batch', []), 422, 'validation_error');
    await expectError(await post(sender.jwt, '/emails/batch', Array.from({ length: 101 }, () => email(sender.address))), 422, 'validation_error');
    await expectError(await post(sender.jwt, '/emails/batch', [email(sender.address)], { 'x-batch-validation': 'lenient' }), 422, 'validation_error', /x-batch-validation/);
  });

  it('replays a batch with the same Idempotency-Key and refuses it with another body', async () => {
    const sender = await createAddress(`rb-idem-${unique()}`);
    const batch = [email(sender.address), email(sender.address)];
    const first = await json(await post(sender.jwt, '/emails/batch', batch, { 'Idempotency-Key': 'batch-1' }));
    const again = await post(sender.jwt, '/emails/batch', batch, { 'Idempotency-Key': 'batch-1' });
    expect(await json(again)).toEqual(first);
    await expectError(await post(sender.jwt, '/emails/batch', [email(sender.address)], { 'Idempotency-Key': 'batch-1' }), 409, 'invalid_idempotent_request');
    expect(await count(sender.jwt)).toBe(2);
  });
});

describe('Resend door: GET /emails', () => {
  it('lists newest first with has_more, paging on with after and back with before', async () => {
    const sender = await createAddress(`rl-${unique()}`);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await sendOk(sender.jwt, email(sender.address, { subject: `n${i}`, scheduled_at: 'in 1 hour' })));
    const newest = [...ids].reverse();
    const first = await json(await resend(sender.jwt, '/emails?limit=2'));
    expect(first).toMatchObject({ object: 'list', has_more: true });
    expect(first.data.map((e: { id: string }) => e.id)).toEqual(newest.slice(0, 2));
    expect(first.data[0]).toMatchObject({ subject: 'n4', to: ['someone@far.test'], last_event: 'scheduled', from: sender.address });
    expect(first.data[0]).not.toHaveProperty('html');
    const second = await json(await resend(sender.jwt, `/emails?limit=2&after=${newest[1]}`));
    expect(second.data.map((e: { id: string }) => e.id)).toEqual(newest.slice(2, 4));
    expect(second.has_more).toBe(true);
    const last = await json(await resend(sender.jwt, `/emails?limit=2&after=${newest[3]}`));
    expect(last).toMatchObject({ has_more: false, data: [expect.objectContaining({ id: newest[4] })] });
    const back = await json(await resend(sender.jwt, `/emails?limit=2&before=${newest[4]}`));
    expect(back.data.map((e: { id: string }) => e.id)).toEqual(newest.slice(2, 4));
    expect(back.has_more).toBe(true);
    const top = await json(await resend(sender.jwt, `/emails?limit=2&before=${newest[2]}`));
    expect(top).toMatchObject({ has_more: false });
    expect(top.data.map((e: { id: string }) => e.id)).toEqual(newest.slice(0, 2));
    expect((await json(await resend(sender.jwt, '/emails'))).data).toHaveLength(5);
  });

  it('refuses a limit outside 1 to 100 and both cursors at once', async () => {
    const sender = await createAddress(`rl-bad-${unique()}`);
    for (const q of ['limit=0', 'limit=101', 'limit=abc']) await expectError(await resend(sender.jwt, `/emails?${q}`), 422, 'validation_error', /`limit`/);
    await expectError(await resend(sender.jwt, '/emails?after=a&before=b'), 422, 'validation_error', /either `after` or `before`/);
  });
});

describe('Resend door: domains', () => {
  it('lists the domains an admin sees as Resend domain objects, and gives one with its records', async () => {
    const admin = await adminKey();
    const list = await json(await resend(admin, '/domains'));
    expect(list).toMatchObject({ object: 'list', has_more: false });
    expect(list.data).toEqual(
      expect.arrayContaining([
        { id: 'example.com', name: 'example.com', status: 'verified', created_at: expect.any(String), region: 'global', capabilities: { sending: 'enabled', receiving: 'enabled' } },
      ]),
    );
    const one = await json(await resend(admin, '/domains/EXAMPLE.com'));
    expect(one).toMatchObject({ object: 'domain', id: 'example.com', status: 'verified' });
    expect(one.records.map((r: { record: string; type: string }) => `${r.record}/${r.type}`)).toEqual(['Receiving/MX', 'Receiving/MX', 'Receiving/MX', 'SPF/TXT']);
    expect(one.records[0]).toMatchObject({ name: 'example.com', value: 'route1.mx.cloudflare.net', priority: 13, ttl: 'Auto', status: 'not_started' });
    await expectError(await resend(admin, '/domains/nowhere.test'), 404, 'not_found');
  });

  it('shows a user the domains they hold a permission on, pending ones as pending, with DKIM once approved', async () => {
    const pending = await signup(`pend-${unique()}.test`);
    const mine = await json(await resend(pending.token, '/domains'));
    expect(mine.data).toEqual([expect.objectContaining({ id: pending.domain, status: 'pending', capabilities: { sending: 'disabled', receiving: 'disabled' } })]);
    const active = await activeAccount(`act-${unique()}.test`);
    const domain = await json(await resend(active.token, `/domains/${active.domain}`));
    expect(domain.status).toBe('verified');
    expect(domain.records.find((r: { record: string }) => r.record === 'DKIM')).toMatchObject({ type: 'TXT', value: expect.stringMatching(/^v=DKIM1; k=rsa; p=/) });
    await expectError(await resend(active.token, `/domains/${pending.domain}`), 404, 'not_found');
  });

  it('pages domains with limit and after', async () => {
    const admin = await adminKey();
    const all = (await json(await resend(admin, '/domains?limit=100'))).data.map((d: { id: string }) => d.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await json(await resend(admin, '/domains?limit=1'));
    expect(first).toMatchObject({ has_more: true, data: [expect.objectContaining({ id: all[0] })] });
    const next = await json(await resend(admin, `/domains?limit=1&after=${all[0]}`));
    expect(next.data[0].id).toBe(all[1]);
    const back = await json(await resend(admin, `/domains?limit=1&before=${all[1]}`));
    expect(back).toMatchObject({ has_more: false, data: [expect.objectContaining({ id: all[0] })] });
  });
});

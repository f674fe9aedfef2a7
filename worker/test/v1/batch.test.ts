import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, json } from '../helpers';
import { v1 } from './helpers';
import { settled } from './sending';

const batch = (jwt: string, body: unknown, mode?: 'strict' | 'permissive', path = '/emails/batch') =>
  v1(jwt, path, { method: 'POST', headers: mode ? { 'x-batch-validation': mode } : {}, body: JSON.stringify(body) });

async function inbox(jwt: string) {
  const list = (await json(await call('/api/parsed_mails?limit=50', { headers: bearer(jwt) }))).results as any[];
  return Promise.all(list.map(async (m) => json(await call(`/api/parsed_mail/${m.id}`, { headers: bearer(jwt) }))));
}

describe('POST /api/v1/emails/batch', () => {
  it('queues up to 100 messages in one request and answers each id, with meta.total', async () => {
    const sender = await createAddress('batch-many');
    const rcpt = await createAddress('batch-many-rcpt');
    const items = Array.from({ length: 100 }, (_, i) => ({ to: 'batch-many-rcpt@example.com', subject: `item ${i}`, text: `body ${i}` }));
    const res = await batch(sender.jwt, items);
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.meta.total).toBe(100);
    expect(body.errors).toEqual([]);
    expect(body.data[0]).toMatchObject({ index: 0, to: 'batch-many-rcpt@example.com', status: 'queued' });
    expect(new Set(body.data.map((d: any) => d.id)).size).toBe(100);
    await settled(sender.jwt, body.data[99].id, 60_000);
    await settled(sender.jwt, body.data[0].id, 60_000);
    const count = async () => (await json(await call('/api/parsed_mails?limit=1', { headers: bearer(rcpt.jwt) }))).count;
    for (let i = 0; i < 100 && (await count()) < 100; i++) await new Promise((r) => setTimeout(r, 300));
    expect(await count()).toBe(100);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(900);
    const tooMany = await batch(sender.jwt, [...items, items[0]]);
    expect(tooMany.status).toBe(400);
  });

  it('strict (the default): one invalid item rejects the whole batch and lists each item\'s error', async () => {
    const sender = await createAddress('batch-strict');
    const res = await batch(sender.jwt, {
      emails: [
        { to: 'a@far.test', subject: 'ok', text: 'x' },
        { to: 'not-an-address', subject: 'bad', text: 'x' },
        { from: 'someone-else@example.com', to: 'a@far.test', subject: 'impostor', text: 'x' },
      ],
    });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('validation_failed');
    expect(error.errors).toEqual([
      expect.objectContaining({ index: 1, code: 'validation_failed', param: 'to' }),
      expect.objectContaining({ index: 2, code: 'sender_not_allowed', param: 'from' }),
    ]);
    expect((await json(await v1(sender.jwt, '/emails'))).data).toEqual([]);
  });

  it('permissive: valid items are queued, invalid ones listed with their index', async () => {
    const sender = await createAddress('batch-loose');
    await createAddress('batch-loose-rcpt');
    const res = await batch(
      sender.jwt,
      [
        { to: 'nobody', subject: 'bad', text: 'x' },
        { to: 'batch-loose-rcpt@example.com', subject: 'good', text: 'x' },
        { to: 'batch-loose-rcpt@example.com', subject: 'no body' },
      ],
      'permissive',
      '/emails/send/batch',
    );
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.data.map((d: any) => d.index)).toEqual([1]);
    expect(body.errors.map((e: any) => [e.index, e.code])).toEqual([
      [0, 'validation_failed'],
      [2, 'validation_failed'],
    ]);
    expect(body.meta.total).toBe(1);
    expect((await settled(sender.jwt, body.data[0].id)).status).toBe('delivered');
  });

  it('fills a template per recipient, HTML-escaping variables in html only; a missing variable is an item error', async () => {
    const sender = await createAddress('batch-tpl');
    const ann = await createAddress('batch-tpl-ann');
    const ben = await createAddress('batch-tpl-ben');
    const template = {
      subject: 'Hello {{name}}',
      html: '<p>Hi {{ name }}, your code is <b>{{code}}</b></p>',
      text: 'Hi {{name}}, your code is {{code}}',
      recipients: [
        { to: 'batch-tpl-ann@example.com', variables: { name: 'Ann <admin>', code: 1234 } },
        { to: { email: 'batch-tpl-ben@example.com', name: 'Ben' }, variables: { name: 'Ben & Co', code: 'x"y' } },
        { to: 'batch-tpl-cy@example.com', variables: { name: 'Cy' } },
      ],
    };
    const strict = await batch(sender.jwt, template);
    expect(strict.status).toBe(400);
    expect((await json(strict)).error.errors).toEqual([expect.objectContaining({ index: 2, param: 'recipients.2.variables' })]);
    const res = await batch(sender.jwt, template, 'permissive');
    expect(res.status).toBe(202);
    const body = await json(res);
    expect(body.data.map((d: any) => d.to)).toEqual(['batch-tpl-ann@example.com', 'batch-tpl-ben@example.com']);
    for (const d of body.data) await settled(sender.jwt, d.id);
    const [annMail] = await inbox(ann.jwt);
    expect(annMail.subject).toBe('Hello Ann <admin>');
    expect(annMail.text.trim()).toBe('Hi Ann <admin>, your code is 1234');
    expect(annMail.html).toContain('<p>Hi Ann &#60;admin&#62;, your code is <b>1234</b></p>');
    const [benMail] = await inbox(ben.jwt);
    expect(benMail.to).toEqual([{ name: 'Ben', address: 'batch-tpl-ben@example.com' }]);
    expect(benMail.html).toContain('Ben &#38; Co');
    expect(benMail.html).toContain('x&#34;y');
  });

  it('counts as one request for the API rate limit, but every message spends balance and per-address rate', async () => {
    const sender = await createAddress('batch-rate');
    const items = Array.from({ length: 3 }, () => ({ to: 'x@far.test', subject: 's', text: 'x' }));
    const res = await batch(sender.jwt, items);
    expect(res.status).toBe(202);
    const before = Number(res.headers.get('x-ratelimit-remaining'));
    const next = await batch(sender.jwt, items);
    expect(Number(next.headers.get('x-ratelimit-remaining'))).toBe(before - 1);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(994);
  });

  it('refuses a batch larger than the remaining send balance whole: 403, nothing queued, nothing spent', async () => {
    const sender = await createAddress('batch-broke');
    const granted = await call(`/admin/addresses/${sender.address_id}/send_balance`, { method: 'PUT', headers: admin, body: JSON.stringify({ balance: 2 }) });
    expect(granted.status).toBe(200);
    const items = Array.from({ length: 3 }, (_, i) => ({ to: 'x@far.test', subject: `s${i}`, text: 'x' }));
    const res = await batch(sender.jwt, items);
    expect(res.status).toBe(403);
    expect((await json(res)).error.code).toBe('send_quota_exhausted');
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }))).send_balance).toBe(2);
    expect((await json(await v1(sender.jwt, '/emails'))).data).toEqual([]);
    expect((await batch(sender.jwt, items.slice(0, 2))).status).toBe(202);
  });

  it('refuses an unknown x-batch-validation value', async () => {
    const sender = await createAddress('batch-mode');
    const res = await v1(sender.jwt, '/emails/batch', { method: 'POST', headers: { 'x-batch-validation': 'lenient' }, body: JSON.stringify([{ to: 'x@far.test', subject: 's', text: 'x' }]) });
    expect(res.status).toBe(400);
  });
});

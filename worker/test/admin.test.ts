import { describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliverFixture, envWith, fixture, json, testEnv } from './helpers';

const importTo = (to: string, body: BodyInit, headers: Record<string, string> = admin, e?: Env) =>
  call(`/admin/mails/import?to=${encodeURIComponent(to)}`, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/octet-stream' } }, e);

const mboxOf = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => `From s@sender.test Mon Mar  2 10:00:00 2026\nFrom: s@sender.test\nSubject: ${tag} ${i}\nMessage-ID: <${tag}-${i}@sender.test>\n\nBody ${i}\n`).join('\n');

describe('admin authentication', () => {
  it('refuses a missing or wrong x-admin-auth with 401 on every admin route', async () => {
    for (const headers of [{}, { 'x-admin-auth': 'wrong' }] as Record<string, string>[]) {
      for (const [method, path] of [['GET', '/admin/addresses'], ['DELETE', '/admin/addresses/1'], ['GET', '/admin/mails?address=a@example.com'], ['POST', '/admin/mails/import?to=a@example.com']] as const) {
        const res = await call(path, { method, headers });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect((await json(res)).error.code).toBe('unauthorized');
      }
    }
  });

  it('takes a passphrase with spaces as one password, not one password per word', async () => {
    const e = envWith({ ADMIN_PASSWORDS: 'correct horse battery staple' });
    const as = (password: string) => call('/admin/addresses', { headers: { 'x-admin-auth': password, 'cf-connecting-ip': '192.0.2.77' } }, e);
    expect((await as('correct horse battery staple')).status).toBe(200);
    expect((await as('horse')).status).toBe(401);
  });

  it('refuses an address JWT on admin routes', async () => {
    const { jwt } = await createAddress('notadmin');
    expect((await call('/admin/addresses', { headers: bearer(jwt) })).status).toBe(401);
  });
});

describe('admin addresses', () => {
  it('lists and searches addresses with message counts', async () => {
    await createAddress('search-alpha');
    await createAddress('search-beta');
    await deliverFixture('no-message-id.eml', 'search-alpha@example.com');
    const all = await json(await call('/admin/addresses?query=search-', { headers: admin }));
    expect(all.count).toBe(2);
    expect(all.results.map((a: any) => [a.address, a.mail_count])).toEqual([
      ['search-beta@example.com', 0],
      ['search-alpha@example.com', 1],
    ]);
    const one = await json(await call('/admin/addresses?query=ALPHA', { headers: admin }));
    expect(one.results.map((a: any) => a.address)).toEqual(['search-alpha@example.com']);
    // LIKE wildcards are literal in a search.
    expect((await json(await call('/admin/addresses?query=search%25', { headers: admin }))).count).toBe(0);
  });

  it('deletes an address with all its mail and R2 objects', async () => {
    const { address_id } = await createAddress('doomed');
    await deliverFixture('attachments.eml', 'doomed@example.com', { ...testEnv, BLOB_THRESHOLD_BYTES: '1024' });
    expect((await testEnv.BLOBS.list({ prefix: `mail/${address_id}/` })).objects.length).toBeGreaterThan(0);
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    expect((await testEnv.BLOBS.list({ prefix: `mail/${address_id}/` })).objects).toEqual([]);
    const rows = await testEnv.DB.prepare('SELECT count(*) AS n FROM mails WHERE address_id = ?').bind(address_id).first<{ n: number }>();
    expect(rows?.n).toBe(0);
    const attachments = await testEnv.DB.prepare('SELECT count(*) AS n FROM attachments').first<{ n: number }>();
    expect(attachments?.n).toBe(0);
    expect((await call(`/admin/addresses/${address_id}`, { method: 'DELETE', headers: admin })).status).toBe(404);
  });

  it('reads any mailbox, raw and parsed', async () => {
    await createAddress('watched');
    await deliverFixture('multipart-alternative.eml', 'watched@example.com');
    const raw = await json(await call('/admin/mails?address=watched@example.com', { headers: admin }));
    expect(raw.count).toBe(1);
    expect(raw.results[0].raw).toContain('482913');
    const parsed = await json(await call('/admin/parsed_mails?address=watched@example.com', { headers: admin }));
    expect(parsed.results[0].subject).toBe('Your verification code');
    const missing = await call('/admin/mails?address=ghost@example.com', { headers: admin });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('mailbox_not_found');
  });

  it('issues a token for an address, and rotation revokes the old ones', async () => {
    const { address_id, jwt: original } = await createAddress('tokened');
    const issued = await json(await call(`/admin/addresses/${address_id}/token`, { method: 'POST', headers: admin }));
    expect((await call('/api/settings', { headers: bearer(issued.jwt) })).status).toBe(200);
    expect((await call('/api/settings', { headers: bearer(original) })).status).toBe(200);
    const rotated = await json(await call(`/admin/addresses/${address_id}/rotate_token`, { method: 'POST', headers: admin }));
    expect((await call('/api/settings', { headers: bearer(original) })).status).toBe(401);
    expect((await call('/api/settings', { headers: bearer(issued.jwt) })).status).toBe(401);
    expect((await call('/api/settings', { headers: bearer(rotated.jwt) })).status).toBe(200);
  });
});

describe('POST /admin/mails/import', () => {
  it('refuses an mbox of more than IMPORT_MAX_MESSAGES messages whole (413, nothing stored), and says its limits on GET', async () => {
    const e = envWith({ IMPORT_MAX_MESSAGES: '3' });
    const { jwt } = await createAddress('imp-cap', undefined, e);
    const tooMany = await importTo('imp-cap@example.com', mboxOf(4, 'cap'), admin, e);
    expect(tooMany.status).toBe(413);
    const { error } = await json(tooMany);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain('holds 4 messages; one request imports at most 3 (IMPORT_MAX_MESSAGES)');
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }, e))).count).toBe(0);

    const fits = await json(await importTo('imp-cap@example.com', mboxOf(3, 'cap'), admin, e));
    expect(fits).toMatchObject({ imported: 3, duplicates: 0, failed: [] });

    const limits = await call('/admin/mails/import', { headers: admin }, e);
    expect(await json(limits)).toEqual({ ok: true, max_messages: 3, max_message_bytes: 26214400, max_bytes: 100 * 1024 * 1024 });
    expect((await call('/admin/mails/import')).status).toBe(401);
  });

  it('stores one raw message through the ingest path, byte for byte', async () => {
    const { jwt } = await createAddress('imp');
    const res = await importTo('imp@example.com', fixture('attachments.eml'));
    expect(res.status).toBe(200);
    const report = await json(res);
    expect(report).toMatchObject({ ok: true, imported: 1, duplicates: 0, failed: [] });
    const raw = await call(`/api/mails/${report.mail_ids[0]}/raw`, { headers: bearer(jwt) });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(fixture('attachments.eml'));
  });

  it('imports an mbox file, undoing >From quoting, and skips what is already there', async () => {
    const { jwt } = await createAddress('mbox');
    const mbox = [
      'From alice@sender.test Mon Mar  2 10:00:00 2026',
      'From: alice@sender.test',
      'Subject: first',
      'Message-ID: <m1@sender.test>',
      '',
      'Hello',
      '>From the start, this line was quoted.',
      '',
      'From bob@sender.test Mon Mar  2 11:00:00 2026',
      'From: bob@sender.test',
      'Subject: second',
      'Message-ID: <m2@sender.test>',
      '',
      'Second body',
      '',
    ].join('\n');
    const first = await json(await importTo('mbox@example.com', mbox));
    expect(first).toMatchObject({ imported: 2, duplicates: 0 });
    const again = await json(await importTo('mbox@example.com', mbox));
    expect(again).toMatchObject({ imported: 0, duplicates: 2 });
    const { results } = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    expect(results.map((m: any) => m.subject)).toEqual(['second', 'first']);
    const firstMail = await json(await call(`/api/parsed_mail/${results[1].id}`, { headers: bearer(jwt) }));
    expect(firstMail.text).toBe('Hello\nFrom the start, this line was quoted.\n');
  });

  it('answers 413 for a message over MAX_MESSAGE_BYTES and 404 for an unknown mailbox', async () => {
    await createAddress('limit');
    const big = `Subject: big\r\n\r\n${'x'.repeat(27 * 1024 * 1024)}`;
    const tooBig = await importTo('limit@example.com', big);
    expect(tooBig.status).toBe(413);
    expect((await json(tooBig)).error.code).toBe('payload_too_large');
    const unknown = await importTo('nobody@example.com', fixture('no-message-id.eml'));
    expect(unknown.status).toBe(404);
  });

  it('refuses an empty body and a bad recipient with 400', async () => {
    expect((await importTo('imp@example.com', '')).status).toBe(400);
    const res = await importTo('not-an-address', fixture('no-message-id.eml'));
    expect(res.status).toBe(400);
    expect((await json(res)).error.param).toBe('to');
  });
});

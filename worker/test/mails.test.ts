import { describe, expect, it } from 'vitest';
import { bearer, call, createAddress, deliver, deliverFixture, fixture, json, TestEmailMessage, testEnv } from './helpers';

function numbered(i: number) {
  return new TextEncoder().encode(
    `From: sender@sender.test\r\nTo: page@example.com\r\nSubject: Message ${i}\r\nMessage-ID: <page-${i}@sender.test>\r\n\r\nBody ${i}\r\n`,
  );
}

describe('reading mail', () => {
  it('lists raw sources in the compatibility shape, newest first', async () => {
    const { jwt } = await createAddress('compat');
    await deliverFixture('no-message-id.eml', 'compat@example.com');
    await deliverFixture('multipart-alternative.eml', 'compat@example.com');
    const res = await call('/api/mails?limit=10&offset=0', { headers: bearer(jwt) });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body.count).toBe(2);
    expect(Object.keys(body.results[0]).sort()).toEqual(['address', 'created_at', 'id', 'message_id', 'raw', 'source', 'subject']);
    expect(body.results[0]).toMatchObject({ message_id: '<alt-1@sender.test>', source: 'alice@sender.test', address: 'compat@example.com' });
    expect(body.results[0].raw).toContain('Subject: Your verification code');
    expect(body.results[1].raw).toBe(new TextDecoder().decode(fixture('no-message-id.eml')));
    expect(body.results[0].created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('pages with limit and offset and keeps count from the mailbox counter', async () => {
    const { jwt } = await createAddress('page');
    for (let i = 1; i <= 7; i++) await deliver(new TestEmailMessage('s@sender.test', 'page@example.com', numbered(i)));
    const page = async (limit: number, offset: number) =>
      json(await call(`/api/parsed_mails?limit=${limit}&offset=${offset}`, { headers: bearer(jwt) }));
    const first = await page(3, 0);
    const second = await page(3, 3);
    const last = await page(3, 6);
    expect(first.count).toBe(7);
    expect([...first.results, ...second.results, ...last.results].map((m: any) => m.subject)).toEqual(
      [7, 6, 5, 4, 3, 2, 1].map((i) => `Message ${i}`),
    );
    expect((await page(3, 9)).results).toEqual([]);
    const settings = await json(await call('/api/settings', { headers: bearer(jwt) }));
    expect(settings.mail_count).toBe(7);
  });

  it('rejects out-of-range paging with 400 validation_failed naming the field', async () => {
    const { jwt } = await createAddress('badpage');
    for (const query of ['limit=0', 'limit=101', 'offset=-1', 'limit=abc']) {
      const res = await call(`/api/mails?${query}`, { headers: bearer(jwt) });
      expect(res.status, query).toBe(400);
      const body = await json(res);
      expect(body.error.code).toBe('validation_failed');
      expect(['limit', 'offset']).toContain(body.error.param);
    }
  });

  it('returns one message raw (/api/mail/:id) and parsed, and reading marks it seen', async () => {
    const { jwt } = await createAddress('single');
    await deliverFixture('multipart-alternative.eml', 'single@example.com');
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    expect(summary.seen).toBe(false);
    const raw = await json(await call(`/api/mail/${summary.id}`, { headers: bearer(jwt) }));
    expect(raw.raw).toBe(new TextDecoder().decode(fixture('multipart-alternative.eml')));
    const parsed = await json(await call(`/api/parsed_mail/${summary.id}`, { headers: bearer(jwt) }));
    expect(parsed.seen).toBe(true);
    const [after] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    expect(after.seen).toBe(true);
  });

  it('downloads attachments byte for byte with a safe Content-Disposition', async () => {
    const { jwt } = await createAddress('dl');
    await deliverFixture('attachments.eml', 'dl@example.com');
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const png = await call(`/api/mails/${summary.id}/attachments/0`, { headers: bearer(jwt) });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await png.arrayBuffer())).toEqual(fixture('attachments.chart.png.bin'));
    const pdf = await call(`/api/mails/${summary.id}/attachments/1`, { headers: bearer(jwt) });
    expect(pdf.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf; filename="r_sum_.pdf"`);
    expect(pdf.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(fixture('attachments.resume.pdf.bin'));
    const missing = await call(`/api/mails/${summary.id}/attachments/9`, { headers: bearer(jwt) });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('attachment_not_found');
  });

  it('downloads the raw message byte for byte, 8-bit bytes included', async () => {
    const { jwt } = await createAddress('rawdl');
    await deliverFixture('iso-8859-1.eml', 'rawdl@example.com');
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const res = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(res.headers.get('content-type')).toBe('message/rfc822');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(fixture('iso-8859-1.eml'));
  });

  it('keeps raw bytes above BLOB_THRESHOLD_BYTES in R2 and below it in D1, identically', async () => {
    const { jwt, address_id } = await createAddress('thresh');
    await deliverFixture('attachments.eml', 'thresh@example.com', { ...testEnv, BLOB_THRESHOLD_BYTES: '1024' });
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const keys = (await testEnv.BLOBS.list({ prefix: `mail/${address_id}/` })).objects.map((o) => o.key.split('/').pop());
    expect(keys.sort()).toEqual(['att-0', 'att-1', 'raw.eml']);
    const raw = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(fixture('attachments.eml'));
    const csv = await call(`/api/mails/${summary.id}/attachments/2`, { headers: bearer(jwt) });
    // Text parts come out with LF line endings, as postal-mime decodes them; the raw keeps the CRLFs.
    expect(await csv.text()).toBe('id,value\n1,42\n');
  });

  it('deletes a message, its R2 objects and decrements the count', async () => {
    const { jwt, address_id } = await createAddress('del');
    await deliverFixture('attachments.eml', 'del@example.com', { ...testEnv, BLOB_THRESHOLD_BYTES: '1024' });
    await deliverFixture('no-message-id.eml', 'del@example.com');
    const { results } = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    const withAttachments = results.find((m: any) => m.has_attachments);
    const res = await call(`/api/mails/${withAttachments.id}`, { method: 'DELETE', headers: bearer(jwt) });
    expect(res.status).toBe(200);
    const after = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    expect(after.count).toBe(1);
    expect(after.results).toHaveLength(1);
    expect((await testEnv.BLOBS.list({ prefix: `mail/${address_id}/` })).objects).toEqual([]);
    expect((await call(`/api/mails/${withAttachments.id}`, { method: 'DELETE', headers: bearer(jwt) })).status).toBe(404);
  });

  it('lists a mailbox page through the (address_id, id) index, not a table scan', async () => {
    const plan = await testEnv.DB.prepare(
      'EXPLAIN QUERY PLAN SELECT id, subject FROM mails WHERE address_id = ? ORDER BY id DESC LIMIT 20 OFFSET 0',
    )
      .bind(1)
      .all<{ detail: string }>();
    const details = plan.results.map((r) => r.detail).join(' | ');
    expect(details).toContain('USING INDEX mails_address_id_idx');
    expect(details).not.toContain('TEMP B-TREE');
  });
});

import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { folderStatements, namedFolderStatements } from '../src/db/folders';
import { listStatements } from '../src/db/mails';
import { readAll, sha256Hex } from '../src/lib/bytes';
import { deliveryIdentity, withoutTraceFields } from '../src/services/delivery-identity';
import { parseMessage } from '../src/services/parse';
import { admin, bearer, call, createAddress, deliver, deliverFixture, envWith, fixture, json, searchIndexSettled, TestEmailMessage, testEnv } from './helpers';
import { adminKey, mailboxPath, v1 } from './v1/helpers';

const encode = (text: string) => Uint8Array.from(new TextEncoder().encode(text));
const streamOf = (bytes: Uint8Array, chunk = 1000) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += chunk) controller.enqueue(bytes.slice(i, i + chunk));
      controller.close();
    },
  });

describe('folder counters kept by triggers', () => {
  async function countersMatchRows() {
    const counted = await testEnv.DB.prepare(
      'select address_id, folder, count(*) as messages, sum(seen = 0) as unread, sum(raw_size) as size from mails group by address_id, folder order by address_id, folder',
    ).all();
    const kept = await testEnv.DB.prepare('select address_id, folder, messages, unread, size from folder_counts where messages > 0 order by address_id, folder').all();
    expect(kept.results).toEqual(counted.results);
  }

  it('match the rows through delivery, moves, flags, drafts, sent copies, trash, deletion and a deleted address', async () => {
    const key = await adminKey();
    const a = await createAddress('counts-a');
    const b = await createAddress('counts-b');
    for (const name of ['multipart-alternative.eml', 'attachments.eml', 'gb2312.eml']) await deliverFixture(name, a.address);
    await deliverFixture('iso-8859-1.eml', b.address);
    await countersMatchRows();

    const [first, second] = (await json(await v1(key, `${mailboxPath(a.address)}/messages`))).data;
    await v1(key, `${mailboxPath(a.address)}/messages/${first.uid}`, { method: 'PATCH', body: JSON.stringify({ flags: ['\\Seen'], folder: 'Junk' }) });
    await v1(key, `${mailboxPath(a.address)}/messages/${second.uid}`, { method: 'DELETE' });
    await countersMatchRows();
    await v1(key, `${mailboxPath(a.address)}/messages/${second.uid}`, { method: 'DELETE' });
    const draft = (await json(await v1(key, `${mailboxPath(a.address)}/drafts`, { method: 'POST', body: JSON.stringify({ to: ['x@example.org'], subject: 'd', text: 'short' }) }))).data;
    await v1(key, `${mailboxPath(a.address)}/drafts/${draft.uid}`, { method: 'PUT', body: JSON.stringify({ to: ['x@example.org'], subject: 'd', text: 'a much longer body this time' }) });
    await call('/api/send_mail', { method: 'POST', headers: bearer(a.jwt), body: JSON.stringify({ to_mail: b.address, subject: 'hi', content: 'x' }) });
    await countersMatchRows();

    const folders = (await json(await v1(key, `${mailboxPath(a.address)}/folders`))).data;
    expect(folders.find((f: any) => f.name === 'Junk')).toMatchObject({ messages: 1, unread: 0 });
    expect((await json(await v1(key, `${mailboxPath(a.address)}/messages?folder=INBOX`))).meta.total).toBe(1);
    expect((await json(await v1(key, `${mailboxPath(a.address)}/messages?folder=INBOX&unread=true`))).meta.total).toBe(1);

    expect((await call(`/admin/addresses/${b.address_id}`, { method: 'DELETE', headers: admin })).status).toBe(200);
    const left = await testEnv.DB.prepare('select count(*) as n from folder_counts where address_id = ?').bind(b.address_id).first<{ n: number }>();
    expect(left?.n).toBe(0);
    await countersMatchRows();
  });
});

describe('query plans of the hot reads', () => {
  const plan = async (query: { getQuery(): { sql: string; params: unknown[] } }) => {
    const { sql, params } = query.getQuery();
    const rows = await testEnv.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params.map(() => 1)).all<{ detail: string }>();
    return rows.results.map((r) => r.detail).join(' | ');
  };

  it('serve first pages from the mailbox indexes, newest first, without sorting', async () => {
    const db = createDb(testEnv.DB);
    for (const query of [listStatements(db).summaries, listStatements(db).withRaw]) {
      const details = await plan(query);
      expect(details).toContain('USING INDEX mails_address_id_idx (address_id=?)');
      expect(details).not.toContain('TEMP B-TREE');
    }
    // An admin's first page names the mailbox (a subquery on the unique address index): same plan.
    for (const query of [folderStatements(db).list, folderStatements(db).listBySeen, namedFolderStatements(db).list, namedFolderStatements(db).listBySeen]) {
      const details = await plan(query);
      expect(details).toContain('USING INDEX mails_address_folder_idx (address_id=? AND folder=? AND id<?)');
      expect(details).not.toContain('TEMP B-TREE');
    }
    const named = await plan(namedFolderStatements(db).list);
    expect(named).toContain('SEARCH addresses USING COVERING INDEX addresses_address_uq (address=?)');
  });

  it('read folder totals from one counter row, never by counting mail', async () => {
    const db = createDb(testEnv.DB);
    for (const query of [folderStatements(db).folderCount, namedFolderStatements(db).folderCount]) {
      const details = await plan(query);
      expect(details).toMatch(/^SEARCH folder_counts USING (PRIMARY KEY|INDEX sqlite_autoindex_folder_counts_1) \(address_id=\? AND folder=\?\)/);
      expect(details).not.toContain('SCAN');
    }
  });
});

describe('how delivered bytes are stored', () => {
  it('keeps UTF-8 raw sources as text and 8-bit ones as blobs in D1, both byte for byte', async () => {
    const { jwt, address } = await createAddress('storage-kind');
    await deliverFixture('multipart-alternative.eml', address); // UTF-8
    await deliverFixture('iso-8859-1.eml', address); // 8-bit Latin-1, not UTF-8
    const rows = await testEnv.DB.prepare(
      'select m.message_id as id, typeof(c.raw) as kind from mails m join mail_contents c on c.mail_id = m.id join addresses a on a.id = m.address_id where a.address = ? order by m.id',
    )
      .bind(address)
      .all<{ id: string; kind: string }>();
    expect(rows.results.map((r) => r.kind)).toEqual(['text', 'blob']);
    const { results } = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    const fixtures = { 'multipart-alternative.eml': results[1].id, 'iso-8859-1.eml': results[0].id };
    for (const [name, id] of Object.entries(fixtures)) {
      const res = await call(`/api/mails/${id}/raw`, { headers: bearer(jwt) });
      expect(await sha256Hex(new Uint8Array(await res.arrayBuffer())), name).toBe(await sha256Hex(fixture(name)));
    }
  });

  it('keeps a message that begins with a UTF-8 byte-order mark byte for byte, the mark included', async () => {
    const { jwt, address } = await createAddress('storage-bom');
    const raw = new Uint8Array([0xef, 0xbb, 0xbf, ...encode(`From: a@sender.test\r\nTo: ${address}\r\nSubject: bom\r\nMessage-ID: <bom@sender.test>\r\n\r\nbody\r\n`)]);
    await deliver(new TestEmailMessage('a@sender.test', address, raw));
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const res = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(raw);
  });

  it('answers a retried delivery of a message kept in R2 from D1, without uploading its bytes again', async () => {
    const { jwt, address } = await createAddress('storage-r2-retry');
    const puts: string[] = [];
    const counting = {
      put: (key: string, ...rest: unknown[]) => (puts.push(key), (testEnv.BLOBS.put as (...a: unknown[]) => Promise<unknown>)(key, ...rest)),
      get: (key: string) => testEnv.BLOBS.get(key),
      head: (key: string) => testEnv.BLOBS.head(key),
      delete: (keys: string | string[]) => testEnv.BLOBS.delete(keys),
      list: (options?: R2ListOptions) => testEnv.BLOBS.list(options),
    } as unknown as R2Bucket;
    const e = { ...testEnv, BLOBS: counting };
    const raw = encode(`From: a@sender.test\r\nSubject: large retry\r\nMessage-ID: <large-retry@sender.test>\r\n\r\n${'y'.repeat(200 * 1024)}\r\n`);
    await deliver(new TestEmailMessage('a@sender.test', address, raw), e);
    expect(puts).toHaveLength(1);
    const retried = new Uint8Array([...encode('Received: from relay2.sender.test\r\n'), ...raw]);
    await deliver(new TestEmailMessage('a@sender.test', address, retried), e);
    expect(puts).toHaveLength(1);
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).count).toBe(1);
  });

  it('writes a delivery in one transaction: a retry adds no mail, no log entry and no count', async () => {
    const { jwt, address } = await createAddress('storage-once');
    const bytes = encode('From: a@sender.test\r\nSubject: once\r\nMessage-ID: <once@sender.test>\r\n\r\nbody\r\n');
    const retried = new Uint8Array([...encode('Received: from relay2.sender.test\r\n'), ...bytes]);
    for (const raw of [bytes, retried, bytes]) await deliver(new TestEmailMessage('a@sender.test', address, raw));
    const log = await testEnv.DB.prepare("select count(*) as n from delivery_log where recipient = ? and status = 'accepted'").bind(address).first<{ n: number }>();
    const rows = await testEnv.DB.prepare('select count(*) as n from mails m join addresses a on a.id = m.address_id where a.address = ?').bind(address).first<{ n: number }>();
    const { count } = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    expect([count, rows?.n, log?.n]).toEqual([1, 1, 1]);
    await searchIndexSettled();
    const pending = await testEnv.DB.prepare('select count(*) as n from search_pending').first<{ n: number }>();
    expect(pending?.n).toBe(0);
  });

  it('keeps a small message once: the raw source in its row, no decoded copies, and reading re-parses it', async () => {
    const { jwt, address } = await createAddress('storage-single');
    await deliverFixture('multipart-alternative.eml', address);
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const row = await testEnv.DB.prepare('select raw, raw_key, text, html, bodies_in_raw, headers_json from mail_contents where mail_id = ?').bind(summary.id).first<any>();
    expect(row).toMatchObject({ raw_key: null, text: null, html: null, bodies_in_raw: 1, headers_json: '[]' });
    expect(String(row.raw)).toBe(new TextDecoder().decode(fixture('multipart-alternative.eml')));
    // What a reader gets is what the parse of those bytes gives: bodies and every header.
    const opened = await json(await call(`/api/parsed_mail/${summary.id}`, { headers: bearer(jwt) }));
    const parsed = await parseMessage(fixture('multipart-alternative.eml'));
    expect([opened.text, opened.html]).toEqual([parsed.text, parsed.html]);
    expect(opened.text).toBeTruthy();
    expect(opened.html).toBeTruthy();
    expect(opened.headers).toEqual(parsed.headers);
    expect(opened.headers.length).toBeGreaterThan(3);
  });

  it('keeps the bodies in the row of a message whose raw source is in R2, so opening it reads no R2', async () => {
    const { jwt, address } = await createAddress('storage-r2-bodies');
    const raw = encode(`From: a@sender.test\r\nSubject: big one\r\nMessage-ID: <big-bodies@sender.test>\r\n\r\nthe words you read\r\n${'x'.repeat(200 * 1024)}\r\n`);
    await deliver(new TestEmailMessage('a@sender.test', address, raw));
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const row = await testEnv.DB.prepare('select raw, raw_key, text, bodies_in_raw from mail_contents where mail_id = ?').bind(summary.id).first<any>();
    expect(row.raw).toBeNull();
    expect(row.raw_key).toBeTruthy();
    expect(row.bodies_in_raw).toBe(0);
    expect(row.text).toContain('the words you read');
    await testEnv.BLOBS.delete(row.raw_key);
    const opened = await json(await call(`/api/parsed_mail/${summary.id}`, { headers: bearer(jwt) }));
    expect(opened.text).toContain('the words you read');
    expect(opened.headers.find((h: any) => h.key === 'subject')?.value).toBe('big one');
  });

  it('stores a 25 MiB message (Email Routing\'s cap) from email(): raw in R2 and its attachment, byte for byte', async () => {
    const { jwt, address } = await createAddress('storage-25m');
    const payload = new Uint8Array(18 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7919) >>> 3;
    let b64 = '';
    for (let i = 0; i < payload.length; i += 0x8000) b64 += String.fromCharCode(...payload.subarray(i, i + 0x8000));
    b64 = btoa(b64).replace(/.{76}/g, '$&\r\n');
    const head = `Received: from mx.sender.test by mx.cloudflare.net\r\nFrom: a@sender.test\r\nTo: ${address}\r\nSubject: quarter gigabit\r\nMessage-ID: <big25@sender.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nthe file\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=big.bin\r\n\r\n`;
    const raw = encode(`${head}${b64}\r\n--b--\r\n`);
    expect(raw.byteLength).toBeGreaterThan(24 * 1024 * 1024);
    expect(raw.byteLength).toBeLessThanOrEqual(25 * 1024 * 1024);
    const delivered = new TestEmailMessage('a@sender.test', address, raw);
    await deliver(delivered);
    expect(delivered.rejected).toBeNull();
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    expect(summary.size).toBe(raw.byteLength);
    const rawRes = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(await sha256Hex(new Uint8Array(await rawRes.arrayBuffer()))).toBe(await sha256Hex(raw));
    const att = await call(`/api/mails/${summary.id}/attachments/0`, { headers: bearer(jwt) });
    expect(await sha256Hex(new Uint8Array(await att.arrayBuffer()))).toBe(await sha256Hex(payload));
  });
});

describe('reading and hashing a message without extra copies', () => {
  it('reads a stream whatever its announced size, and refuses one past the limit', async () => {
    const bytes = encode('x'.repeat(10_000));
    for (const announced of [10_000, 100, 50_000, undefined]) {
      const read = await readAll(streamOf(bytes), 20_000, announced);
      expect(read?.byteLength, String(announced)).toBe(10_000);
      expect(read?.buffer.byteLength, String(announced)).toBe(10_000);
    }
    expect(await readAll(streamOf(bytes), 9_999, 10_000)).toBeNull();
    expect(await readAll(streamOf(bytes), 9_999)).toBeNull();
  });

  it('hashes the message minus trace fields exactly as a copy without them would hash', async () => {
    const raw = encode('Received: from a\r\n by b\r\nSubject: s\r\nARC-Seal: x\r\n\r\nReceived: in body\r\n');
    expect(await deliveryIdentity(raw)).toBe(`sha:${await sha256Hex(withoutTraceFields(raw))}`);
    const plain = encode('Subject: s\r\n\r\nbody\r\n');
    expect(await deliveryIdentity(plain)).toBe(`sha:${await sha256Hex(plain)}`);
  });
});

describe('settings for large deployments (docs/scale.md)', () => {
  it('with BODIES_IN_R2, keeps raw source and attachments in R2 and no body in D1, and still reads, downloads and finds the message', async () => {
    const e = envWith({ BODIES_IN_R2: 'true' });
    const { jwt, address } = await createAddress('scale-r2');
    await deliverFixture('attachments.eml', address, e);
    const [summary] = (await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).results;
    const stored = await testEnv.DB.prepare('select raw, raw_key, text, html, bodies_in_raw from mail_contents where mail_id = ?').bind(summary.id).first<any>();
    expect(stored).toMatchObject({ raw: null, text: null, html: null, bodies_in_raw: 1 });
    expect(stored.raw_key).toMatch(/raw\.eml$/);
    const inline = await testEnv.DB.prepare('select count(*) as n from attachments where mail_id = ? and content is not null').bind(summary.id).first<{ n: number }>();
    expect(inline?.n).toBe(0);

    const mail = await json(await call(`/api/parsed_mail/${summary.id}`, { headers: bearer(jwt) }));
    expect(mail.html).toContain('See the chart');
    expect(mail.attachments.map((a: any) => a.filename)).toEqual(['chart.png', 'résumé.pdf', 'data.csv']);
    const res = await call(`/api/mails/${summary.id}/attachments/2`, { headers: bearer(jwt) });
    expect(await res.text()).toBe('id,value\n1,42\n');
    const raw = await call(`/api/mails/${summary.id}/raw`, { headers: bearer(jwt) });
    expect(await sha256Hex(new Uint8Array(await raw.arrayBuffer()))).toBe(await sha256Hex(fixture('attachments.eml')));
    await searchIndexSettled();
    const hits = (await json(await v1(await adminKey(), `${mailboxPath(address)}/search?q=${encodeURIComponent('See the chart')}`))).data;
    expect(hits.map((h: any) => h.subject)).toEqual(['Report with attachments']);
  });

  it('with BODIES_IN_R2, still keeps drafts in their D1 row', async () => {
    const e = envWith({ BODIES_IN_R2: 'true' });
    const { address } = await createAddress('scale-drafts');
    const key = (await json(await call('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ type: 'admin', name: 'drafts' }) }, e))).data.key;
    const created = await call(`/api/v1${mailboxPath(address)}/drafts`, { method: 'POST', headers: bearer(key), body: JSON.stringify({ to: ['x@example.org'], subject: 'kept', text: 'draft body' }) }, e);
    expect(created.status).toBe(201);
    const row = await testEnv.DB.prepare("select c.raw_key, c.raw from mail_contents c join mails m on m.id = c.mail_id where m.subject = 'kept'").first<any>();
    expect(row.raw_key).toBeNull();
    expect(String(row.raw)).toContain('draft body');
    const uid = (await json(created)).data.uid;
    const opened = await json(await call(`/api/v1${mailboxPath(address)}/messages/${uid}`, { headers: bearer(key) }, e));
    expect(opened.data.body.text.trim()).toBe('draft body');
  });

  it('with SEARCH_BODY_CHARS, indexes only the start of each body, and always subject and sender', async () => {
    const e = envWith({ SEARCH_BODY_CHARS: '40' });
    const { address } = await createAddress('scale-index');
    const body = `code kumquat 4711 is early. ${'filler '.repeat(40)} the word persimmon comes late`;
    const raw = encode(`From: Olive Sender <olive@sender.test>\r\nSubject: Lychee report\r\nMessage-ID: <cap@sender.test>\r\n\r\n${body}\r\n`);
    await deliver(new TestEmailMessage('olive@sender.test', address, raw), e);
    await searchIndexSettled();
    const key = await adminKey();
    const find = async (q: string) => (await json(await v1(key, `${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`))).data.length;
    expect(await find('kumquat')).toBe(1);
    expect(await find('persimmon')).toBe(0);
    expect(await find('Lychee')).toBe(1);
    expect(await find('olive@sender')).toBe(1);
  });
});

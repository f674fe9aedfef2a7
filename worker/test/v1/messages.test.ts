import { describe, expect, it } from 'vitest';
import { findAddress } from '../../src/services/addresses';
import { createDeps } from '../../src/services/deps';
import { findMessage, updateFlagsAndFolder } from '../../src/services/folders';
import { bearer, call, createAddress, deliver, deliverFixture, fixture, json, searchIndexSettled, TestEmailMessage, testEnv } from '../helpers';
import { adminKey, mailboxKey, mailboxPath, v1 } from './helpers';

async function setup(name: string) {
  const admin = await adminKey();
  const mailbox = await createAddress(name);
  const { key } = await mailboxKey(admin, mailbox.address);
  return { admin, key, address: mailbox.address, jwt: mailbox.jwt };
}

function numbered(to: string, i: number) {
  return new TestEmailMessage('s@sender.test', to, new TextEncoder().encode(`From: S <s@sender.test>\r\nTo: ${to}\r\nSubject: Message ${i}\r\nMessage-ID: <v1-${to}-${i}@x>\r\n\r\nBody ${i}\r\n`));
}

describe('v1 messages', () => {
  it('lists a folder in the envelope, with prefixed uids and no internal ids', async () => {
    const { key, address } = await setup('v1-list');
    await deliverFixture('attachments.eml', address);
    const res = await v1(key, `${mailboxPath(address)}/messages?folder=INBOX`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const body = await json(res);
    expect(body.meta).toMatchObject({ request_id: res.headers.get('x-request-id'), total: 1, limit: 50, offset: 0, next_cursor: null });
    expect(body.data[0]).toMatchObject({
      uid: expect.stringMatching(/^msg_[a-z0-9]{20}$/),
      folder: 'INBOX',
      from: { name: 'Alice Example', email: 'alice@sender.test' },
      subject: 'Report with attachments',
      date: '2026-03-02T10:00:00.000Z',
      flags: [],
      has_attachments: true,
    });
    expect(body.data[0]).not.toHaveProperty('id');
  });

  it('pages with offset and with a cursor, and filters unread', async () => {
    const { key, address } = await setup('v1-page');
    for (let i = 1; i <= 5; i++) await deliver(numbered(address, i));
    const first = await json(await v1(key, `${mailboxPath(address)}/messages?limit=2`));
    expect(first.data.map((m: any) => m.subject)).toEqual(['Message 5', 'Message 4']);
    expect(first.meta.total).toBe(5);
    const next = await json(await v1(key, `${mailboxPath(address)}/messages?limit=2&cursor=${first.meta.next_cursor}`));
    expect(next.data.map((m: any) => m.subject)).toEqual(['Message 3', 'Message 2']);
    const byOffset = await json(await v1(key, `${mailboxPath(address)}/messages?limit=2&offset=4`));
    expect(byOffset.data.map((m: any) => m.subject)).toEqual(['Message 1']);
    await v1(key, `${mailboxPath(address)}/messages/${first.data[0].uid}`, { method: 'PATCH', body: JSON.stringify({ flags: ['\\Seen'] }) });
    const unread = await json(await v1(key, `${mailboxPath(address)}/messages?unread=true`));
    expect(unread.meta.total).toBe(4);
    expect((await v1(key, `${mailboxPath(address)}/messages?limit=201`)).status).toBe(400);
    const badFolder = await v1(key, `${mailboxPath(address)}/messages?folder=Archive`);
    expect(badFolder.status).toBe(400);
    expect((await json(badFolder)).error).toMatchObject({ code: 'invalid_folder', param: 'folder', retryable: false });
  });

  it('returns one message in full, with a weak ETag and 304 on If-None-Match', async () => {
    const { key, address } = await setup('v1-get');
    await deliverFixture('attachments.eml', address);
    const [summary] = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data;
    const res = await v1(key, `${mailboxPath(address)}/messages/${summary.uid}`);
    const etag = res.headers.get('etag');
    expect(etag).toMatch(/^W\//);
    const body = await json(res);
    expect(body.data).toMatchObject({ uid: summary.uid, cc: [{ name: 'Dave', email: 'dave@example.com' }], body: { html: expect.stringContaining('chart') } });
    expect(body.data.attachments.map((a: any) => a.filename)).toEqual(['chart.png', 'résumé.pdf', 'data.csv']);
    expect(body.data.headers).toEqual(expect.arrayContaining([{ name: 'subject', value: 'Report with attachments' }]));
    const again = await v1(key, `${mailboxPath(address)}/messages/${summary.uid}`, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    // Reading through v1 does not mark it seen: that is an explicit PATCH.
    expect(body.data.flags).toEqual([]);
    const raw = await v1(key, `${mailboxPath(address)}/messages/${summary.uid}/raw`);
    expect(new Uint8Array(await raw.arrayBuffer())).toEqual(fixture('attachments.eml'));
    const pdf = await v1(key, `${mailboxPath(address)}/messages/${summary.uid}/attachments/1`);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(fixture('attachments.resume.pdf.bin'));
  });

  it('sets flags, moves between folders, and keeps folder counts right', async () => {
    const { key, address, jwt } = await setup('v1-flags');
    await deliverFixture('multipart-alternative.eml', address);
    const [m] = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data;
    const patched = await json(await v1(key, `${mailboxPath(address)}/messages/${m.uid}`, { method: 'PATCH', body: JSON.stringify({ flags: ['\\Seen', '\\Flagged'], folder: 'Junk' }) }));
    expect(patched.data).toMatchObject({ flags: ['\\Seen', '\\Flagged'], folder: 'Junk' });
    const folders = await json(await v1(key, `${mailboxPath(address)}/folders`));
    expect(folders.data).toEqual([
      { name: 'INBOX', messages: 0, unread: 0, size: 0 },
      { name: 'Sent', messages: 0, unread: 0, size: 0 },
      { name: 'Drafts', messages: 0, unread: 0, size: 0 },
      { name: 'Trash', messages: 0, unread: 0, size: 0 },
      { name: 'Junk', messages: 1, unread: 0, size: m.size },
    ]);
    const invalid = await v1(key, `${mailboxPath(address)}/messages/${m.uid}`, { method: 'PATCH', body: JSON.stringify({ flags: ['\\Deleted'] }) });
    expect(invalid.status).toBe(400);
    // The original API still sees received mail wherever it was filed.
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).count).toBe(1);
  });

  it('adds and removes single flags, keeping the others, and refuses contradictions', async () => {
    const { key, address } = await setup('v1-flag-changes');
    await deliverFixture('multipart-alternative.eml', address);
    const [m] = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data;
    const patch = (body: unknown) => v1(key, `${mailboxPath(address)}/messages/${m.uid}`, { method: 'PATCH', body: JSON.stringify(body) });
    expect((await json(await patch({ add_flags: ['\\Flagged'] }))).data.flags).toEqual(['\\Flagged']);
    expect((await json(await patch({ add_flags: ['\\Seen'] }))).data.flags).toEqual(['\\Seen', '\\Flagged']);
    // Marking unread keeps the star.
    expect((await json(await patch({ remove_flags: ['\\Seen'] }))).data.flags).toEqual(['\\Flagged']);
    const folders = await json(await v1(key, `${mailboxPath(address)}/folders`));
    expect(folders.data.find((f: any) => f.name === 'INBOX')).toMatchObject({ messages: 1, unread: 1 });
    for (const body of [{ flags: ['\\Seen'], add_flags: ['\\Flagged'] }, { add_flags: ['\\Seen'], remove_flags: ['\\Seen'] }, {}]) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json(res)).error.code).toBe('validation_failed');
    }
    expect((await json(await v1(key, `${mailboxPath(address)}/messages/${m.uid}`))).data.flags).toEqual(['\\Flagged']);
  });

  it('an added or removed flag writes only itself: a change to another flag made meanwhile stays', async () => {
    const { key, address } = await setup('v1-flag-race');
    await deliverFixture('multipart-alternative.eml', address);
    const [m] = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data;
    const deps = createDeps(testEnv);
    const row = await findMessage(deps, await findAddress(deps, address), m.uid);
    // Starred by another request after this one read the row.
    await testEnv.DB.prepare('UPDATE mails SET flagged = 1 WHERE id = ?').bind(row.id).run();
    await updateFlagsAndFolder(deps, row, { add_flags: ['\\Seen'] });
    const stored = await testEnv.DB.prepare('SELECT seen, flagged FROM mails WHERE id = ?').bind(row.id).first();
    expect(stored).toEqual({ seen: 1, flagged: 1 });
  });

  it('moves to Trash on delete, and deletes for good from Trash', async () => {
    const { key, address, jwt } = await setup('v1-trash');
    await deliverFixture('multipart-alternative.eml', address);
    const [m] = (await json(await v1(key, `${mailboxPath(address)}/messages`))).data;
    const first = await json(await v1(key, `${mailboxPath(address)}/messages/${m.uid}`, { method: 'DELETE' }));
    expect(first.data).toEqual({ uid: m.uid, result: 'trashed' });
    const trash = await json(await v1(key, `${mailboxPath(address)}/messages?folder=Trash`));
    expect(trash.data.map((x: any) => x.uid)).toEqual([m.uid]);
    const second = await json(await v1(key, `${mailboxPath(address)}/messages/${m.uid}`, { method: 'DELETE' }));
    expect(second.data.result).toBe('deleted');
    const gone = await v1(key, `${mailboxPath(address)}/messages/${m.uid}`);
    expect(gone.status).toBe(404);
    expect((await json(gone)).error.code).toBe('message_not_found');
    expect((await json(await call('/api/settings', { headers: bearer(jwt) }))).mail_count).toBe(0);
  });

  it('creates and updates drafts in Drafts', async () => {
    const { key, address } = await setup('v1-drafts');
    const created = await v1(key, `${mailboxPath(address)}/drafts`, { method: 'POST', body: JSON.stringify({ to: ['friend@example.org'], subject: 'Plan', text: 'first version' }) });
    expect(created.status).toBe(201);
    const draft = (await json(created)).data;
    expect(draft).toMatchObject({ folder: 'Drafts', subject: 'Plan', to: [{ name: '', email: 'friend@example.org' }], flags: ['\\Seen'] });
    const updated = await json(await v1(key, `${mailboxPath(address)}/drafts/${draft.uid}`, { method: 'PUT', body: JSON.stringify({ to: ['friend@example.org'], subject: 'Plan v2', text: 'second version' }) }));
    expect(updated.data).toMatchObject({ uid: draft.uid, subject: 'Plan v2' });
    const full = await json(await v1(key, `${mailboxPath(address)}/messages/${draft.uid}`));
    expect(full.data.body.text.trim()).toBe('second version');
    await searchIndexSettled();
    const found = await json(await v1(key, `${mailboxPath(address)}/search?q=second version`));
    expect(found.data.map((h: any) => h.uid)).toEqual([draft.uid]);
    expect((await json(await v1(key, `${mailboxPath(address)}/search?q=first version`))).data).toEqual([]);
  });

  it('builds drafts with the shared MIME builder: an HTML draft gets a text alternative and a full document', async () => {
    const { key, address } = await setup('v1-html-draft');
    const created = await json(await v1(key, `${mailboxPath(address)}/drafts`, { method: 'POST', body: JSON.stringify({ subject: 'Grüße', html: '<p>Hello <b>there</b></p>' }) }));
    const full = (await json(await v1(key, `${mailboxPath(address)}/messages/${created.data.uid}`))).data;
    expect(full.subject).toBe('Grüße');
    expect(full.body.text.trim()).toBe('Hello there');
    expect(full.body.html.trim()).toBe('<html><head><meta charset="utf-8"></head><body><p>Hello <b>there</b></p></body></html>');
  });

  it('files the sender\'s copy of sent mail in Sent', async () => {
    const { key, address, jwt } = await setup('v1-sent');
    await createAddress('v1-sent-rcpt');
    await call('/api/send_mail', { method: 'POST', headers: bearer(jwt), body: JSON.stringify({ to_mail: 'v1-sent-rcpt@example.com', subject: 'outgoing', content: 'x' }) });
    const sent = await json(await v1(key, `${mailboxPath(address)}/messages?folder=Sent`));
    expect(sent.data.map((m: any) => m.subject)).toEqual(['outgoing']);
    expect((await json(await v1(key, `${mailboxPath(address)}/messages`))).meta.total).toBe(0);
  });
});

describe('v1 search', () => {
  it('finds subject, sender, recipient and body text, non-ASCII included, with a snippet', async () => {
    const { key, address } = await setup('v1-search');
    for (const name of ['shift-jis.eml', 'gb2312.eml', 'iso-8859-1.eml', 'multipart-alternative.eml', 'attachments.eml']) await deliverFixture(name, address);
    await searchIndexSettled();
    const search = async (q: string) => (await json(await v1(key, `${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`))).data;
    expect((await search('验证码')).map((h: any) => h.subject)).toEqual(['验证码通知']);
    expect((await search('世界')).length).toBe(2);
    expect((await search('確認コード'))[0].match).toContain('«確認コード»');
    expect((await search('crème'))[0].subject).toBe('Résumé reçu');
    expect((await search('482913'))[0].subject).toBe('Your verification code');
    expect((await search('dave@example'))[0].subject).toBe('Report with attachments');
    expect(await search('nothing-like-this')).toEqual([]);
    const short = await v1(key, `${mailboxPath(address)}/search?q=a`);
    expect(short.status).toBe(400);
    expect((await json(short)).error.param).toBe('q');
  });

  it.each([
    ['a NUL byte', 'abc\u0000def'],
    ['a NUL byte alone in a short query', '\u0000x'],
    ['a line break', 'in\r\nvoice'],
    ['another control character', 'in\u001bvoice'],
    ['DEL', 'in\u007fvoice'],
  ])('answers a query with %s with 400 validation_failed, not 500', async (_name, q) => {
    const { key, address } = await setup(`v1-search-ctl-${q.charCodeAt(q.length > 3 ? 2 : 0)}-${q.length}`);
    await deliverFixture('multipart-alternative.eml', address);
    const res = await v1(key, `${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error).toMatchObject({ code: 'validation_failed', param: 'q' });
  });

  it('searches only the caller\'s mailbox', async () => {
    const one = await setup('v1-search-a');
    const two = await setup('v1-search-b');
    await deliverFixture('gb2312.eml', one.address);
    await searchIndexSettled();
    expect((await json(await v1(two.key, `${mailboxPath(two.address)}/search?q=验证码`))).data).toEqual([]);
  });
});

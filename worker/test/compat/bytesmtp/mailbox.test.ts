/** GET /api/inbox, GET /api/message/{uid}, DELETE /api/message/{uid}: ByteSMTP's examples, field by field, and their errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, call, createAddress, deliverFixture, json } from '../../helpers';
import { adminKey, mailboxKey } from '../../v1/helpers';
import { deliverMeeting, door, expectError, legacyIds } from './helpers';

const VERIFICATION_FIELDS = ['verification_code', 'verification_confidence', 'verification_link'];

let admin: string;
beforeAll(async () => {
  admin = await adminKey('bytesmtp mailbox');
});

async function mailbox(name: string) {
  const box = await createAddress(name);
  const { key } = await mailboxKey(admin, box.address);
  return { ...box, key };
}

describe('GET /api/inbox', () => {
  it("answers ByteSMTP's example shape: uid, from, subject, date, seen; page and total", async () => {
    const box = await mailbox('bs-inbox');
    await deliverMeeting(box.address);
    const [legacy] = await legacyIds(box.jwt);
    const res = await door(box.key, '/api/inbox');
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['messages', 'ok', 'page', 'per_page', 'total']);
    expect(body).toMatchObject({ ok: true, page: 1, total: 1, per_page: 50 });
    const [item] = body.messages;
    expect(Object.keys(item).sort()).toEqual(['date', 'from', 'seen', 'subject', 'uid', ...VERIFICATION_FIELDS].sort());
    // uid is the message's numeric id, the one the original API calls `id`.
    expect(item.uid).toBe(legacy!.id);
    expect(item.from).toBe('jordan@sender.test');
    expect(item.subject).toBe('Meeting tomorrow');
    expect(item.date).toBe('2026-04-01T10:30:00Z');
    expect(item.seen).toBe(false);
    expect(item).toMatchObject({ verification_code: null, verification_link: null, verification_confidence: null });
  });

  it('pages 50 messages at a time, newest first, with the folder total on every page', async () => {
    const box = await mailbox('bs-pages');
    for (let i = 1; i <= 52; i++) await deliverMeeting(box.address, `Page test ${i}`);
    const first = await json(await door(box.key, '/api/inbox?folder=INBOX&page=1'));
    expect(first).toMatchObject({ ok: true, page: 1, total: 52 });
    expect(first.messages).toHaveLength(50);
    expect(first.messages[0].subject).toBe('Page test 52');
    expect(first.messages[49].subject).toBe('Page test 3');
    const second = await json(await door(box.key, '/api/inbox?page=2'));
    expect(second).toMatchObject({ page: 2, total: 52 });
    expect(second.messages.map((m: { subject: string }) => m.subject)).toEqual(['Page test 2', 'Page test 1']);
    const uids = [...first.messages, ...second.messages].map((m: { uid: number }) => m.uid);
    expect(new Set(uids).size).toBe(52);
    expect(await json(await door(box.key, '/api/inbox?page=3'))).toEqual({ ok: true, messages: [], page: 3, total: 52, per_page: 50 });
  });

  it('takes empty folder and page as the defaults (INBOX, 1) and folder names in any case', async () => {
    const box = await mailbox('bs-defaults');
    await deliverMeeting(box.address);
    expect(await json(await door(box.key, '/api/inbox?folder=&page='))).toMatchObject({ page: 1, total: 1 });
    expect(await json(await door(box.key, '/api/inbox?folder=inbox'))).toMatchObject({ total: 1 });
    for (const folder of ['Sent', 'Drafts', 'Trash', 'Junk']) {
      expect(await json(await door(box.key, `/api/inbox?folder=${folder}`))).toEqual({ ok: true, messages: [], page: 1, total: 0, per_page: 50 });
    }
  });

  it('refuses an unknown folder and a page that is not a positive integer with 400', async () => {
    const box = await mailbox('bs-bad-query');
    expect(await expectError(await door(box.key, '/api/inbox?folder=Spam'), 400, 'invalid_folder')).toContain('INBOX, Sent, Drafts, Trash, Junk');
    await expectError(await door(box.key, '/api/inbox?page=0'), 400, 'validation_failed');
    await expectError(await door(box.key, '/api/inbox?page=two'), 400, 'validation_failed');
    await expectError(await door(box.key, '/api/inbox?page=1.5'), 400, 'validation_failed');
  });

  it('shows the verification code and sign-in link found in a message', async () => {
    const box = await mailbox('bs-codes');
    await deliverFixture('multipart-alternative.eml', box.address); // "Your code is 482913."
    const [item] = (await json(await door(box.key, '/api/inbox'))).messages;
    expect(item).toMatchObject({ subject: 'Your verification code', verification_code: '482913', verification_link: null });
    expect(item.verification_confidence).toBeGreaterThan(0.8);
    const { message } = await json(await door(box.key, `/api/message/${item.uid}`));
    expect(message).toMatchObject({ verification_code: '482913', verification_link: null });
  });
});

describe('GET /api/message/{uid}', () => {
  it("answers ByteSMTP's example shape field by field, and reading marks it seen", async () => {
    const box = await mailbox('bs-read');
    await deliverMeeting(box.address);
    const [{ uid }] = (await json(await door(box.key, '/api/inbox'))).messages;
    const res = await door(box.key, `/api/message/${uid}`);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(Object.keys(body).sort()).toEqual(['message', 'ok']);
    expect(body.ok).toBe(true);
    const m = body.message;
    expect(Object.keys(m).sort()).toEqual(['attachments', 'body_html', 'body_text', 'cc', 'date', 'from', 'subject', 'to', 'uid', ...VERIFICATION_FIELDS].sort());
    expect(m.uid).toBe(uid);
    expect(m.from).toBe('jordan@sender.test');
    expect(m.to).toBe(box.address);
    expect(m.subject).toBe('Meeting tomorrow');
    expect(m.date).toBe('2026-04-01T10:30:00Z');
    // The parts as stored and shown by every Edgemail API (the parser keeps the line end before the boundary).
    expect(m.body_text.trimEnd()).toBe("Let's meet at 2pm.");
    expect(m.body_html.trimEnd()).toBe("<p>Let's meet at 2pm.</p>");
    expect(m.attachments).toEqual([]);
    expect(m.cc).toBe('');
    expect((await json(await door(box.key, '/api/inbox'))).messages[0].seen).toBe(true);
  });

  it('lists attachments (index, filename, content_type, size), every To and Cc, and empty text for an HTML-only message', async () => {
    const box = await mailbox('bs-attachments');
    await deliverFixture('attachments.eml', box.address);
    const [{ uid }] = (await json(await door(box.key, '/api/inbox'))).messages;
    const { message } = await json(await door(box.key, `/api/message/${uid}`));
    expect(message.to).toBe('bob@example.com, carol@example.com');
    expect(message.cc).toBe('dave@example.com');
    expect(message.body_text).toBe('');
    expect(message.body_html).toContain('<img src="cid:chart@sender.test">');
    expect(message.attachments.map((a: { filename: string }) => a.filename)).toEqual(['chart.png', 'résumé.pdf', 'data.csv']);
    for (const a of message.attachments) {
      expect(Object.keys(a).sort()).toEqual(['content_type', 'filename', 'index', 'size']);
      expect(a.size).toBeGreaterThan(0);
    }
    expect(message.attachments[0].content_type).toBe('image/png');
    // index is where the original API serves the bytes.
    const csv = message.attachments[2];
    const bytes = await call(`/api/mails/${uid}/attachments/${csv.index}`, { headers: bearer(box.jwt) });
    expect(bytes.status).toBe(200);
    expect((await bytes.arrayBuffer()).byteLength).toBe(csv.size);
  });

  it('answers 404 for a uid that does not exist and 400 for one that is not a positive integer', async () => {
    const box = await mailbox('bs-read-errors');
    await expectError(await door(box.key, '/api/message/987654'), 404, 'message_not_found');
    await expectError(await door(box.key, '/api/message/abc'), 400, 'validation_failed');
    await expectError(await door(box.key, '/api/message/0'), 400, 'validation_failed');
    await expectError(await door(box.key, '/api/message/-3'), 400, 'validation_failed');
  });
});

describe('DELETE /api/message/{uid}', () => {
  it('moves a message to Trash, then deletes it for good from Trash', async () => {
    const box = await mailbox('bs-delete');
    await deliverMeeting(box.address, 'Delete me');
    await deliverMeeting(box.address, 'Keep me');
    const [keep, gone] = (await json(await door(box.key, '/api/inbox'))).messages;
    expect(gone.subject).toBe('Delete me');

    const trashed = await door(box.key, `/api/message/${gone.uid}`, { method: 'DELETE' });
    expect(trashed.status).toBe(200);
    expect(await json(trashed)).toEqual({ ok: true, message: 'Message deleted' });
    const inbox = await json(await door(box.key, '/api/inbox'));
    expect(inbox.messages.map((m: { uid: number }) => m.uid)).toEqual([keep.uid]);
    const trash = await json(await door(box.key, '/api/inbox?folder=Trash'));
    expect(trash).toMatchObject({ total: 1, messages: [{ uid: gone.uid, subject: 'Delete me' }] });
    // Still readable while in Trash.
    expect((await door(box.key, `/api/message/${gone.uid}`)).status).toBe(200);

    const deleted = await door(box.key, `/api/message/${gone.uid}`, { method: 'DELETE' });
    expect(await json(deleted)).toEqual({ ok: true, message: 'Message deleted' });
    expect((await json(await door(box.key, '/api/inbox?folder=Trash'))).total).toBe(0);
    await expectError(await door(box.key, `/api/message/${gone.uid}`), 404, 'message_not_found');
    await expectError(await door(box.key, `/api/message/${gone.uid}`, { method: 'DELETE' }), 404, 'message_not_found');
    expect((await legacyIds(box.jwt)).map((m) => m.id)).toEqual([keep.uid]);
  });

  it('answers 400 for a uid that is not a positive integer', async () => {
    const box = await mailbox('bs-delete-bad');
    await expectError(await door(box.key, '/api/message/x1', { method: 'DELETE' }), 400, 'validation_failed');
  });
});

describe('the door itself', () => {
  it("answers unknown paths with 404, and a known one asked with another method with 405, in ByteSMTP's error shape", async () => {
    const box = await mailbox('bs-unknown');
    await expectError(await door(box.key, '/api/outbox'), 404, 'not_found');
    const wrongMethod = await door(box.key, '/api/inbox', { method: 'POST', body: '{}' });
    expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD');
    await expectError(wrongMethod, 405, 'method_not_allowed');
  });
});

/** /mailbox/{email}/…: folders, messages, one message, attachment download and search, with the guide's examples. */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAddress, deliver, json, searchIndexSettled, TestEmailMessage } from '../../helpers';
import { signup, userOn } from '../../accounts/helpers';
import { adminKey, v1 } from '../../v1/helpers';
import { expectError, expectSameShape, mailapi, ok } from './helpers';
import { FOLDERS_RESPONSE, MESSAGE_RESPONSE, MESSAGES_RESPONSE, SEARCH_RESPONSE } from './seed-examples';

const USER = 'user@yourdomain.com';
/** 102,400 bytes, as the guide's agenda.pdf. */
const AGENDA = new Uint8Array(102_400).map((_, i) => (i * 7 + 3) % 256);

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/.{76}/g, '$&\r\n');

/** The message the guide's examples show, as it would arrive. */
function meetingMessage() {
  return [
    'Received: from mx.example.com by mx.yourdomain.com; Sat, 27 Jan 2024 10:30:02 +0000',
    'From: John Doe <john@example.com>',
    'To: User <user@yourdomain.com>',
    'Subject: Meeting tomorrow',
    'Date: Sat, 27 Jan 2024 10:30:00 +0000',
    'Message-ID: <abc123@example.com>',
    'X-Priority: 1',
    'Reply-To: john@example.com',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="mix"',
    '',
    '--mix',
    'Content-Type: multipart/alternative; boundary="alt"',
    '',
    '--alt',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Plain text content of the email...',
    '--alt',
    'Content-Type: text/html; charset=UTF-8',
    '',
    '<html><body><p>HTML content...</p></body></html>',
    '--alt--',
    '',
    '--mix',
    'Content-Type: application/pdf; name="agenda.pdf"',
    'Content-Disposition: attachment; filename="agenda.pdf"',
    'Content-Transfer-Encoding: base64',
    '',
    b64(AGENDA),
    '--mix--',
    '',
  ].join('\r\n');
}

function agendaMessage() {
  return [
    'From: John <john@example.com>',
    'To: User <user@yourdomain.com>',
    'Subject: Meeting tomorrow',
    'Date: Sat, 27 Jan 2024 11:00:00 +0000',
    'Message-ID: <abc124@example.com>',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'Hello, before tomorrow I would like to discuss the meeting agenda with the whole team, so please bring your notes.',
    '',
  ].join('\r\n');
}

const receive = (raw: string, to = USER) => deliver(new TestEmailMessage('john@example.com', to, new TextEncoder().encode(raw)));

let admin: string;
let user: string;

beforeAll(async () => {
  admin = await adminKey();
  await signup('yourdomain.com');
  await ok(await mailapi(admin, '/domains/yourdomain.com/approve', { method: 'POST' }));
  user = await userOn(admin, USER);
  await receive(meetingMessage());
  await receive(agendaMessage());
});

async function meetingUid(token = admin) {
  const list = await ok(await mailapi(token, `/mailbox/${USER}/messages?folder=INBOX&limit=20`));
  return list.messages.find((m: any) => m.message_id === '<abc123@example.com>').uid as number;
}

describe('GET /mailbox/{email}/messages/{uid}', () => {
  it('answers the guide\'s example message field by field, and reading it sets \\Seen', async () => {
    const uid = await meetingUid();
    const body = await ok(await mailapi(admin, `/mailbox/${USER}/messages/${uid}`));
    expectSameShape(body, MESSAGE_RESPONSE, '$', ['$.headers']);
    // Every value the guide shows, exactly; headers hold every header of the message, the guide's two among them.
    // (The parser keeps each part's final line break, which the guide's one-line example leaves out.)
    const { headers, body: content, ...rest } = body;
    const { headers: exampleHeaders, body: exampleContent, ...example } = MESSAGE_RESPONSE;
    expect(rest).toEqual({ ...example, uid });
    expect({ text: content.text.trimEnd(), html: content.html.trimEnd() }).toEqual(exampleContent);
    expect(headers).toMatchObject(exampleHeaders);
    expect(headers).toMatchObject({ From: 'John Doe <john@example.com>', 'Message-ID': '<abc123@example.com>', 'MIME-Version': '1.0' });
    // A repeated header keeps its first (topmost) value.
    expect(headers.Received).toContain('mx.yourdomain.com');
  });

  it('looks a uid up within its folder: the same uid in another folder, or an unknown one, is MESSAGE_NOT_FOUND', async () => {
    const uid = await meetingUid();
    await expectError(await mailapi(admin, `/mailbox/${USER}/messages/${uid}?folder=Spam`), 404, 'MESSAGE_NOT_FOUND');
    await expectError(await mailapi(admin, `/mailbox/${USER}/messages/99999999`), 404, 'MESSAGE_NOT_FOUND');
    await expectError(await mailapi(admin, `/mailbox/${USER}/messages/${uid}?folder=Archive`), 400, 'INVALID_FOLDER');
  });
});

describe('GET /mailbox/{email}/messages', () => {
  it('lists a folder in the guide\'s fields: uid, message_id, from, to, subject, date, size, flags, has_attachments', async () => {
    const uid = await meetingUid();
    await ok(await mailapi(admin, `/mailbox/${USER}/messages/${uid}`));
    const body = await ok(await mailapi(user, `/mailbox/${USER}/messages?folder=INBOX&limit=20`));
    expectSameShape(body, MESSAGES_RESPONSE);
    expect(body).toMatchObject({ success: true, mailbox: USER, folder: 'INBOX', total: 2 });
    const meeting = body.messages.find((m: any) => m.uid === uid);
    const { size, ...rest } = meeting;
    const { size: _size, ...example } = MESSAGES_RESPONSE.messages[0]!;
    expect(rest).toEqual({ ...example, uid });
    expect(size).toBeGreaterThan(AGENDA.length);
    // Newest first, limit and offset.
    const page = await ok(await mailapi(user, `/mailbox/${USER}/messages?limit=1&offset=1`));
    expect(page.total).toBe(2);
    expect(page.messages.map((m: any) => m.uid)).toEqual([uid]);
    await expectError(await mailapi(user, `/mailbox/${USER}/messages?limit=201`), 400, 'VALIDATION_FAILED');
  });

  it('calls our Junk folder Spam, both ways, and refuses a folder that does not exist with INVALID_FOLDER (400)', async () => {
    await receive(agendaMessage().replace('abc124', 'spam1').replace('Subject: Meeting tomorrow', 'Subject: Cheap watches'));
    const all = await json((await v1(admin, `/mailboxes/${USER}/messages?limit=50`)));
    const spam = all.data.find((m: any) => m.subject === 'Cheap watches');
    expect((await v1(admin, `/mailboxes/${USER}/messages/${spam.uid}`, { method: 'PATCH', body: JSON.stringify({ folder: 'Junk' }) })).status).toBe(200);
    const listed = await ok(await mailapi(admin, `/mailbox/${USER}/messages?folder=Spam`));
    expect(listed.folder).toBe('Spam');
    expect(listed.messages.map((m: any) => m.subject)).toEqual(['Cheap watches']);
    expect((await ok(await mailapi(admin, `/mailbox/${USER}/messages?folder=junk`))).folder).toBe('Spam');
    await expectError(await mailapi(admin, `/mailbox/${USER}/messages?folder=Archive`), 400, 'INVALID_FOLDER');

    const folders = await ok(await mailapi(admin, `/mailbox/${USER}/folders`));
    expectSameShape(folders, FOLDERS_RESPONSE);
    expect(folders.mailbox).toBe(USER);
    expect(folders.folders.map((f: any) => f.name)).toEqual(FOLDERS_RESPONSE.folders.map((f) => f.name));
    const byName = Object.fromEntries(folders.folders.map((f: any) => [f.name, f]));
    expect(byName.INBOX).toMatchObject({ messages: 2 });
    expect(byName.Spam).toMatchObject({ messages: 1, unread: 1 });
    expect(byName.Spam.size).toBeGreaterThan(0);
    expect(byName.Drafts).toEqual({ name: 'Drafts', messages: 0, unread: 0, size: 0 });
  });
});

describe('GET /mailbox/{email}/messages/{uid}/attachment/{index}', () => {
  it('sends the file with its Content-Type, and a Content-Disposition the guide\'s client reads the name from', async () => {
    const uid = await meetingUid();
    const res = await mailapi(user, `/mailbox/${USER}/messages/${uid}/attachment/0?folder=INBOX`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    // The guide's Python: headers['Content-Disposition'].split('filename=')[-1].strip('"')
    const filename = (res.headers.get('content-disposition') ?? '').split('filename=').at(-1)!.replace(/^"+|"+$/g, '');
    expect(filename).toBe('agenda.pdf');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(AGENDA);
    await expectError(await mailapi(user, `/mailbox/${USER}/messages/${uid}/attachment/5`), 404, 'ATTACHMENT_NOT_FOUND');
    await expectError(await mailapi(user, `/mailbox/${USER}/messages/${uid}/attachment/0?folder=Trash`), 404, 'MESSAGE_NOT_FOUND');
  });
});

describe('GET /mailbox/{email}/search', () => {
  it('answers the guide\'s example query in its fields, with a plain snippet around the match', async () => {
    await searchIndexSettled();
    const body = await ok(await mailapi(admin, `/mailbox/${USER}/search?q=meeting`));
    expectSameShape(body, SEARCH_RESPONSE);
    expect(body).toMatchObject({ success: true, query: 'meeting', total: 2 });
    const hit = body.messages.find((m: any) => m.from.name === 'John');
    expect(hit).toMatchObject({ folder: 'INBOX', from: { name: 'John', email: 'john@example.com' }, subject: 'Meeting tomorrow', date: '2024-01-27T11:00:00Z' });
    expect(hit.snippet).toMatch(/^\.\.\..*the meeting agenda.*\.\.\.$/);
    expect(hit.snippet).not.toMatch(/[«»…]/);
    // total counts every match, not the page: one message shown of the two that match.
    const page = await ok(await mailapi(admin, `/mailbox/${USER}/search?q=meeting&limit=1`));
    expect(page.messages).toHaveLength(1);
    expect(page.total).toBe(2);
    // Two characters go through the same count (LIKE instead of the trigram index).
    expect((await ok(await mailapi(admin, `/mailbox/${USER}/search?q=ee&limit=1`))).total).toBeGreaterThanOrEqual(2);
    // INBOX by default, as the guide says; Spam when asked.
    expect((await ok(await mailapi(admin, `/mailbox/${USER}/search?q=watches`))).total).toBe(0);
    expect((await ok(await mailapi(admin, `/mailbox/${USER}/search?q=watches&folder=Spam`))).total).toBe(1);
  });

  it('needs a query of at least 2 characters', async () => {
    await expectError(await mailapi(admin, `/mailbox/${USER}/search?q=m`), 400, 'VALIDATION_FAILED');
    await expectError(await mailapi(admin, `/mailbox/${USER}/search`), 400, 'VALIDATION_FAILED');
  });
});

describe('mailboxes a token may not read', () => {
  it('answers ACCESS_DENIED (403) alike for another mailbox and for one that does not exist; an admin token gets MAILBOX_NOT_FOUND for the latter', async () => {
    const other = await createAddress('someone-else');
    for (const path of ['/folders', '/messages', '/messages/1', '/messages/1/attachment/0', '/search?q=meeting']) {
      const theirs = await mailapi(other.jwt, `/mailbox/${USER}${path}`);
      const nobodys = await mailapi(other.jwt, `/mailbox/nobody@yourdomain.com${path}`);
      expect(await theirs.clone().json()).toEqual(await nobodys.clone().json());
      await expectError(theirs, 403, 'ACCESS_DENIED');
      await expectError(nobodys, 403, 'ACCESS_DENIED');
      await expectError(await mailapi(admin, `/mailbox/nobody@yourdomain.com${path}`), 404, 'MAILBOX_NOT_FOUND');
    }
  });
});

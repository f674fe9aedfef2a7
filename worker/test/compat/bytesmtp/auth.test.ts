/**
 * Who may do what through the ByteSMTP door: mailbox keys and address tokens act on their own
 * mailbox; admin keys and sessions name one; nothing reveals whether another mailbox or message exists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { activeAccount } from '../../accounts/helpers';
import { admin as adminPassword, call, createAddress, json } from '../../helpers';
import { adminKey, mailboxKey, v1 } from '../../v1/helpers';
import { deliverMeeting, door, expectError, post } from './helpers';

interface Box {
  address: string;
  jwt: string;
  key: string;
  uid: number;
}

let admin: string;
let a: Box;
let b: Box;
// Where test sends go: the queue delivers them in the background, so never into a or b, whose inboxes are checked.
let sink: string;

async function box(name: string): Promise<Box> {
  const created = await createAddress(name);
  await deliverMeeting(created.address, `For ${name}`);
  const key = (await mailboxKey(admin, created.address)).key;
  const uid = (await json(await door(key, '/api/inbox'))).messages[0].uid;
  return { address: created.address, jwt: created.jwt, key, uid };
}

const inboxSubjects = async (token: string, query = '', headers: Record<string, string> = {}) =>
  (await json(await door(token, `/api/inbox${query}`, { headers }))).messages.map((m: { subject: string }) => m.subject);

beforeAll(async () => {
  admin = await adminKey('bytesmtp auth');
  a = await box('bs-auth-a');
  b = await box('bs-auth-b');
  sink = (await createAddress('bs-auth-sink')).address;
});

describe('without a valid credential', () => {
  const calls: [string, (token: string | null) => Promise<Response>][] = [
    ['POST /api/send', (t) => post(t, '/api/send', { from: 'x@example.com', to: 'y@example.com', subject: 's', body: 'b' })],
    ['GET /api/inbox', (t) => door(t, '/api/inbox')],
    ['GET /api/message/{uid}', (t) => door(t, '/api/message/1')],
    ['DELETE /api/message/{uid}', (t) => door(t, '/api/message/1', { method: 'DELETE' })],
    ['POST /api/ai/generate', (t) => post(t, '/api/ai/generate', { feature: 'compose', prompt: 'x' })],
  ];

  it.each(calls)('%s answers 401: no token, a malformed token, an unknown key', async (_name, call) => {
    expect(await expectError(await call(null), 401, 'missing_token')).toContain('Authorization: Bearer');
    await expectError(await call('not-a-token'), 401, 'invalid_token');
    await expectError(await call('emk_0000000000000000000000000000000000000000'), 401, 'invalid_token');
  });

  it('refuses a revoked key and a token whose address was deleted with 401', async () => {
    const created = await createAddress('bs-auth-revoked');
    const { key, id } = await mailboxKey(admin, created.address);
    expect((await door(key, '/api/inbox')).status).toBe(200);
    expect((await v1(admin, `/keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    await expectError(await door(key, '/api/inbox'), 401, 'token_expired');

    const gone = await createAddress('bs-auth-gone');
    expect((await door(gone.jwt, '/api/inbox')).status).toBe(200);
    expect((await call(`/admin/addresses/${gone.address_id}`, { method: 'DELETE', headers: adminPassword })).status).toBe(200);
    await expectError(await door(gone.jwt, '/api/inbox'), 401, 'invalid_token');
  });
});

describe.each([
  ['a mailbox key', () => a.key],
  ['an address token (JWT)', () => a.jwt],
])('%s', (_kind, token) => {
  it('reads and files its own mailbox', async () => {
    expect(await inboxSubjects(token())).toEqual(['For bs-auth-a']);
    expect(await inboxSubjects(token(), `?mailbox=${a.address}`)).toEqual(['For bs-auth-a']);
    expect((await door(token(), `/api/message/${a.uid}`)).status).toBe(200);
  });

  it("gets 404 for another mailbox's uid, and leaves that message alone", async () => {
    const read = await expectError(await door(token(), `/api/message/${b.uid}`), 404, 'message_not_found');
    const missing = await expectError(await door(token(), '/api/message/987654'), 404, 'message_not_found');
    expect(read).toBe(missing);
    await expectError(await door(token(), `/api/message/${b.uid}`, { method: 'DELETE' }), 404, 'message_not_found');
    expect(await inboxSubjects(b.key)).toEqual(['For bs-auth-b']);
  });

  it('gets the same 404 naming another mailbox as naming one that does not exist', async () => {
    const other = await expectError(await door(token(), `/api/inbox?mailbox=${b.address}`), 404, 'mailbox_not_found');
    const none = await expectError(await door(token(), '/api/inbox?mailbox=nobody-here@example.com'), 404, 'mailbox_not_found');
    expect(other).toBe(none);
    await expectError(await door(token(), `/api/message/${b.uid}`, { headers: { 'x-mailbox': b.address } }), 404, 'mailbox_not_found');
  });

  it('sends only as its own address', async () => {
    expect((await post(token(), '/api/send', { from: a.address, to: sink, subject: 'own', body: 'b' })).status).toBe(200);
    await expectError(await post(token(), '/api/send', { from: b.address, to: sink, subject: 'as b', body: 'b' }), 403, 'sender_not_allowed');
  });
});

describe('an admin key', () => {
  it('names the mailbox it acts on with ?mailbox= or X-Mailbox, and must name one', async () => {
    const error = await expectError(await door(admin, '/api/inbox'), 400, 'validation_failed', 'mailbox');
    expect(error).toContain('?mailbox=');
    await expectError(await door(admin, `/api/message/${a.uid}`), 400, 'validation_failed', 'mailbox');
    expect(await inboxSubjects(admin, `?mailbox=${a.address}`)).toEqual(['For bs-auth-a']);
    expect(await inboxSubjects(admin, '', { 'x-mailbox': b.address })).toEqual(['For bs-auth-b']);
    await expectError(await door(admin, '/api/inbox?mailbox=nobody-here@example.com'), 404, 'mailbox_not_found');
  });

  it("reads and deletes in the named mailbox only: another mailbox's uid is 404 there", async () => {
    const { message } = await json(await door(admin, `/api/message/${a.uid}?mailbox=${a.address}`));
    expect(message).toMatchObject({ uid: a.uid, subject: 'For bs-auth-a' });
    await expectError(await door(admin, `/api/message/${a.uid}?mailbox=${b.address}`), 404, 'message_not_found');
    await expectError(await door(admin, `/api/message/${a.uid}`, { method: 'DELETE', headers: { 'x-mailbox': b.address } }), 404, 'message_not_found');
    const extra = await box('bs-auth-admin-delete');
    const deleted = await door(admin, `/api/message/${extra.uid}?mailbox=${extra.address}`, { method: 'DELETE' });
    expect(await json(deleted)).toEqual({ ok: true, message: 'Message deleted' });
    expect(await inboxSubjects(extra.key, '?folder=Trash')).toEqual(['For bs-auth-admin-delete']);
  });

  it('sends as any address on our domains (from names it)', async () => {
    const res = await post(admin, '/api/send', { from: 'bs-auth-newsletter@example.com', to: sink, subject: 'from admin', body: 'b' });
    expect(res.status).toBe(200);
    await expectError(await post(admin, '/api/send', { from: 'x@elsewhere.test', to: sink, subject: 's', body: 'b' }), 403, 'domain_not_allowed');
  });
});

describe('an account session', () => {
  it("acts on a mailbox the account may read, named like an admin key's; others are 404", async () => {
    const owner = await activeAccount('bytesmtp-auth.test', admin);
    await deliverMeeting(owner.email, 'For the owner');
    await expectError(await door(owner.token, '/api/inbox'), 400, 'validation_failed', 'mailbox');
    expect(await inboxSubjects(owner.token, '', { 'x-mailbox': owner.email })).toEqual(['For the owner']);
    await expectError(await door(owner.token, `/api/inbox?mailbox=${a.address}`), 404, 'mailbox_not_found');
    await expectError(await door(owner.token, `/api/message/${a.uid}?mailbox=${owner.email}`), 404, 'message_not_found');
  });
});

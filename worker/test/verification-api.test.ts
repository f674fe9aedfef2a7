/** Codes and links found on ingest, as every API shows them (legacy, admin, v1 list/detail/search). */
import { beforeAll, describe, expect, it } from 'vitest';
import { admin, bearer, call, createAddress, deliver, deliverFixture, json, TestEmailMessage, searchIndexSettled } from './helpers';
import { adminKey, mailboxPath, v1 } from './v1/helpers';

const magicLink = 'https://app.example/auth/magic?token=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5';

function htmlMail(to: string, subject: string, html: string): Uint8Array {
  return new TextEncoder().encode(
    [`From: App <no-reply@app.example>`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${crypto.randomUUID()}@app.example>`, 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '', html, ''].join('\r\n'),
  );
}

let box: { address: string; jwt: string };
let key: string;

beforeAll(async () => {
  box = await createAddress('codes');
  key = await adminKey('verification');
  await deliverFixture('multipart-alternative.eml', box.address); // "Your code is 482913."
  await deliver(
    new TestEmailMessage(
      'no-reply@app.example',
      box.address,
      htmlMail(box.address, 'Sign in to App', `<p>Click below to sign in.</p><p><a href="${magicLink}">Sign in to App</a></p><p><a href="https://app.example/unsubscribe">Unsubscribe</a></p>`),
    ),
  );
  await deliver(new TestEmailMessage('friend@sender.test', box.address, htmlMail(box.address, 'Dinner', '<p>Dinner at 19:30 on 2026-05-14? Table for 4, room 1204.</p>')));
});

describe('verification fields on ingest', () => {
  it('are in the legacy list and message view, with the v1 uid', async () => {
    const list = await json(await call('/api/parsed_mails?limit=10&offset=0', { headers: bearer(box.jwt) }));
    const [dinner, signIn, code] = list.results;
    expect(code).toMatchObject({ subject: 'Your verification code', verification_code: '482913', verification_link: null });
    expect(code.verification_confidence).toBeGreaterThan(0.8);
    expect(code.uid).toMatch(/^msg_/);
    expect(signIn).toMatchObject({ verification_code: null, verification_link: magicLink });
    expect(dinner).toMatchObject({ verification_code: null, verification_link: null, verification_confidence: null });
    const one = await json(await call(`/api/parsed_mail/${code.id}`, { headers: bearer(box.jwt) }));
    expect(one).toMatchObject({ verification_code: '482913', uid: code.uid });
  });

  it('are in the admin list', async () => {
    const list = await json(await call(`/admin/parsed_mails?address=${box.address}&limit=10&offset=0`, { headers: admin }));
    expect(list.results.map((m: { verification_code: string | null }) => m.verification_code)).toEqual([null, null, '482913']);
  });

  it('are in v1 message lists, message details and search hits', async () => {
    const m = mailboxPath(box.address);
    const list = await json(await v1(key, `${m}/messages`));
    expect(list.data.map((x: { verification_link: string | null }) => x.verification_link)).toEqual([null, magicLink, null]);
    const code = list.data[2];
    expect(code.verification_code).toBe('482913');
    const detail = await json(await v1(key, `${m}/messages/${code.uid}`));
    expect(detail.data).toMatchObject({ verification_code: '482913', verification_link: null });
    await searchIndexSettled();
    const hits = await json(await v1(key, `${m}/search?q=verification`));
    expect(hits.data[0]).toMatchObject({ uid: code.uid, verification_code: '482913' });
  });

  it('are not computed for your own drafts', async () => {
    const m = mailboxPath(box.address);
    const draft = await json(await v1(key, `${m}/drafts`, { method: 'POST', body: JSON.stringify({ to: ['x@example.org'], subject: 'Your code', text: 'Your verification code is 123456' }) }));
    expect(draft.data).toMatchObject({ verification_code: null, verification_link: null });
  });
});

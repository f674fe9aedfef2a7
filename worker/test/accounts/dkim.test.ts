import { describe, expect, it } from 'vitest';
import { relaxedBody, relaxedHeader } from '../../src/services/dkim/canonicalize';
import { bearer, call, createAddress, json } from '../helpers';
import { v1 } from '../v1/helpers';
import { activeAccount, asUser, publish, verifyDkim } from './helpers';

/** Sends as the account's mailbox and returns the exact bytes that went out (the Sent copy). */
async function sendAndFetch(account: { token: string; email: string }, path: string, init: RequestInit): Promise<Uint8Array> {
  const res = await asUser(account.token, account.email, path, init);
  expect(res.status, await res.clone().text()).toBe(200);
  const { sent_id } = await json(res);
  const sent = await json(await asUser(account.token, account.email, `/api/sendbox/${sent_id}`));
  return new TextEncoder().encode(sent.raw);
}

async function publishRecords(account: { token: string; domain: string }) {
  const { data } = await json(await v1(account.token, `/domains/${account.domain}/dns`));
  await publish(data.records);
}

describe('DKIM signing', () => {
  it('signs a composed message rsa-sha256 relaxed/relaxed; mailauth and dkimpy verify it against the published key', async () => {
    const account = await activeAccount('signed.test');
    await publishRecords(account);
    const raw = await sendAndFetch(account, '/api/send_mail', {
      method: 'POST',
      body: JSON.stringify({
        from_name: 'Signer',
        to_mail: ['bob@remote.test'],
        cc: ['carol@remote.test'],
        subject: 'Signed — with ünïcödé and a long subject line that will certainly be folded by the MIME builder',
        text: 'Hello,   trailing spaces   \n\n\n',
        html: '<p>Hello</p>',
      }),
    });
    const text = new TextDecoder().decode(raw);
    expect(text.startsWith('DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=signed.test; s=em')).toBe(true);
    const header = text.slice(0, text.indexOf('\r\n', text.indexOf('b=')));
    for (const name of ['from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'content-type']) expect(header).toMatch(new RegExp(`[=:\\s]${name}[:;]`));

    const result = await verifyDkim(raw);
    expect(result.mailauth).toEqual([expect.objectContaining({ status: 'pass', domain: 'signed.test' })]);
    expect(result.dkimpy.ok, result.dkimpy.log).toBe(true);
  });

  it('fails both verifiers when one body byte changes, or a signed header does', async () => {
    const account = await activeAccount('tamper.test');
    await publishRecords(account);
    const raw = await sendAndFetch(account, '/api/send_mail', {
      method: 'POST',
      body: JSON.stringify({ to_mail: ['bob@remote.test'], subject: 'Pay 100 EUR', text: 'Please pay 100 EUR to account 1234.' }),
    });
    const text = new TextDecoder().decode(raw);
    expect((await verifyDkim(raw)).dkimpy.ok).toBe(true);

    // One byte of the body (the first byte after the blank line), nothing else.
    const body = text.indexOf('\r\n\r\n') + 4;
    const tampered = raw.slice();
    tampered[body] = tampered[body]! ^ 0x01;
    expect(tampered.filter((b, i) => b !== raw[i]).length).toBe(1);
    const bodyResult = await verifyDkim(tampered);
    expect(bodyResult.mailauth[0]!.status).toBe('neutral');
    expect(bodyResult.mailauth[0]!.info).toMatch(/body hash did not verify/);
    expect(bodyResult.dkimpy.ok).toBe(false);

    const subject = new TextEncoder().encode(text.replace(/^Subject: [^\r\n]+/m, 'Subject: Pay 900 EUR'));
    expect(new TextDecoder().decode(subject)).toContain('\r\nSubject: Pay 900 EUR\r\n');
    const headerResult = await verifyDkim(subject);
    expect(headerResult.mailauth[0]!.status).toBe('fail');
    expect(headerResult.dkimpy.ok).toBe(false);
  });

  it('signs a raw message with bare LF line endings and folded headers so it still verifies', async () => {
    const account = await activeAccount('rawsig.test');
    await publishRecords(account);
    const message = [
      `From: Raw Sender <${account.email}>`,
      'To: bob@remote.test,',
      '\t carol@remote.test',
      'Subject:   lots    of   space\t ',
      'Message-ID: <raw-1@rawsig.test>',
      'Date: Mon, 02 Mar 2026 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'line one   ',
      '',
      'line\t\tthree',
      '',
      '',
    ].join('\n');
    const raw = await sendAndFetch(account, '/api/send_raw?to=bob@remote.test', { method: 'POST', body: message, headers: { 'content-type': 'message/rfc822' } });
    const result = await verifyDkim(raw);
    expect(result.mailauth[0]).toMatchObject({ status: 'pass' });
    expect(result.dkimpy.ok, result.dkimpy.log).toBe(true);
  });

  it('leaves mail from a domain without a key unsigned (the seeded example.com until approved)', async () => {
    const box = await createAddress('unsigned-sender');
    const res = await call('/api/send_mail', { method: 'POST', headers: bearer(box.jwt), body: JSON.stringify({ to_mail: ['x@remote.test'], subject: 's', text: 't' }) });
    const { sent_id } = await json(res);
    const sent = await json(await call(`/api/sendbox/${sent_id}`, { headers: bearer(box.jwt) }));
    expect(sent.raw).not.toContain('DKIM-Signature');
  });
});

describe('relaxed canonicalisation (RFC 6376 §3.4.5 example)', () => {
  it('canonicalises the RFC example headers and body exactly', () => {
    expect(relaxedHeader('A: X')).toBe('a:X\r\n');
    expect(relaxedHeader('B : Y\t\r\n\tZ  ')).toBe('b:Y Z\r\n');
    expect(relaxedBody(' C \r\nD \t E\r\n\r\n\r\n')).toBe(' C\r\nD E\r\n');
    expect(relaxedBody('')).toBe('');
    expect(relaxedBody('\r\n\r\n')).toBe('');
  });
});

/**
 * Deduplication is for retries of one delivery only: a different message that reuses a Message-ID is
 * always stored, through every path that ingests (Email Routing, admin import, internal delivery).
 */
import { describe, expect, it } from 'vitest';
import { withoutTraceFields } from '../src/services/delivery-identity';
import { admin, bearer, call, createAddress, deliver, json, TestEmailMessage } from './helpers';

const encode = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;

function message(body: string, extraHead = '', messageId = '<shared-id@sender.test>') {
  return `${extraHead}From: alice@sender.test\r\nTo: someone@example.com\r\nSubject: Same id\r\nMessage-ID: ${messageId}\r\n\r\n${body}\r\n`;
}

async function listIds(jwt: string): Promise<number[]> {
  const { results } = await json<{ results: { id: number }[] }>(await call('/api/parsed_mails?limit=50', { headers: bearer(jwt) }));
  return results.map((r) => r.id);
}

async function rawOf(jwt: string, id: number): Promise<string> {
  const res = await call(`/api/mails/${id}/raw`, { headers: bearer(jwt) });
  expect(res.status).toBe(200);
  return new TextDecoder().decode(await res.arrayBuffer());
}

describe('delivery identity', () => {
  it('stores a retry of identical bytes once', async () => {
    const { jwt } = await createAddress('dd-retry');
    const raw = encode(message('Hello once.'));
    for (let i = 0; i < 3; i++) await deliver(new TestEmailMessage('alice@sender.test', 'dd-retry@example.com', raw));
    expect(await listIds(jwt)).toHaveLength(1);
  });

  it('treats a retry that only gained relay trace headers as the same delivery', async () => {
    const { jwt } = await createAddress('dd-trace');
    const body = message('Hello through relays.');
    await deliver(new TestEmailMessage('alice@sender.test', 'dd-trace@example.com', encode(body)));
    const retried = `Received: from mx2.sender.test by edge; Mon, 2 Mar 2026 10:05:00 +0000\r\nARC-Seal: i=1; a=rsa-sha256;\r\n t=1772445900; cv=none\r\n${body}`;
    await deliver(new TestEmailMessage('alice@sender.test', 'dd-trace@example.com', encode(retried)));
    expect(await listIds(jwt)).toHaveLength(1);
  });

  it('stores two different messages that share a Message-ID, both readable byte for byte', async () => {
    const { jwt } = await createAddress('dd-shared');
    const first = message('First body.');
    const second = message('Second, different body.');
    await deliver(new TestEmailMessage('alice@sender.test', 'dd-shared@example.com', encode(first)));
    await deliver(new TestEmailMessage('alice@sender.test', 'dd-shared@example.com', encode(second)));
    const ids = await listIds(jwt);
    expect(ids).toHaveLength(2);
    expect(await rawOf(jwt, ids[1]!)).toBe(first);
    expect(await rawOf(jwt, ids[0]!)).toBe(second);
  });

  it.each([
    ['Date', 'Tue, 3 Mar 2026 10:00:00 +0000'],
    ['Subject', 'Backup failed again'],
    ['X-Mailer', 'cron 2'],
  ])('stores two messages that differ only in their %s header as two', async (name, other) => {
    const local = `dd-only-${name.toLowerCase()}`;
    const { jwt } = await createAddress(local);
    const fields = { From: 'alice@sender.test', To: `${local}@example.com`, Subject: 'Backup failed', Date: 'Mon, 2 Mar 2026 10:00:00 +0000', 'X-Mailer': 'cron 1', 'Message-ID': '<daily@sender.test>' };
    const text = (f: Record<string, string>) => `${Object.entries(f).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\nSame body every day.\r\n`;
    const first = text(fields);
    const second = text({ ...fields, [name]: other });
    for (const raw of [first, second]) await deliver(new TestEmailMessage('alice@sender.test', `${local}@example.com`, encode(raw)));
    const ids = await listIds(jwt);
    expect(ids).toHaveLength(2);
    expect(await rawOf(jwt, ids[1]!)).toBe(first);
    expect(await rawOf(jwt, ids[0]!)).toBe(second);
  });

  it('imports two messages with one Message-ID as two, and a re-import as duplicates', async () => {
    const { jwt } = await createAddress('dd-import');
    const mbox = [
      'From alice@sender.test Mon Mar  2 10:00:00 2026',
      'From: alice@sender.test',
      'Subject: digest part 1',
      'Message-ID: <digest@list.test>',
      '',
      'Part one',
      '',
      'From alice@sender.test Mon Mar  2 10:01:00 2026',
      'From: alice@sender.test',
      'Subject: digest part 2',
      'Message-ID: <digest@list.test>',
      '',
      'Part two',
      '',
    ].join('\n');
    const importMbox = () =>
      call('/admin/mails/import?to=dd-import@example.com', { method: 'POST', headers: { ...admin, 'content-type': 'application/mbox' }, body: mbox });
    expect(await json(await importMbox())).toMatchObject({ imported: 2, duplicates: 0 });
    expect(await json(await importMbox())).toMatchObject({ imported: 0, duplicates: 2 });
    expect(await listIds(jwt)).toHaveLength(2);

    const single = message('A single message with the digest id.', '', '<digest@list.test>');
    const res = await call('/admin/mails/import?to=dd-import@example.com', { method: 'POST', headers: { ...admin, 'content-type': 'message/rfc822' }, body: single });
    expect(await json(res)).toMatchObject({ imported: 1, duplicates: 0 });
    expect(await listIds(jwt)).toHaveLength(3);
  });

  it('does not let a planted Message-ID hide the genuine message (internal send_raw, then Email Routing)', async () => {
    const victim = await createAddress('dd-victim');
    const attacker = await createAddress('dd-attacker');
    const planted = `From: dd-attacker@example.com\r\nTo: dd-victim@example.com\r\nSubject: planted\r\nMessage-ID: <bank-statement@bank.test>\r\n\r\nplanted\r\n`;
    const sent = await call('/api/send_raw?to=dd-victim@example.com', { method: 'POST', headers: { ...bearer(attacker.jwt), 'content-type': 'message/rfc822' }, body: planted });
    expect(sent.status).toBe(200);
    const genuine = `From: statements@bank.test\r\nTo: dd-victim@example.com\r\nSubject: Your statement\r\nMessage-ID: <bank-statement@bank.test>\r\n\r\ngenuine\r\n`;
    await deliver(new TestEmailMessage('statements@bank.test', 'dd-victim@example.com', encode(genuine)));
    const ids = await listIds(victim.jwt);
    expect(ids).toHaveLength(2);
    expect(await rawOf(victim.jwt, ids[0]!)).toBe(genuine);
  });

  it('strips only per-attempt trace fields, keeping folded lines and the body intact', () => {
    const raw = encode('Received: from a\r\n by b; date\r\nSubject: keep\r\n Received: folded, kept\r\nAuthentication-Results: x\r\n\r\nReceived: in body\r\n');
    expect(new TextDecoder().decode(withoutTraceFields(raw))).toBe('Subject: keep\r\n Received: folded, kept\r\n\r\nReceived: in body\r\n');
  });
});

import { describe, expect, it } from 'vitest';
import { splitMbox } from '../../src/lib/mbox';
import { admin, bearer, call, createAddress, deliver, envWith, json, TestEmailMessage, testEnv } from '../helpers';
import { mailboxPath, v1 } from './helpers';

const encode = (text: string) => new TextEncoder().encode(text);

async function receive(to: string, raw: Uint8Array) {
  const mail = new TestEmailMessage('sender@far.test', to, raw);
  await deliver(mail);
  expect(mail.rejected).toBeNull();
}

const message = (to: string, subject: string, body: string) =>
  encode(`From: Sender <sender@far.test>\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${Math.random()}@far.test>\r\n\r\n${body}\r\n`);

async function exportPart(jwt: string, address: string, query = '') {
  const res = await v1(jwt, `${mailboxPath(address)}/export${query}`);
  return { res, bytes: new Uint8Array(await res.arrayBuffer()) };
}

/** Every message's raw bytes, in arrival order, as GET …/raw serves them. */
async function storedRaws(jwt: string): Promise<Uint8Array[]> {
  const { results } = await json(await call('/api/mails?limit=100&offset=0', { headers: bearer(jwt) }));
  const ids = (results as { id: number }[]).map((r) => r.id).sort((a, b) => a - b);
  return Promise.all(ids.map(async (id) => new Uint8Array(await (await call(`/api/mails/${id}/raw`, { headers: bearer(jwt) })).arrayBuffer())));
}

describe('GET /api/v1/mailboxes/{address}/export', () => {
  it('serves the mailbox as mbox that reads back byte for byte: quoted From lines, 8-bit bytes, a message kept in R2', async () => {
    const me = await createAddress('export-all');
    await receive(me.address, message(me.address, 'first', 'From the start\r\n>From quoted already\r\nplain'));
    await receive(me.address, new Uint8Array([...encode(`Subject: eight bit\nTo: ${me.address}\n\ncaf`), 0xe9, 0x0a]));
    // Over BLOB_THRESHOLD_BYTES: its raw source lives in R2.
    await receive(me.address, message(me.address, 'large', 'x'.repeat(76).concat('\r\n').repeat(3000)));

    const inR2 = await testEnv.DB.prepare('SELECT count(*) AS n FROM mail_contents JOIN mails ON mails.id = mail_id WHERE address_id = ? AND raw_key IS NOT NULL').bind(me.address_id).first<{ n: number }>();
    expect(inR2!.n).toBe(1);

    const { res, bytes } = await exportPart(me.jwt, me.address);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/mbox');
    expect(res.headers.get('content-disposition')).toContain('export-all@example.com.mbox');
    expect(res.headers.get('edgemail-message-count')).toBe('3');
    expect(res.headers.get('edgemail-next-cursor')).toBeNull();
    expect(new TextDecoder().decode(bytes.subarray(0, 80))).toMatch(/^From sender@far\.test \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n/);
    expect(new TextDecoder().decode(bytes)).toContain('\n>From the start\r\n>>From quoted already\r\n');
    expect(splitMbox(bytes)).toEqual(await storedRaws(me.jwt));

    // The importer takes it back whole: another mailbox gets the same messages.
    const copy = await createAddress('export-copy');
    const imported = await json(await call(`/admin/mails/import?to=${encodeURIComponent(copy.address)}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/mbox' }, body: bytes }));
    expect(imported).toMatchObject({ imported: 3, duplicates: 0, failed: [] });
    expect(await storedRaws(copy.jwt)).toEqual(await storedRaws(me.jwt));
  });

  it('comes in parts chained by Edgemail-Next-Cursor, oldest first, each message once', async () => {
    const me = await createAddress('export-parts');
    for (let i = 0; i < 5; i++) await receive(me.address, message(me.address, `number ${i}`, `body ${i}`));
    const subjects: string[] = [];
    let query = '?limit=2';
    const counts: string[] = [];
    for (let parts = 0; parts < 10; parts++) {
      const { res, bytes } = await exportPart(me.jwt, me.address, query);
      counts.push(res.headers.get('edgemail-message-count')!);
      for (const raw of splitMbox(bytes)) subjects.push(/Subject: (.*)\r\n/.exec(new TextDecoder().decode(raw))![1]!);
      const next = res.headers.get('edgemail-next-cursor');
      if (!next) break;
      expect(res.headers.get('link')).toBe(`</api/v1/mailboxes/${encodeURIComponent(me.address)}/export?limit=2&cursor=${next}>; rel="next"`);
      query = `?limit=2&cursor=${next}`;
    }
    expect(counts).toEqual(['2', '2', '1']);
    expect(subjects).toEqual(['number 0', 'number 1', 'number 2', 'number 3', 'number 4']);
  });

  it('ends a part after 40 messages read from R2, whatever the limit', async () => {
    const e = envWith({ BODIES_IN_R2: 'true' });
    const me = await createAddress('export-r2', undefined, e);
    for (let i = 0; i < 41; i++) {
      const mail = new TestEmailMessage('sender@far.test', me.address, message(me.address, `r2 ${i}`, 'kept in R2'));
      await deliver(mail, e);
    }
    const first = await v1(me.jwt, `${mailboxPath(me.address)}/export?limit=1000`, {}, e);
    expect(first.headers.get('edgemail-message-count')).toBe('40');
    const cursor = first.headers.get('edgemail-next-cursor')!;
    expect(splitMbox(new Uint8Array(await first.arrayBuffer()))).toHaveLength(40);
    const rest = await v1(me.jwt, `${mailboxPath(me.address)}/export?limit=1000&cursor=${cursor}`, {}, e);
    expect(rest.headers.get('edgemail-next-cursor')).toBeNull();
    expect(new TextDecoder().decode(await rest.arrayBuffer())).toContain('Subject: r2 40\r\n');
  });

  it('leaves out a message whose R2 object went while the part was streaming, and sends the rest', async () => {
    const e = envWith({ BODIES_IN_R2: 'true' });
    const me = await createAddress('export-gone', undefined, e);
    for (const subject of ['first', 'second']) {
      const mail = new TestEmailMessage('sender@far.test', me.address, message(me.address, subject, 'in R2'));
      await deliver(mail, e);
    }
    const { results } = await testEnv.DB.prepare('SELECT raw_key FROM mail_contents JOIN mails ON mails.id = mail_id WHERE address_id = ? ORDER BY mails.id').bind(me.address_id).all<{ raw_key: string }>();
    await testEnv.BLOBS.delete(results[0]!.raw_key);
    const res = await v1(me.jwt, `${mailboxPath(me.address)}/export`, {}, e);
    expect(res.status).toBe(200);
    const messages = splitMbox(new Uint8Array(await res.arrayBuffer())).map((raw) => new TextDecoder().decode(raw));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('Subject: second');
  });

  it('exports one folder when asked, and an empty mailbox as an empty file', async () => {
    const me = await createAddress('export-folder');
    const empty = await exportPart(me.jwt, me.address);
    expect(empty.res.status).toBe(200);
    expect(empty.bytes.byteLength).toBe(0);
    expect(empty.res.headers.get('edgemail-message-count')).toBe('0');

    await receive(me.address, message(me.address, 'received', 'in the inbox'));
    const draft = await v1(me.jwt, `${mailboxPath(me.address)}/drafts`, { method: 'POST', body: JSON.stringify({ to: ['friend@example.org'], subject: 'unsent', text: 'a draft' }) });
    expect(draft.status).toBe(201);
    const subjectsOf = async (query: string) => splitMbox((await exportPart(me.jwt, me.address, query)).bytes).map((raw) => /Subject: (.*)\r\n/.exec(new TextDecoder().decode(raw))![1]);
    expect(await subjectsOf('')).toEqual(['received', 'unsent']);
    expect(await subjectsOf('?folder=drafts')).toEqual(['unsent']);
    expect(await subjectsOf('?folder=INBOX')).toEqual(['received']);
    const drafts = await exportPart(me.jwt, me.address, '?folder=Drafts');
    expect(drafts.res.headers.get('content-disposition')).toContain('export-folder@example.com-Drafts.mbox');
  });

  it("refuses bad parameters, and another address's token as it refuses it everywhere", async () => {
    const me = await createAddress('export-mine');
    const other = await createAddress('export-other');
    await receive(me.address, message(me.address, 'private', 'not for others'));
    const bad = async (query: string, param: string) => {
      const res = await v1(me.jwt, `${mailboxPath(me.address)}/export${query}`);
      expect(res.status, query).toBe(400);
      expect((await json(res)).error, query).toMatchObject({ param });
    };
    await bad('?cursor=abc', 'cursor');
    await bad('?cursor=0', 'cursor');
    await bad('?limit=0', 'limit');
    await bad('?folder=Nowhere', 'folder');
    const foreign = await v1(other.jwt, `${mailboxPath(me.address)}/export`);
    const missing = await v1(other.jwt, `${mailboxPath('nobody-here@example.com')}/export`);
    expect(foreign.status).toBe(missing.status);
    expect((await json(foreign)).error.code).toBe((await json(missing)).error.code);
    expect((await v1(null, `${mailboxPath(me.address)}/export`)).status).toBe(401);
  });
});

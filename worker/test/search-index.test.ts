import { createExecutionContext, createMessageBatch, createScheduledController, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { resolveMailbox } from '../src/services/addresses';
import { createDeps } from '../src/services/deps';
import { ingestMessage } from '../src/services/ingest';
import { sweepPendingIndex } from '../src/services/search-index';
import { admin, bearer, call, createAddress, deliver, json, searchIndexSettled, TestEmailMessage, testEnv } from './helpers';
import { heldEnv, runQueue } from './v1/sending';
import { adminKey, mailboxPath, v1 } from './v1/helpers';

/**
 * An INDEX_QUEUE that loses every message, as a queue outage or a crash right after the insert would:
 * the one failure the real local queue cannot be made to produce on demand.
 */
const losingQueue = { send: async () => {}, sendBatch: async () => {} } as unknown as Queue;
/** An INDEX_QUEUE that refuses every message. */
const failingQueue = {
  send: async () => {
    throw new Error('queue unavailable');
  },
  sendBatch: async () => {
    throw new Error('queue unavailable');
  },
} as unknown as Queue;

const raw = (subject: string, body: string) => Uint8Array.from(new TextEncoder().encode(`From: a@sender.test\r\nSubject: ${subject}\r\nMessage-ID: <${subject}@sender.test>\r\n\r\n${body}\r\n`));

/** The real INDEX_QUEUE, with a record of what was sent on it. */
function recordingQueue(real: Queue = testEnv.INDEX_QUEUE as Queue) {
  const sent: { kind: string; mailIds: number[] }[] = [];
  const queue = {
    send: async (body: { kind: string; mailIds: number[] }, options?: QueueSendOptions) => {
      sent.push(body);
      return real.send(body, options);
    },
    sendBatch: async () => {
      throw new Error('announcements go one message at a time');
    },
  } as unknown as Queue;
  return { queue, sent };
}

const idsOf = async (address: string): Promise<number[]> =>
  (await testEnv.DB.prepare('select m.id from mails m join addresses a on a.id = m.address_id where a.address = ? order by m.id').bind(address).all<{ id: number }>()).results.map((r) => r.id);

async function search(key: string, address: string, q: string): Promise<string[]> {
  const res = await v1(key, `${mailboxPath(address)}/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  return (await json(res)).data.map((h: any) => h.subject);
}

async function pendingIds(): Promise<number[]> {
  const { results } = await testEnv.DB.prepare('select mail_id from search_pending order by mail_id').all<{ mail_id: number }>();
  return results.map((r) => r.mail_id);
}

/** Stores a message through the real ingest path, with a clock `agoMs` in the past and the given queue. */
async function ingestWith(queue: Queue, to: string, subject: string, body: string, agoMs = 0): Promise<number> {
  const deps = createDeps({ ...testEnv, INDEX_QUEUE: queue }, { now: () => Date.now() - agoMs });
  const { mailId } = await ingestMessage(deps, { mailbox: await resolveMailbox(deps, to), envelopeFrom: 'a@sender.test', envelopeTo: to, raw: raw(subject, body) });
  return mailId;
}

describe('search indexing off the delivery path', () => {
  it('makes a delivered message searchable through the real INDEX_QUEUE consumer', async () => {
    const { address } = await createAddress('idx-queue');
    const key = await adminKey();
    await deliver(new TestEmailMessage('a@sender.test', address, raw('queued', 'the word aubergine is in here')));
    // Indexed within seconds, by the consumer this Worker runs; nothing left pending.
    await searchIndexSettled();
    expect(await search(key, address, 'aubergine')).toEqual(['queued']);
    expect(await pendingIds()).toEqual([]);
  });

  it('announces deliveries that arrive together in one queue message, and they become searchable', async () => {
    const { address } = await createAddress('idx-burst');
    const key = await adminKey();
    const { queue, sent } = recordingQueue();
    const e = { ...testEnv, INDEX_QUEUE: queue };
    const contexts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => deliver(new TestEmailMessage('a@sender.test', address, raw(`burst-${i}`, `kohlrabi ${i}`)), e)),
    );
    // Every delivery has returned; the announcement waits for the window to close.
    expect(sent).toEqual([]);
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(sent).toEqual([{ kind: 'index', mailIds: await idsOf(address) }]);
    expect(sent[0]!.mailIds).toHaveLength(6);
    await searchIndexSettled();
    expect((await search(key, address, 'kohlrabi')).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `burst-${i}`).sort());
  });

  it('opens a new window for a delivery that arrives after the last one closed', async () => {
    const { address } = await createAddress('idx-windows');
    const { queue, sent } = recordingQueue();
    const e = { ...testEnv, INDEX_QUEUE: queue };
    await waitOnExecutionContext(await deliver(new TestEmailMessage('a@sender.test', address, raw('first', 'one')), e));
    await waitOnExecutionContext(await deliver(new TestEmailMessage('a@sender.test', address, raw('second', 'two')), e));
    const [first, second] = await idsOf(address);
    expect(sent).toEqual([{ kind: 'index', mailIds: [first] }, { kind: 'index', mailIds: [second] }]);
  });

  it('keeps a burst whose announcement the queue refuses: stored, pending, and indexed by the backstop', async () => {
    const { address } = await createAddress('idx-burst-refused');
    const key = await adminKey();
    const e = { ...testEnv, INDEX_QUEUE: failingQueue };
    const contexts = await Promise.all([0, 1, 2].map((i) => deliver(new TestEmailMessage('a@sender.test', address, raw(`refused-${i}`, `salsify ${i}`)), e)));
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    const ids = await idsOf(address);
    expect(ids).toHaveLength(3);
    expect(await pendingIds()).toEqual(expect.arrayContaining(ids));
    // The sweep takes what has waited over a minute: run it as a cron two minutes from now.
    const later = createDeps(testEnv, { now: () => Date.now() + 120_000 });
    await sweepPendingIndex(later);
    expect((await search(key, address, 'salsify')).sort()).toEqual(['refused-0', 'refused-1', 'refused-2']);
  });

  it('announces everything a send batch stores (deliveries and Sent copies) in one queue message, at its end', async () => {
    const { queue, sent } = recordingQueue();
    const e = { ...heldEnv({}), INDEX_QUEUE: queue };
    const sender = await createAddress('idx-send-batch', undefined, e);
    const to = await Promise.all([1, 2, 3].map((i) => createAddress(`idx-send-to-${i}`, undefined, e)));
    const ids: string[] = [];
    for (const [i, r] of to.entries()) {
      const res = await call('/api/v1/emails', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify({ to: r.address, subject: `Batch ${i}`, text: `parsnip ${i}` }) }, e);
      expect(res.status).toBe(202);
      ids.push((await json(res)).data.id);
    }
    expect(sent).toEqual([]);
    expect((await runQueue(e, ids)).retryMessages).toEqual([]);
    const stored = [...(await idsOf(sender.address)), ...(await Promise.all(to.map((r) => idsOf(r.address)))).flat()];
    expect(stored).toHaveLength(6);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.mailIds.sort()).toEqual(stored.sort());
    await searchIndexSettled();
    expect(await search(await adminKey(), to[2]!.address, 'parsnip')).toEqual(['Batch 2']);
  });

  it('announces a synchronous send (POST /api/send_mail) once: the delivered copies and the Sent copy together', async () => {
    const { queue, sent } = recordingQueue();
    const e = { ...testEnv, INDEX_QUEUE: queue };
    const sender = await createAddress('idx-sync-from', undefined, e);
    const a = await createAddress('idx-sync-a', undefined, e);
    const b = await createAddress('idx-sync-b', undefined, e);
    const body = { from_name: 'S', to_mail: [a.address, b.address], subject: 'Sync', content: 'celeriac' };
    const res = await call('/api/send_mail', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify(body) }, e);
    expect(res.status).toBe(200);
    const stored = [...(await idsOf(a.address)), ...(await idsOf(b.address)), ...(await idsOf(sender.address))];
    expect(stored).toHaveLength(3);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.mailIds.sort()).toEqual(stored.sort());
    await searchIndexSettled();
  });

  it('announces an mbox import once, after its last message', async () => {
    const { queue, sent } = recordingQueue();
    const e = { ...testEnv, INDEX_QUEUE: queue };
    const { address } = await createAddress('idx-mbox', undefined, e);
    const mbox = [0, 1, 2, 3].map((i) => `From a@sender.test Mon Mar  2 10:00:0${i} 2026\nFrom: a@sender.test\nSubject: mbox ${i}\nMessage-ID: <idx-mbox-${i}@x>\n\nturnip ${i}\n`).join('\n');
    const res = await call(`/admin/mails/import?to=${encodeURIComponent(address)}`, { method: 'POST', headers: { ...admin, 'content-type': 'application/octet-stream' }, body: mbox }, e);
    expect(await json(res)).toMatchObject({ imported: 4 });
    expect(sent).toEqual([{ kind: 'index', mailIds: await idsOf(address) }]);
    await searchIndexSettled();
    expect((await search(await adminKey(), address, 'turnip')).sort()).toEqual(['mbox 0', 'mbox 1', 'mbox 2', 'mbox 3']);
  });

  it('keeps the index merging 16 segments per level (migration 0015), and finds mail across many small writes', async () => {
    const setting = await testEnv.DB.prepare("select v from mails_fts_config where k = 'automerge'").first<{ v: number }>();
    expect(setting?.v).toBe(16);
    const { address } = await createAddress('idx-segments');
    const key = await adminKey();
    // Each consumer batch writes a segment of its own: 40 of them, more than two levels' worth.
    for (let i = 0; i < 40; i++) {
      const id = await ingestWith(losingQueue, address, `segment-${i}`, `rutabaga ${i} ${i % 7 === 0 ? 'sevenfold' : ''}`);
      const batch = createMessageBatch('edgemail-index', [{ id: `s${i}`, timestamp: new Date(), attempts: 1, body: { kind: 'index', mailIds: [id] } }]);
      await worker.queue(batch, testEnv);
    }
    expect((await search(key, address, 'rutabaga')).length).toBe(20);
    expect((await search(key, address, 'sevenfold')).sort()).toEqual(['segment-0', 'segment-14', 'segment-21', 'segment-28', 'segment-35', 'segment-7'].sort());
  });

  it('indexes every message of a queue batch in one consumer invocation', async () => {
    const { address } = await createAddress('idx-batch');
    const key = await adminKey();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) ids.push(await ingestWith(losingQueue, address, `batch-${i}`, `courgette number ${i}`));
    expect(await search(key, address, 'courgette')).toEqual([]);

    const batch = createMessageBatch('edgemail-index', ids.map((id, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: { kind: 'index', mailIds: [id] } })));
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks.sort()).toEqual(ids.map((_, i) => `m${i}`).sort());
    expect((await search(key, address, 'courgette')).length).toBe(20); // the search page size
    expect(await pendingIds()).toEqual([]);
  });

  it('retries messages of a kind nobody consumes, and still acks the others of the batch', async () => {
    const { address } = await createAddress('idx-kinds');
    const id = await ingestWith(losingQueue, address, 'kinds', 'parsnip');
    const batch = createMessageBatch('edgemail-index', [
      { id: 'known', timestamp: new Date(), attempts: 1, body: { kind: 'index', mailIds: [id] } },
      { id: 'unknown', timestamp: new Date(), attempts: 1, body: { kind: 'no-such-kind' } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['known']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['unknown']);
    expect(await search(await adminKey(), address, 'parsnip')).toEqual(['kinds']);
  });

  it('indexes, from the cron backstop, a message whose queue message was lost', async () => {
    const { address } = await createAddress('idx-lost');
    const key = await adminKey();
    // Stored two minutes ago; its announcement never reached a consumer.
    const id = await ingestWith(losingQueue, address, 'lost', 'the turnip was never announced', 120_000);
    expect(await search(key, address, 'turnip')).toEqual([]);
    expect(await pendingIds()).toContain(id);

    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/10 * * * *' }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await search(key, address, 'turnip')).toEqual(['lost']);
    expect(await pendingIds()).not.toContain(id);
  });

  it('stores the message even when the queue refuses it, and the backstop indexes it later', async () => {
    const { address } = await createAddress('idx-refused');
    const key = await adminKey();
    const id = await ingestWith(failingQueue, address, 'refused', 'a radish nobody queued', 120_000);
    expect((await json(await v1(key, `${mailboxPath(address)}/messages`))).data.map((m: any) => m.subject)).toEqual(['refused']);
    expect(await pendingIds()).toContain(id);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/10 * * * *' }), testEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await search(key, address, 'radish')).toEqual(['refused']);
  });

  it('never indexes a message deleted before its turn, and a late queue message is harmless', async () => {
    const { address, address_id } = await createAddress('idx-deleted');
    const key = await adminKey();
    const id = await ingestWith(losingQueue, address, 'gone', 'a beetroot that was deleted');
    const listed = await json(await call(`/admin/mails?address=${address}`, { headers: admin }));
    expect(listed.results.map((m: any) => m.id)).toEqual([id]);
    // Deleting the mail takes its pending search text with it.
    const { jwt } = await json(await call(`/admin/addresses/${address_id}/token`, { method: 'POST', headers: admin }));
    expect((await call(`/api/mails/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${jwt}` } })).status).toBe(200);
    expect(await pendingIds()).not.toContain(id);

    const batch = createMessageBatch('edgemail-index', [{ id: 'late', timestamp: new Date(), attempts: 1, body: { kind: 'index', mailIds: [id] } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, testEnv);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['late']);
    expect(await search(key, address, 'beetroot')).toEqual([]);
    const fts = await testEnv.DB.prepare('select count(*) as n from mails_fts where rowid = ?').bind(id).first<{ n: number }>();
    expect(fts?.n).toBe(0);
  });

  it('indexes a message only once when the queue redelivers its announcement', async () => {
    const { address } = await createAddress('idx-twice');
    const key = await adminKey();
    const id = await ingestWith(losingQueue, address, 'twice', 'a single celeriac');
    for (const attempt of [1, 2]) {
      const batch = createMessageBatch('edgemail-index', [{ id: `again-${attempt}`, timestamp: new Date(), attempts: attempt, body: { kind: 'index', mailIds: [id] } }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, testEnv);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`again-${attempt}`]);
    }
    expect(await search(key, address, 'celeriac')).toEqual(['twice']);
    const fts = await testEnv.DB.prepare('select count(*) as n from mails_fts where rowid = ?').bind(id).first<{ n: number }>();
    expect(fts?.n).toBe(1);
  });

  it('replaces a draft\'s indexed text: the old text stops matching at once, the new one matches once indexed', async () => {
    const key = await adminKey();
    const { address } = await createAddress('idx-draft');
    const created = (await json(await v1(key, `${mailboxPath(address)}/drafts`, { method: 'POST', body: JSON.stringify({ to: ['x@example.org'], subject: 'Draft', text: 'first artichoke' }) }))).data;
    await searchIndexSettled();
    expect(await search(key, address, 'artichoke')).toEqual(['Draft']);
    await v1(key, `${mailboxPath(address)}/drafts/${created.uid}`, { method: 'PUT', body: JSON.stringify({ to: ['x@example.org'], subject: 'Draft', text: 'second fennel' }) });
    expect(await search(key, address, 'artichoke')).toEqual([]);
    await searchIndexSettled();
    expect(await search(key, address, 'fennel')).toEqual(['Draft']);
  });
});

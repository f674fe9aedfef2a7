/**
 * One message sent to several of our own mailboxes: their copies are stored together (ingestCopies,
 * one D1 batch), and whatever the batch cannot take falls back to copy-by-copy delivery.
 */
import { describe, expect, it } from 'vitest';
import { resolveMailbox } from '../src/services/addresses';
import { createDeps } from '../src/services/deps';
import { ingestCopies, ingestMessage } from '../src/services/ingest';
import { parseMessage } from '../src/services/parse';
import { createAddress, json, testEnv } from './helpers';
import { adminKey, v1 } from './v1/helpers';
import { getEmail, heldEnv, runQueue } from './v1/sending';
import { createWebhook, deliveries, unique, webhookEnv } from './webhooks/helpers';

const copiesIn = async (address: string) =>
  (await testEnv.DB.prepare("select count(*) as n from mails m join addresses a on a.id = m.address_id where a.address = ? and m.folder = 'INBOX'").bind(address).first<{ n: number }>())!.n;

describe('a message to several of our mailboxes', () => {
  it('reaches each once, bounces an unknown one, and raises one email.received per copy', async () => {
    const e = webhookEnv();
    const tag = unique();
    const sender = await createAddress(`fan-from-${tag}`, undefined, e);
    const boxes = await Promise.all([0, 1, 2].map((i) => createAddress(`fan-${i}-${tag}`, undefined, e)));
    const hook = await createWebhook(await adminKey(), { url: 'https://hooks.example.net/in', events: ['email.received'] }, e);
    const unknown = `nobody-${tag}@example.com`;
    const to = [...boxes.map((b) => b.address), unknown];
    const accepted = await v1(sender.jwt, '/emails', { method: 'POST', body: JSON.stringify({ to, subject: 'to all of you', text: 'hello' }) }, e);
    expect(accepted.status).toBe(202);
    const id = (await json(accepted)).data.id;
    expect((await runQueue(e, id)).retryMessages).toEqual([]);

    const email = await getEmail(sender.jwt, id);
    const status = Object.fromEntries(email.recipients.map((r: any) => [r.email, r]));
    for (const box of boxes) expect(status[box.address]).toMatchObject({ status: 'delivered', via: 'internal', smtp_code: 250 });
    expect(status[unknown]).toMatchObject({ status: 'bounced', smtp_code: 550 });
    for (const box of boxes) expect(await copiesIn(box.address)).toBe(1);
    // Each copy is its own message: its own public id.
    const uids = await Promise.all(boxes.map(async (b) => (await json(await v1(b.jwt, '/mailboxes/' + encodeURIComponent(b.address) + '/messages', {}, e))).data[0].uid));
    expect(new Set(uids).size).toBe(3);
    const events = await deliveries(await adminKey(), hook.id, e);
    expect(events.map((d) => d.event_type)).toEqual(['email.received', 'email.received', 'email.received']);
  });

  it('delivers the others copy by copy when the batch fails: one mailbox this isolate remembers was deleted elsewhere', async () => {
    const e = heldEnv({});
    const tag = unique();
    const sender = await createAddress(`gone-from-${tag}`, undefined, e);
    const gone = await createAddress(`gone-${tag}`, undefined, e);
    const kept = await createAddress(`kept-${tag}`, undefined, e);
    const send = async (subject: string) => {
      const res = await v1(sender.jwt, '/emails', { method: 'POST', body: JSON.stringify({ to: [gone.address, kept.address], subject, text: 'x' }) }, e);
      const id = (await json(res)).data.id as string;
      await runQueue(e, id);
      return Object.fromEntries((await getEmail(sender.jwt, id)).recipients.map((r: any) => [r.email, r.status]));
    };
    // The first message makes this isolate remember both mailboxes.
    expect(await send('first')).toEqual({ [gone.address]: 'delivered', [kept.address]: 'delivered' });
    // Deleted by another isolate: nothing tells this one's cache.
    await testEnv.DB.prepare('delete from addresses where address = ?').bind(gone.address).run();
    // The batch fails on the deleted mailbox; the other copy is still delivered, the deleted one retried.
    expect(await send('second')).toEqual({ [gone.address]: 'deferred', [kept.address]: 'delivered' });
    expect(await copiesIn(kept.address)).toBe(2);
  });

  it('stores nothing twice when the same copies come again: the batch declines, and copy by copy each is found stored', async () => {
    const tag = unique();
    const deps = createDeps(testEnv);
    const boxes = await Promise.all([0, 1].map(async (i) => resolveMailbox(deps, (await createAddress(`again-${i}-${tag}`)).address)));
    const raw = Uint8Array.from(new TextEncoder().encode(`From: a@example.com\r\nTo: x@example.com\r\nSubject: again\r\nMessage-ID: <again-${tag}@example.com>\r\n\r\nsame bytes\r\n`));
    const incoming = { mailboxes: boxes, envelopeFrom: 'a@example.com', raw, parsed: await parseMessage(raw) };

    const first = await ingestCopies(deps, incoming);
    expect(first).toHaveLength(2);
    // One copy already stored (a retried send): the whole batch is refused and leaves nothing.
    expect(await ingestCopies(deps, incoming)).toBeNull();
    for (const [i, mailbox] of boxes.entries()) {
      expect(await ingestMessage(deps, { mailbox, envelopeFrom: 'a@example.com', envelopeTo: mailbox.address, raw })).toEqual({ status: 'duplicate', mailId: first![i] });
      expect(await copiesIn(mailbox.address)).toBe(1);
    }
  });

  it('leaves a message whose bytes go to R2 to copy-by-copy delivery', async () => {
    const tag = unique();
    const deps = createDeps(testEnv);
    const boxes = await Promise.all([0, 1].map(async (i) => resolveMailbox(deps, (await createAddress(`big-${i}-${tag}`)).address)));
    const raw = Uint8Array.from(new TextEncoder().encode(`From: a@example.com\r\nSubject: big\r\nMessage-ID: <big-${tag}@example.com>\r\n\r\n${'x'.repeat(200_000)}\r\n`));
    expect(await ingestCopies(deps, { mailboxes: boxes, envelopeFrom: 'a@example.com', raw, parsed: await parseMessage(raw) })).toBeNull();
    for (const mailbox of boxes) expect(await copiesIn(mailbox.address)).toBe(0);
  });
});

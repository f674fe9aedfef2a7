/**
 * D1 queries per Worker invocation, which Cloudflare caps (Workers Paid: 1,000; Free: 50; a batch is
 * one) and local D1 does not. These pin what each kind of invocation spends, with the production
 * domain cache, so a change that multiplies queries fails here instead of on Cloudflare. The limits
 * they are held to are the ones README and docs/scale.md state.
 */
import { describe, expect, it } from 'vitest';
import { admin, call, createAddress, deliver, json, TestEmailMessage, testEnv } from './helpers';
import { D1RoundTrips } from './d1-round-trips';
import { resolveMailboxes } from '../src/services/addresses';
import { createDeps } from '../src/services/deps';
import { heldEnv, runQueue } from './v1/sending';
import { v1 } from './v1/helpers';

const FREE_PLAN = 50;
const PAID_PLAN = 1_000;

function counted() {
  const trips = new D1RoundTrips(testEnv.DB);
  // As deployed: domains cached for 30 s (tests elsewhere read them every time).
  return { trips, env: { ...heldEnv({ DOMAIN_CACHE_SECONDS: '30', IMPORT_MAX_MESSAGES: '400' }), DB: trips.binding } as Env };
}

const mail = (to: string, i: number) => new TextEncoder().encode(`From: a@sender.test\r\nTo: ${to}\r\nSubject: budget ${i}\r\nMessage-ID: <budget-${to}-${i}@x>\r\n\r\nhello ${i}\r\n`);

/** IMPORT_MAX_MESSAGES (400) messages for `address`, as one mbox file. */
const mboxOf400 = (address: string) =>
  Array.from({ length: 400 }, (_, i) => `From a@sender.test Mon Mar  2 10:00:00 2026\n${new TextDecoder().decode(mail(address, i)).replace(/\r\n/g, '\n')}`).join('\n');

describe('D1 queries per invocation', () => {
  it('a received message: one batch (two when the isolate has not seen the mailbox lately)', async () => {
    const { trips, env } = counted();
    const { address } = await createAddress('budget-inbox', undefined, env);
    await deliver(new TestEmailMessage('a@sender.test', address, mail(address, 0)), env);
    trips.count = 0;
    await deliver(new TestEmailMessage('a@sender.test', address, mail(address, 1)), env);
    expect(trips.count).toBe(1);
  });

  it('recipients of one message, new catch-all mailboxes among them: read together, created together', async () => {
    const { trips, env } = counted();
    const deps = createDeps({ ...env, CATCH_ALL: 'create' } as Env);
    const tag = Math.random().toString(36).slice(2, 8);
    const { address: known } = await createAddress(`fan-known-${tag}`, undefined, env);
    // 30 new mailboxes: more than one insert statement holds under D1's 100 bound values.
    const fresh = Array.from({ length: 30 }, (_, i) => `fan-new-${i}-${tag}@example.com`);
    const recipients = [known, known.replace('@', '+label@'), ...fresh, `fan-new-0-${tag}+again@example.com`, 'Bad..Name@example.com', `x@not-ours-${tag}.test`];
    await resolveMailboxes(deps, ['warm-up@example.com']); // the domain list, cached for 30 s
    trips.count = 0;
    const resolved = await resolveMailboxes(deps, recipients);
    // One read of the unseen mailboxes, one batch of inserts.
    expect(trips.count).toBe(2);
    const rowOf = (r: string) => resolved.get(r) as { address: string; id: number };
    expect(rowOf(known.replace('@', '+label@')).address).toBe(known);
    expect(fresh.map((r) => rowOf(r).address)).toEqual(fresh);
    expect(rowOf(`fan-new-0-${tag}+again@example.com`).id).toBe(rowOf(fresh[0]!).id);
    expect(resolved.get('Bad..Name@example.com')).toMatchObject({ code: 'mailbox_not_found', message: 'No such mailbox here.' });
    expect(resolved.get(`x@not-ours-${tag}.test`)).toMatchObject({ code: 'mailbox_not_found', message: `This server does not accept mail for not-ours-${tag}.test.` });
    const stored = await testEnv.DB.prepare(`select count(*) as n from addresses where address like 'fan-new-%-${tag}@example.com'`).first<{ n: number }>();
    expect(stored!.n).toBe(30);

    // Again, with the rows now remembered by this isolate: no round trip at all; under the reject
    // policy an unknown one is refused, not created.
    trips.count = 0;
    await resolveMailboxes(deps, recipients.slice(0, 10));
    expect(trips.count).toBe(0);
    const rejecting = await resolveMailboxes(createDeps(env), [`fan-other-${tag}@example.com`]);
    expect(rejecting.get(`fan-other-${tag}@example.com`)).toMatchObject({ code: 'mailbox_not_found' });
  });

  it('a recipient whose new mailbox a concurrent delivery created first gets that mailbox', async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    const names = Array.from({ length: 5 }, (_, i) => `race-${i}-${tag}@example.com`);
    // The other delivery wins the race for names[2] between this one's read and its insert.
    let raced = false;
    const db = new Proxy(testEnv.DB, {
      get(target, key) {
        if (key !== 'prepare') return Reflect.get(target, key);
        return (sql: string) => {
          if (raced || !sql.startsWith('insert into "addresses"')) return target.prepare(sql);
          raced = true;
          const winRace = () => target.prepare('insert into addresses (address, created_at, last_active_at, send_balance) values (?, 0, 0, 0)').bind(names[2]).run();
          return {
            bind: (...values: unknown[]) => ({
              all: async () => (await winRace(), target.prepare(sql).bind(...values).all()),
              raw: async (options?: { columnNames?: boolean }) => (await winRace(), target.prepare(sql).bind(...values).raw(options as { columnNames: true })),
            }),
          };
        };
      },
    });
    const resolved = await resolveMailboxes(createDeps({ ...testEnv, DB: db, CATCH_ALL: 'create' } as Env), names);
    expect(raced).toBe(true);
    const winner = await testEnv.DB.prepare('select id from addresses where address = ?').bind(names[2]).first<{ id: number }>();
    expect((resolved.get(names[2]!) as { id: number }).id).toBe(winner!.id);
    for (const name of names) expect(resolved.get(name)).toMatchObject({ address: name });
  });

  it('an mbox import of IMPORT_MAX_MESSAGES (400) messages: one per message, within the paid plan', async () => {
    const { trips, env } = counted();
    const { address } = await createAddress('budget-import', undefined, env);
    const mbox = mboxOf400(address);
    trips.count = 0;
    const res = await call(`/admin/mails/import?to=${encodeURIComponent(address)}`, { method: 'POST', body: mbox, headers: { ...admin, 'content-type': 'application/mbox' } }, env);
    expect((await json(res)).imported).toBe(400);
    expect(trips.count).toBeLessThanOrEqual(405);
    expect(trips.count).toBeLessThan(PAID_PLAN);
  });

  it('a mailbox export part of 1,000 messages: the list, then its bytes 50 rows at a time, within the free plan', async () => {
    const { trips, env } = counted();
    const { address, jwt } = await createAddress('budget-export', undefined, env);
    const mbox = mboxOf400(address);
    for (let i = 0; i < 3; i++) {
      const copy = mbox.replace(/budget-/g, `budget-${i}-`);
      await call(`/admin/mails/import?to=${encodeURIComponent(address)}`, { method: 'POST', body: copy, headers: { ...admin, 'content-type': 'application/mbox' } }, env);
    }
    trips.count = 0;
    const res = await v1(jwt, `/mailboxes/${encodeURIComponent(address)}/export?limit=1000`, {}, env);
    expect(res.headers.get('edgemail-message-count')).toBe('1000');
    await res.arrayBuffer();
    // The token's address row, the list of 1,000 (plus one, to know whether more remain), then 20
    // reads of 50 rows.
    expect(trips.count).toBe(22);
    expect(trips.count).toBeLessThan(FREE_PLAN);
  });

  it('emptying a folder of 400 messages: the list, then two queries per 40, within the free plan', async () => {
    const { trips, env } = counted();
    const { address, jwt } = await createAddress('budget-empty', undefined, env);
    const mbox = mboxOf400(address);
    await call(`/admin/mails/import?to=${encodeURIComponent(address)}`, { method: 'POST', body: mbox, headers: { ...admin, 'content-type': 'application/mbox' } }, env);
    trips.count = 0;
    const res = await v1(jwt, `/mailboxes/${encodeURIComponent(address)}/folders/INBOX/messages`, { method: 'DELETE' }, env);
    expect((await json(res)).data).toEqual({ folder: 'INBOX', deleted: 400, more: false });
    // The token's address row, the ids, then per 40 messages their R2 keys and the delete.
    expect(trips.count).toBe(22);
    expect(trips.count).toBeLessThan(FREE_PLAN);
  });

  it('a v1 batch of 100 messages is accepted in a handful; a send-queue batch stays within the paid plan, and 5 messages within the free one', async () => {
    const { trips, env } = counted();
    const sender = await createAddress('budget-sender', undefined, env);
    const { address: mine } = await createAddress('budget-rcpt', undefined, env);
    const items = Array.from({ length: 100 }, (_, i) => ({ to: [mine, `ext${i}@far.test`], subject: `b${i}`, text: 'x' }));
    trips.count = 0;
    const accepted = await v1(sender.jwt, '/emails/batch', { method: 'POST', body: JSON.stringify(items) }, env);
    expect(accepted.status).toBe(202);
    expect(trips.count).toBeLessThanOrEqual(10);
    const ids = (await json(accepted)).data.map((d: { id: string }) => d.id);

    // A full consumer batch (max_batch_size = 10), each message to one of our mailboxes and one outside.
    trips.count = 0;
    expect((await runQueue(env, ids.slice(0, 10))).retryMessages).toEqual([]);
    const perMessage = trips.count / 10;
    expect(trips.count).toBeLessThan(PAID_PLAN);
    // docs/scale.md: on Workers Free, max_batch_size = 5 for edgemail-send.
    trips.count = 0;
    expect((await runQueue(env, ids.slice(10, 15))).retryMessages).toEqual([]);
    expect(trips.count).toBeLessThan(FREE_PLAN);
    expect(perMessage).toBeLessThanOrEqual(6);
  });

  it('a send to 50 of our own mailboxes: their rows in one round trip, their copies in one batch, within the free plan', async () => {
    const { trips, env } = counted();
    const sender = await createAddress('budget-fanout', undefined, env);
    const to: string[] = [];
    for (let i = 0; i < 50; i++) to.push((await createAddress(`budget-fan-${i}`, undefined, env)).address);
    const accepted = await v1(sender.jwt, '/emails', { method: 'POST', body: JSON.stringify({ to, subject: 'fan-out', text: 'hello all' }) }, env);
    expect(accepted.status).toBe(202);
    trips.count = 0;
    expect((await runQueue(env, (await json(accepted)).data.id)).retryMessages).toEqual([]);
    // One by one (a lookup and an insert per mailbox, and more), this was 107 in a fresh isolate.
    expect(trips.count).toBeLessThanOrEqual(10);
    const { results } = await testEnv.DB.prepare(
      "select a.address, count(m.id) as copies from addresses a left join mails m on m.address_id = a.id and m.folder = 'INBOX' where a.address like 'budget-fan-%' group by a.address",
    ).all<{ address: string; copies: number }>();
    expect(results.map((r) => r.copies)).toEqual(Array(50).fill(1));
  });
});

import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { resolveMailbox } from '../src/services/addresses';
import { createDeps } from '../src/services/deps';
import { ingestMessage } from '../src/services/ingest';
import { admin, bearer, call, createAddress, envWith, json, testEnv } from './helpers';

const DAY = 86_400_000;

/** Delivers through the real ingest path with the clock set `daysAgo` in the past. */
async function deliverAged(to: string, messageId: string, daysAgo: number, e: Env = testEnv) {
  const deps = createDeps(e, { now: () => Date.now() - daysAgo * DAY });
  const raw = Uint8Array.from(new TextEncoder().encode(`From: a@sender.test\r\nSubject: ${messageId}\r\nMessage-ID: <${messageId}>\r\n\r\nbody\r\n`));
  await ingestMessage(deps, { mailbox: await resolveMailbox(deps, to), envelopeFrom: 'a@sender.test', envelopeTo: to, raw });
}

async function runCron(e: Env) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '17 * * * *' }), e, ctx);
  await waitOnExecutionContext(ctx);
}

describe('scheduled() housekeeping', () => {
  it('does nothing by default', async () => {
    const { jwt } = await createAddress('keepall');
    await deliverAged('keepall@example.com', 'ancient@x', 400);
    await runCron(testEnv);
    expect((await json(await call('/api/parsed_mails', { headers: bearer(jwt) }))).count).toBe(1);
  });

  it('deletes mail older than RETENTION_DAYS in batches and keeps counts right', async () => {
    const e = envWith({ RETENTION_DAYS: '30', CLEANUP_BATCH_SIZE: '2' });
    const { jwt } = await createAddress('retain');
    for (let i = 0; i < 5; i++) await deliverAged('retain@example.com', `old-${i}@x`, 40);
    await deliverAged('retain@example.com', 'new@x', 1);
    await runCron(e);
    const list = await json(await call('/api/parsed_mails', { headers: bearer(jwt) }));
    expect(list.results.map((m: any) => m.subject)).toEqual(['new@x']);
    expect(list.count).toBe(1);
  });

  it('deletes addresses unused for ADDRESS_TTL_DAYS, with their mail', async () => {
    const e = envWith({ ADDRESS_TTL_DAYS: '7' });
    const stale = await createAddress('stale');
    await testEnv.DB.prepare('UPDATE addresses SET last_active_at = ? WHERE id = ?').bind(Date.now() - 8 * DAY, stale.address_id).run();
    const active = await createAddress('active');
    await runCron(e);
    expect((await call('/api/settings', { headers: bearer(stale.jwt) })).status).toBe(401);
    expect((await call('/api/settings', { headers: bearer(active.jwt) })).status).toBe(200);
    const remaining = await json(await call('/admin/addresses?query=stale', { headers: admin }));
    expect(remaining.count).toBe(0);
  });

  it('counts a delivery as activity, so a mailbox that receives mail is kept', async () => {
    const e = envWith({ ADDRESS_TTL_DAYS: '7' });
    const { address_id, jwt } = await createAddress('receiving');
    await testEnv.DB.prepare('UPDATE addresses SET last_active_at = ? WHERE id = ?').bind(Date.now() - 8 * DAY, address_id).run();
    await deliverAged('receiving@example.com', 'fresh@x', 0);
    await runCron(e);
    expect((await call('/api/settings', { headers: bearer(jwt) })).status).toBe(200);
  });
});

/**
 * The WEBHOOK_QUEUE consumer: claims a batch of deliveries at once, posts them concurrently, and
 * writes every attempt (status code, latency, the start of the answer) in one D1 batch. 2xx ends a
 * delivery; timeouts, network errors, 429 and 5xx are retried on RETRY_SCHEDULE (about a day in
 * all); anything else fails at once. An endpoint whose attempts have all failed for DISABLE_AFTER_MS
 * is disabled and flagged, and its pending deliveries are settled as failed.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { attemptStatements, claimDeliveries, failPendingStatement, findDeliveriesByPublicIds, findWebhooksByIds, webhookStatement } from '../../db/webhooks';
import type { WebhookDeliveryRow, WebhookRow } from '../../db/schema-webhooks';
import type { Deps } from '../deps';
import { postDelivery, type AttemptResult } from './post';
import type { WebhookJob } from './types';

/** Seconds before attempts 2, 3, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (≈ 27.6 h in all). */
export const RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
export const MAX_ATTEMPTS = RETRY_SCHEDULE.length + 1;
export const DISABLE_AFTER_MS = 24 * 3_600_000;
const LEASE_MS = 60_000;

export async function processWebhookJobs(deps: Deps, messages: readonly Message<WebhookJob>[]): Promise<void> {
  const byId = new Map<string, Message<WebhookJob>[]>();
  for (const m of messages) byId.set(m.body.id, [...(byId.get(m.body.id) ?? []), m]);
  // Every post is a subrequest, which Workers Free caps at 50 per invocation (Paid: 1,000): what a
  // larger batch holds beyond WEBHOOK_POSTS_PER_INVOCATION goes back on the queue for another one.
  const ids = [...byId.keys()];
  const now = new Map(ids.slice(0, deps.config.webhooks.postsPerInvocation).map((id) => [id, byId.get(id)!]));
  await postponeDeliveries(deps, ids.slice(now.size).map((id) => byId.get(id)!));
  try {
    const retryIn = await runDeliveries(deps, [...now.keys()]);
    for (const [id, [message, ...duplicates]] of now) {
      // A duplicate queue message of the same delivery is settled with the first.
      for (const d of duplicates) d.ack();
      const delay = retryIn.get(id);
      if (delay === undefined || delay === null) message!.ack();
      else message!.retry({ delaySeconds: delay });
    }
  } catch (err) {
    // Claims, loads or the write failed: every message is looked at again (a claimed one once its lease ends).
    console.error(JSON.stringify({ level: 'error', event: 'webhook_batch_failed', deliveries: now.size, error: String(err) }));
    for (const m of [...now.values()].flat()) m.retry({ delaySeconds: 60 });
  }
}

/**
 * Re-enqueues deliveries this invocation has no subrequests left for, as fresh queue messages (a
 * retry would spend one of the message's max_retries on a delivery never attempted). Should the
 * queue refuse, the messages are retried instead.
 */
async function postponeDeliveries(deps: Deps, later: Message<WebhookJob>[][]): Promise<void> {
  if (later.length === 0) return;
  try {
    await deps.webhookOutbox.enqueue(later.map(([first]) => ({ kind: 'webhook', id: first!.body.id })));
    for (const m of later.flat()) m.ack();
  } catch {
    for (const m of later.flat()) m.retry();
  }
}

/** One attempt of each pending delivery; says, per delivery id, when to try again (null: settled or nothing to do). */
export async function runDeliveries(deps: Deps, publicIds: string[]): Promise<Map<string, number | null>> {
  const now = deps.clock.now();
  const retryIn = new Map<string, number | null>();
  const claimed = await claimDeliveries(deps.db, publicIds, now, LEASE_MS);
  const claimedIds = new Set(claimed.map((d) => d.publicId));
  // Not claimed: settled already, or another attempt holds it right now (look again when its lease ends).
  for (const row of await findDeliveriesByPublicIds(deps.db, publicIds.filter((id) => !claimedIds.has(id)))) {
    const held = row.status === 'pending' && row.lockedUntil !== null && row.lockedUntil > now;
    retryIn.set(row.publicId, held ? Math.ceil((row.lockedUntil! - now) / 1000) + 1 : null);
  }
  const endpoints = new Map((await findWebhooksByIds(deps.db, [...new Set(claimed.map((d) => d.webhookId))])).map((w) => [w.id, w]));
  const live = claimed.filter((d) => endpoints.get(d.webhookId)?.enabled);
  const writes: BatchItem<'sqlite'>[] = [];
  // Deliveries of endpoints disabled (or deleted) since they were queued are settled without an attempt.
  for (const id of new Set(claimed.filter((d) => !live.includes(d)).map((d) => d.webhookId))) writes.push(failPendingStatement(deps.db, id, 'The endpoint is disabled', now));
  const results = await Promise.all(live.map((d) => postDelivery(deps, endpoints.get(d.webhookId)!, d)));
  const health = endpointHealth(live, results, endpoints, now);
  live.forEach((delivery, i) => {
    const { writes: w, retryIn: delay } = attemptWrites(deps, delivery, results[i]!, health.get(delivery.webhookId)!.disable, now);
    writes.push(...w);
    retryIn.set(delivery.publicId, delay);
  });
  for (const [id, h] of health) writes.push(...healthWrites(deps, endpoints.get(id)!, h, now));
  const [first, ...rest] = writes;
  if (first) await deps.db.batch([first, ...rest]);
  for (const [id, h] of health) {
    if (h.disable) console.warn(JSON.stringify({ level: 'warn', event: 'webhook_disabled', webhook: endpoints.get(id)!.publicId }));
  }
  return retryIn;
}

interface Health {
  failingSince: number | null;
  disable: boolean;
  lastError: string | null;
}

/** Per endpoint: any success clears the failure clock; otherwise it starts (or keeps running) and may run out. */
function endpointHealth(deliveries: WebhookDeliveryRow[], results: AttemptResult[], endpoints: Map<number, WebhookRow>, now: number): Map<number, Health> {
  const health = new Map<number, Health>();
  deliveries.forEach((d, i) => {
    const endpoint = endpoints.get(d.webhookId)!;
    const result = results[i]!;
    const before = health.get(d.webhookId);
    if (result.kind === 'ok' || before?.failingSince === null) {
      health.set(d.webhookId, { failingSince: null, disable: false, lastError: null });
      return;
    }
    const failingSince = endpoint.failingSince ?? now;
    health.set(d.webhookId, { failingSince, disable: now - failingSince >= DISABLE_AFTER_MS, lastError: result.error });
  });
  return health;
}

function healthWrites(deps: Deps, endpoint: WebhookRow, h: Health, now: number): BatchItem<'sqlite'>[] {
  if (h.disable) {
    return [
      webhookStatement(deps.db, endpoint.id, {
        enabled: false,
        failingSince: h.failingSince,
        disabledAt: now,
        disabledReason: `Disabled: every attempt failed for 24 hours (last: ${h.lastError ?? 'no answer'})`,
        updatedAt: now,
      }),
      failPendingStatement(deps.db, endpoint.id, 'The endpoint was disabled after failing for 24 hours', now),
    ];
  }
  return h.failingSince !== endpoint.failingSince ? [webhookStatement(deps.db, endpoint.id, { failingSince: h.failingSince })] : [];
}

function attemptWrites(deps: Deps, delivery: WebhookDeliveryRow, result: AttemptResult, disable: boolean, now: number) {
  const attempt = delivery.attempts;
  const retry = result.kind === 'retry' && attempt < MAX_ATTEMPTS && !disable;
  const delay = RETRY_SCHEDULE[attempt - 1] ?? RETRY_SCHEDULE.at(-1)!;
  const writes = attemptStatements(
    deps.db,
    delivery.id,
    { deliveryId: delivery.id, attempt, statusCode: result.statusCode, latencyMs: result.latencyMs, responseExcerpt: result.responseExcerpt, error: result.error, createdAt: now },
    {
      status: result.kind === 'ok' ? 'delivered' : retry ? 'pending' : 'failed',
      lastStatusCode: result.statusCode,
      lastError: result.error,
      nextAttemptAt: retry ? now + delay * 1000 : null,
      lockedUntil: null,
      updatedAt: now,
    },
  );
  return { writes: [...writes], retryIn: retry ? delay : null };
}

/**
 * The WEBHOOK_QUEUE consumer: one attempt per queue message, every attempt logged (status code,
 * latency, the start of the answer). 2xx ends a delivery; timeouts, network errors, 429 and 5xx are
 * retried on RETRY_SCHEDULE (about a day in all); anything else fails at once. An endpoint whose
 * attempts have all failed for DISABLE_AFTER_MS is disabled and flagged, and its pending deliveries
 * are settled as failed.
 */
import { attemptStatements, claimDelivery, failPendingStatement, findDeliveryByPublicId, findWebhookById, webhookStatement } from '../../db/webhooks';
import type { WebhookDeliveryRow, WebhookRow } from '../../db/schema';
import type { Deps } from '../deps';
import { postDelivery, type AttemptResult } from './post';
import type { WebhookJob } from './types';

/** Seconds before attempts 2, 3, …: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (≈ 27.6 h in all). */
export const RETRY_SCHEDULE = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
export const MAX_ATTEMPTS = RETRY_SCHEDULE.length + 1;
export const DISABLE_AFTER_MS = 24 * 3_600_000;
const LEASE_MS = 60_000;

export async function processWebhookJobs(deps: Deps, messages: readonly Message<WebhookJob>[]): Promise<void> {
  await Promise.all(
    messages.map(async (message) => {
      try {
        const { retryIn } = await runDelivery(deps, message.body.id);
        if (retryIn === null) message.ack();
        else message.retry({ delaySeconds: retryIn });
      } catch (err) {
        console.error(JSON.stringify({ level: 'error', event: 'webhook_attempt_failed', delivery: message.body.id, error: String(err) }));
        message.retry({ delaySeconds: 60 });
      }
    }),
  );
}

/** One attempt of a pending delivery; says when to try again (null: settled, or nothing to do). */
export async function runDelivery(deps: Deps, publicId: string): Promise<{ retryIn: number | null }> {
  const now = deps.clock.now();
  const delivery = await claimDelivery(deps.db, publicId, now, LEASE_MS);
  if (!delivery) {
    // Settled already, or another attempt holds it right now (then look again when its lease ends).
    const row = await findDeliveryByPublicId(deps.db, publicId);
    const held = row?.status === 'pending' && row.lockedUntil !== null && row.lockedUntil > now;
    return { retryIn: held ? Math.ceil((row.lockedUntil! - now) / 1000) + 1 : null };
  }
  const endpoint = await findWebhookById(deps.db, delivery.webhookId);
  if (!endpoint || !endpoint.enabled) {
    await deps.db.batch([failPendingStatement(deps.db, delivery.webhookId, 'The endpoint is disabled', now)]);
    return { retryIn: null };
  }
  const result = await postDelivery(deps, endpoint, delivery);
  return recordAttempt(deps, endpoint, delivery, result, now);
}

async function recordAttempt(deps: Deps, endpoint: WebhookRow, delivery: WebhookDeliveryRow, result: AttemptResult, now: number) {
  const attempt = delivery.attempts;
  const failingSince = result.kind === 'ok' ? null : (endpoint.failingSince ?? now);
  const disable = failingSince !== null && now - failingSince >= DISABLE_AFTER_MS;
  const retry = result.kind === 'retry' && attempt < MAX_ATTEMPTS && !disable;
  const delay = RETRY_SCHEDULE[attempt - 1] ?? RETRY_SCHEDULE.at(-1)!;
  const [insertAttempt, updateDelivery] = attemptStatements(
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
  const health = disable
    ? [
        webhookStatement(deps.db, endpoint.id, {
          enabled: false,
          failingSince,
          disabledAt: now,
          disabledReason: `Disabled: every attempt failed for 24 hours (last: ${result.error ?? 'no answer'})`,
          updatedAt: now,
        }),
        failPendingStatement(deps.db, endpoint.id, 'The endpoint was disabled after failing for 24 hours', now),
      ]
    : failingSince !== endpoint.failingSince
      ? [webhookStatement(deps.db, endpoint.id, { failingSince })]
      : [];
  await deps.db.batch([insertAttempt, updateDelivery, ...health]);
  if (disable) console.warn(JSON.stringify({ level: 'warn', event: 'webhook_disabled', webhook: endpoint.publicId, error: result.error }));
  return { retryIn: retry ? delay : null };
}

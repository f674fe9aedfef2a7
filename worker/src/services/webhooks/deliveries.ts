/** An endpoint's deliveries: the log (with every attempt), replaying one, and sending a test event now. */
import { attemptStatements, attemptsOf, findDelivery, insertDeliveries, listDeliveries } from '../../db/webhooks';
import type { WebhookAttemptRow, WebhookDeliveryRow } from '../../db/schema-webhooks';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import type { Principal } from '../principal';
import { deliveryRow, handOver, newMessageId } from './emit';
import { webhookFor } from './endpoints';
import { postDelivery } from './post';

export interface DeliveryView {
  delivery: WebhookDeliveryRow;
  attempts: WebhookAttemptRow[];
}

export async function deliveriesOf(deps: Deps, principal: Principal, publicId: string, q: { limit: number; beforeId?: number }) {
  const endpoint = await webhookFor(deps, principal, publicId);
  const rows = await listDeliveries(deps.db, endpoint.id, q.limit + 1, q.beforeId);
  const page = rows.slice(0, q.limit);
  return { items: page, nextId: rows.length > q.limit ? page.at(-1)!.delivery.id : null };
}

/** Sends a delivery's event again as a new delivery with the same webhook-id, so receivers can tell it is the same event. */
export async function replayDelivery(deps: Deps, principal: Principal, publicId: string, deliveryId: string): Promise<DeliveryView> {
  const endpoint = await webhookFor(deps, principal, publicId);
  const original = await findDelivery(deps.db, endpoint.id, deliveryId);
  if (!original) throw new AppError('webhook_delivery_not_found', 'No such delivery for this webhook.');
  if (!endpoint.enabled) throw new AppError('webhook_disabled', 'The webhook is disabled; enable it (PATCH enabled: true) before replaying.');
  const row = deliveryRow(endpoint.id, original.messageId, original.eventType, original.payload, deps.clock.now());
  await insertDeliveries(deps.db, [row]);
  await handOver(deps, [row.publicId]);
  return { delivery: (await findDelivery(deps.db, endpoint.id, row.publicId))!, attempts: [] };
}

/**
 * Posts a `webhook.test` event to the endpoint right now, once (no retries, and it does not count
 * towards disabling a failing endpoint), and answers with the attempt.
 */
export async function sendTestEvent(deps: Deps, principal: Principal, publicId: string): Promise<DeliveryView> {
  const endpoint = await webhookFor(deps, principal, publicId);
  const now = deps.clock.now();
  const payload = JSON.stringify({
    type: 'webhook.test',
    timestamp: new Date(now).toISOString(),
    data: { webhook_id: endpoint.publicId, message: 'A test event from Edgemail. Verify its signature with your whsec_ secret.' },
  });
  const row = { ...deliveryRow(endpoint.id, newMessageId(), 'webhook.test', payload, now), attempts: 1, nextAttemptAt: null };
  await insertDeliveries(deps.db, [row]);
  const delivery = (await findDelivery(deps.db, endpoint.id, row.publicId))!;
  const result = await postDelivery(deps, endpoint, delivery);
  await deps.db.batch(
    attemptStatements(
      deps.db,
      delivery.id,
      { deliveryId: delivery.id, attempt: 1, statusCode: result.statusCode, latencyMs: result.latencyMs, responseExcerpt: result.responseExcerpt, error: result.error, createdAt: now },
      { status: result.kind === 'ok' ? 'delivered' : 'failed', lastStatusCode: result.statusCode, lastError: result.error, updatedAt: now },
    ),
  );
  return { delivery: (await findDelivery(deps.db, endpoint.id, row.publicId))!, attempts: await attemptsOf(deps.db, delivery.id) };
}

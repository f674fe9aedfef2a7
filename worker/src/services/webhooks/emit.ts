/**
 * The one way services report events: `emitEvents` stores a delivery for every enabled endpoint that
 * wants the event (its event list and mailbox/domain filter) and hands them to WEBHOOK_QUEUE. Called
 * after the state change it reports has been written, so an event never announces something that
 * did not happen.
 */
import type { WebhookRow } from '../../db/schema-webhooks';
import { enabledWebhooks, insertDeliveries, overdueDeliveries, touchDeliveries, type NewDelivery } from '../../db/webhooks';
import { randomToken } from '../../lib/clock';
import type { Deps } from '../deps';
import { domainOf } from '../domains/registry';
import type { EventInput } from './types';

/** Whether an endpoint wants this event: its event list, then its mailbox or domain filter. */
export function wants(endpoint: Pick<WebhookRow, 'eventsJson' | 'mailbox' | 'domain'>, event: Pick<EventInput, 'type' | 'address'>): boolean {
  if (!(JSON.parse(endpoint.eventsJson) as string[]).includes(event.type)) return false;
  const address = event.address.toLowerCase();
  if (endpoint.mailbox !== null && endpoint.mailbox !== address) return false;
  if (endpoint.domain !== null && endpoint.domain !== domainOf(address)) return false;
  return true;
}

export const newMessageId = () => `msg_${randomToken(24)}`;

/**
 * Fans events out. Failures are logged, never thrown: the caller's state change is already committed
 * and must not be undone or retried because an event could not be queued (a send retried for that
 * would deliver twice). Deliveries that reached D1 but not the queue are picked up by the sweep.
 * `enabled`: the enabled endpoints, when the caller already read them in its own D1 batch.
 */
export async function emitEvents(deps: Deps, events: EventInput[], enabled?: WebhookRow[]): Promise<void> {
  if (events.length === 0) return;
  try {
    const endpoints = enabled ?? (await enabledWebhooks(deps.db));
    if (endpoints.length === 0) return;
    const now = deps.clock.now();
    const rows: NewDelivery[] = [];
    for (const event of events) {
      const targets = endpoints.filter((e) => wants(e, event));
      if (targets.length === 0) continue;
      // One message per event: every endpoint (and any replay) sees the same webhook-id.
      const messageId = newMessageId();
      const payload = JSON.stringify({ type: event.type, timestamp: new Date(now).toISOString(), data: event.data });
      for (const endpoint of targets) rows.push(deliveryRow(endpoint.id, messageId, event.type, payload, now));
    }
    if (rows.length === 0) return;
    await insertDeliveries(deps.db, rows);
    await handOver(deps, rows.map((r) => r.publicId));
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'webhook_emit_failed', types: [...new Set(events.map((e) => e.type))], error: String(err) }));
  }
}

export function deliveryRow(webhookId: number, messageId: string, eventType: string, payload: string, now: number): NewDelivery & { publicId: string } {
  return {
    publicId: `whd_${randomToken(24)}`,
    webhookId,
    messageId,
    eventType,
    payload,
    status: 'pending',
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** Queues deliveries; when the queue cannot be reached they stay pending in D1 for the sweep. */
export async function handOver(deps: Deps, publicIds: string[]): Promise<void> {
  try {
    await deps.webhookOutbox.enqueue(publicIds.map((id) => ({ kind: 'webhook', id })));
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'webhook_enqueue_failed', deliveries: publicIds.length, error: String(err) }));
  }
}

/** After this long past its due time, a pending delivery's queue message is presumed lost. */
const OVERDUE_MS = 15 * 60_000;

/** The cron's safety net: re-enqueues pending deliveries whose queue message never arrived. */
export async function releaseOverdueDeliveries(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const ids = await overdueDeliveries(deps.db, now - OVERDUE_MS, now, 500);
  if (ids.length === 0) return 0;
  await touchDeliveries(deps.db, ids, now);
  await deps.webhookOutbox.enqueue(ids.map((id) => ({ kind: 'webhook', id })));
  return ids.length;
}

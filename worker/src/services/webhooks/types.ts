/** Shapes shared by the webhook emitter, the delivery consumer and the queue handler. */
import type { WebhookEvent } from '../../db/schema-webhooks';

export { WEBHOOK_EVENTS, type WebhookEvent, type WebhookRow } from '../../db/schema-webhooks';

/** The body of a message on WEBHOOK_QUEUE (see handlers/queue.ts). */
export interface WebhookJob {
  kind: 'webhook';
  /** The delivery's public id (`whd_…`). */
  id: string;
}

/** Where new deliveries go: WEBHOOK_QUEUE. */
export interface WebhookOutbox {
  enqueue(jobs: WebhookJob[]): Promise<void>;
}

/** An event as a service reports it; the emitter fans it out to every endpoint that wants it. */
export interface EventInput {
  type: WebhookEvent;
  /** The mailbox the event belongs to (the sender of an outbound email, the mailbox that received mail): what filters match. */
  address: string;
  data: Record<string, unknown>;
}

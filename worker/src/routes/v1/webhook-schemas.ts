/** zod schemas and presenters of /api/v1/webhooks. */
import { z } from '@hono/zod-openapi';
import { WEBHOOK_EVENTS, type WebhookRow } from '../../services/webhooks/types';
import type { DeliveryView } from '../../services/webhooks/deliveries';
import type { V1Webhook, V1WebhookDelivery } from '../api-types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const WebhookEventEnum = z.enum(WEBHOOK_EVENTS).openapi('WebhookEvent');

const fields = {
  url: z.string().max(2000).openapi({ example: 'https://hooks.example.net/edgemail', description: 'http(s); loopback, private and link-local hosts are refused unless WEBHOOK_ALLOW_PRIVATE is on.' }),
  events: z.array(WebhookEventEnum).min(1).openapi({ example: ['email.delivered', 'email.bounced', 'email.received'] }),
  mailbox: z.email().nullable().optional().openapi({ description: 'Only events of this mailbox (mail it sends or receives). A mailbox key\'s endpoints always have its own.' }),
  domain: z.string().min(3).max(253).nullable().optional().openapi({ description: 'Only events of addresses on this domain.' }),
  enabled: z.boolean().optional(),
  description: z.string().max(200).optional(),
};

export const WebhookInput = z.object(fields).openapi('WebhookInput');
export const WebhookPatch = z
  .object({ ...fields, url: fields.url.optional(), events: fields.events.optional() })
  .openapi('WebhookPatch', { description: 'Any subset of the fields. enabled: true re-enables an endpoint disabled after failing.' });

export const Webhook = z
  .object({
    id: z.string().openapi({ example: 'wh_k2j4h5g6f7d8s9a0q1w2e3r4' }),
    url: z.string(),
    description: z.string(),
    events: z.array(WebhookEventEnum),
    mailbox: z.string().nullable(),
    domain: z.string().nullable(),
    enabled: z.boolean(),
    failing_since: z.string().nullable().openapi({ description: 'First failed attempt since the last success.' }),
    disabled_at: z.string().nullable(),
    disabled_reason: z.string().nullable().openapi({ description: 'Set when the endpoint was disabled after failing for 24 hours.' }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Webhook');

export const WebhookWithSecret = Webhook.extend({
  secret: z.string().openapi({ description: 'The signing secret (whsec_…). Shown only in this answer.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
}).openapi('WebhookWithSecret');

const Attempt = z
  .object({
    attempt: z.number().int(),
    status_code: z.number().int().nullable().openapi({ description: 'null for a timeout, network error or refused URL.' }),
    latency_ms: z.number().int(),
    response_excerpt: z.string().nullable(),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('WebhookAttempt');

export const Delivery = z
  .object({
    id: z.string().openapi({ example: 'whd_a1b2c3d4e5f6g7h8i9j0k1l2' }),
    message_id: z.string().openapi({ description: 'Sent as webhook-id; a replay keeps it.' }),
    event_type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error: z.string().nullable(),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    payload: z.unknown().openapi({ description: 'The event exactly as signed: { type, timestamp, data }.' }),
    attempt_log: z.array(Attempt),
  })
  .openapi('WebhookDelivery');

export function webhookView(row: WebhookRow): V1Webhook {
  return {
    id: row.publicId,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.eventsJson) as V1Webhook['events'],
    mailbox: row.mailbox,
    domain: row.domain,
    enabled: row.enabled,
    failing_since: iso(row.failingSince),
    disabled_at: iso(row.disabledAt),
    disabled_reason: row.disabledReason,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  };
}

export function deliveryView({ delivery: d, attempts }: DeliveryView): V1WebhookDelivery {
  return {
    id: d.publicId,
    message_id: d.messageId,
    event_type: d.eventType,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.lastStatusCode,
    last_error: d.lastError,
    next_attempt_at: iso(d.nextAttemptAt),
    created_at: iso(d.createdAt)!,
    updated_at: iso(d.updatedAt)!,
    payload: JSON.parse(d.payload) as unknown,
    attempt_log: attempts.map((a) => ({
      attempt: a.attempt,
      status_code: a.statusCode,
      latency_ms: a.latencyMs,
      response_excerpt: a.responseExcerpt,
      error: a.error,
      created_at: iso(a.createdAt)!,
    })),
  };
}

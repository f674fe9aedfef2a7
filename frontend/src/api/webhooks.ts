/** Typed calls to /api/v1/webhooks (the admin page manages every endpoint). */
import type { V1Webhook, V1WebhookDelivery, V1WebhookEvent } from '../../../worker/src/routes/api-types';
import { request, type Credentials } from './client';

export type { V1Webhook, V1WebhookDelivery, V1WebhookEvent };

export const WEBHOOK_EVENT_NAMES: V1WebhookEvent[] = [
  'email.received', 'email.queued', 'email.sent', 'email.delivered', 'email.delivery_delayed', 'email.bounced',
  'email.failed', 'email.opened', 'email.clicked', 'email.replied', 'email.cancelled', 'email.suppressed',
];

async function v1<T>(path: string, init: RequestInit & { creds: Credentials }): Promise<T> {
  return (await request<{ data: T }>(`/api/v1${path}`, init)).data;
}

const enc = encodeURIComponent;

export interface WebhookInput {
  url: string;
  events: V1WebhookEvent[];
  mailbox?: string | null;
  domain?: string | null;
}

export const webhooks = {
  list: (creds: Credentials) => v1<V1Webhook[]>('/webhooks', { creds }),
  create: (creds: Credentials, input: WebhookInput) => v1<V1Webhook & { secret: string }>('/webhooks', { method: 'POST', body: JSON.stringify(input), creds }),
  update: (creds: Credentials, id: string, patch: Partial<WebhookInput> & { enabled?: boolean }) =>
    v1<V1Webhook>(`/webhooks/${enc(id)}`, { method: 'PATCH', body: JSON.stringify(patch), creds }),
  remove: (creds: Credentials, id: string) => v1<{ id: string }>(`/webhooks/${enc(id)}`, { method: 'DELETE', creds }),
  rotate: (creds: Credentials, id: string) => v1<V1Webhook & { secret: string }>(`/webhooks/${enc(id)}/rotate_secret`, { method: 'POST', creds }),
  test: (creds: Credentials, id: string) => v1<V1WebhookDelivery>(`/webhooks/${enc(id)}/test`, { method: 'POST', creds }),
  deliveries: (creds: Credentials, id: string) => v1<V1WebhookDelivery[]>(`/webhooks/${enc(id)}/deliveries?limit=10`, { creds }),
  replay: (creds: Credentials, id: string, deliveryId: string) =>
    v1<V1WebhookDelivery>(`/webhooks/${enc(id)}/deliveries/${enc(deliveryId)}/replay`, { method: 'POST', creds }),
};

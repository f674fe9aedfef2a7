/** Webhook-test plumbing: an env whose WEBHOOK_QUEUE nobody consumes (the test runs queue() itself), the local receiver, endpoints. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { expect, inject } from 'vitest';
import worker from '../../src/index';
import { createDeps } from '../../src/services/deps';
import { processWebhookJobs } from '../../src/services/webhooks/consumer';
import type { WebhookJob } from '../../src/services/webhooks/types';
import { envWith, json, testEnv } from '../helpers';
import { v1 } from '../v1/helpers';

type Vars = Parameters<typeof envWith>[0];

export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** Local development settings (private targets allowed), with deliveries held for the test to run. */
export function webhookEnv(vars: Vars = {}): Env {
  const held = (testEnv as unknown as { HELD_WEBHOOK_QUEUE: Queue; HELD_SEND_QUEUE: Queue });
  return { ...envWith({ WEBHOOK_ALLOW_PRIVATE: 'true', ...vars }), WEBHOOK_QUEUE: held.HELD_WEBHOOK_QUEUE, SEND_QUEUE: held.HELD_SEND_QUEUE };
}

export const receiverUrl = (mode: string, key: string) => `${inject('webhookUrl')}/${mode}/${key}`;

export interface Received {
  key: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export async function received(key: string): Promise<Received[]> {
  return (await fetch(`${inject('webhookUrl')}/_received?key=${key}`)).json() as Promise<Received[]>;
}

export async function createWebhook(key: string, body: Record<string, unknown>, e?: Env) {
  const res = await v1(key, '/webhooks', { method: 'POST', body: JSON.stringify(body) }, e);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await json(res)).data as { id: string; secret: string; mailbox: string | null };
}

export async function deliveries(key: string, id: string, e?: Env) {
  const res = await v1(key, `/webhooks/${id}/deliveries`, {}, e);
  expect(res.status).toBe(200);
  return (await json(res)).data as any[];
}

let next = 0;

/**
 * Hands deliveries to the consumer as WEBHOOK_QUEUE would, and reports each retry's delay. With a
 * clock, the consumer service runs with that time (as the queue entry would, a day later).
 */
export async function runWebhooks(e: Env, ids: string[], clock?: { now(): number }) {
  const batch = createMessageBatch<WebhookJob>('edgemail-webhooks', ids.map((id) => ({ id: `w${next++}`, timestamp: new Date(), attempts: 1, body: { kind: 'webhook', id } })));
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', { value: (options?: QueueRetryOptions) => (delays.push(options?.delaySeconds), retry(options)) });
  }
  const ctx = createExecutionContext();
  if (clock) await processWebhookJobs(createDeps(e, clock), batch.messages);
  else await worker.queue(batch as MessageBatch<unknown>, e);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

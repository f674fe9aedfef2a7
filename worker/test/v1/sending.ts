/** Sending-test plumbing: waiting for the real queue consumer, or running queue() ourselves on a held queue. */
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { expect, inject } from 'vitest';
import worker from '../../src/index';
import { envWith, json, testEnv } from '../helpers';
import { v1 } from './helpers';

type Vars = Parameters<typeof envWith>[0];

export async function sendEmail(key: string, body: unknown, headers: Record<string, string> = {}) {
  return v1(key, '/emails', { method: 'POST', headers, body: JSON.stringify(body) });
}

export async function getEmail(key: string, id: string) {
  const res = await v1(key, `/emails/${id}`);
  expect(res.status, `GET /emails/${id}`).toBe(200);
  return (await json(res)).data;
}

const SETTLED = ['sent', 'delivered', 'partially_failed', 'bounced', 'failed', 'cancelled'];

/** Polls until the real SEND_QUEUE consumer has finished with the email. */
export async function settled(key: string, id: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const email = await getEmail(key, id);
    if (SETTLED.includes(email.status)) return email;
    if (Date.now() > deadline) throw new Error(`email ${id} still ${email.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * An env whose SEND_QUEUE nobody consumes, with some variables changed: the test runs the Worker's
 * queue() itself, so it controls attempts and sees each retry decision.
 */
export function heldEnv(vars: Vars): Env {
  return { ...envWith(vars), SEND_QUEUE: (testEnv as unknown as { HELD_SEND_QUEUE: Queue }).HELD_SEND_QUEUE };
}

export const smtpEnv = (vars: Vars = {}) =>
  heldEnv({ MAIL_PROVIDER: 'smtp', SMTP_RELAY_HOST: '127.0.0.1', SMTP_RELAY_PORT: String(inject('smtpRelayPort')), SMTP_RELAY_SECURITY: 'none', SMTP_RELAY_USER: 'relay', SMTP_RELAY_PASSWORD: 'relay-pass', ...vars });

let nextMessage = 0;

/**
 * Delivers one SEND_QUEUE message for `id` to the Worker's queue() and reports ack/retry, with the
 * delay each retry asked for (getQueueResult does not report delays, so retry() is observed).
 */
export async function runQueue(e: Env, id: string | string[], attempts = 1) {
  const ids = Array.isArray(id) ? id : [id];
  const batch = createMessageBatch('edgemail-send', ids.map((one) => ({ id: `m${nextMessage++}`, timestamp: new Date(), attempts, body: { kind: 'send', id: one } })));
  const delays: (number | undefined)[] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    Object.defineProperty(message, 'retry', { value: (options?: QueueRetryOptions) => (delays.push(options?.delaySeconds), retry(options)) });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, e);
  return { ...(await getQueueResult(batch, ctx)), delays };
}

/** What the fake relays accepted: envelope, raw source, and whether the session was encrypted. */
export interface RelayedMessage {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
}

export async function relayReceived(): Promise<RelayedMessage[]> {
  return (await fetch(`${inject('smtpControlUrl')}/_received`)).json() as Promise<RelayedMessage[]>;
}

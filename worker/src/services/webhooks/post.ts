/**
 * One HTTP attempt of a delivery: signed per Standard Webhooks (the `standardwebhooks` package:
 * `webhook-id`, `webhook-timestamp`, `webhook-signature`), POSTed with a timeout, never following a
 * redirect. Says what happened; deciding about retries is the caller's.
 */
import { Webhook } from 'standardwebhooks';
import type { WebhookDeliveryRow, WebhookRow } from '../../db/schema-webhooks';
import type { Deps } from '../deps';
import { webhookUrlProblem } from './url-guard';

export interface AttemptResult {
  statusCode: number | null;
  latencyMs: number;
  responseExcerpt: string | null;
  error: string | null;
  /** ok: 2xx; retry: a timeout, network error, 429 or 5xx; permanent: anything else (other 4xx, a redirect, a refused URL). */
  kind: 'ok' | 'retry' | 'permanent';
}

const EXCERPT_CHARS = 500;

/** The start of the answer, without reading an arbitrarily large body. */
async function excerptOf(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_CHARS * 4) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((c) => [...c])));
  return text ? text.slice(0, EXCERPT_CHARS) : null;
}

export function signatureHeaders(secret: string, messageId: string, at: Date, payload: string): Record<string, string> {
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, payload),
  };
}

export async function postDelivery(deps: Deps, endpoint: Pick<WebhookRow, 'url' | 'secret'>, delivery: Pick<WebhookDeliveryRow, 'messageId' | 'payload'>): Promise<AttemptResult> {
  const problem = webhookUrlProblem(endpoint.url, deps.config.webhooks.allowPrivate);
  if (problem) return { statusCode: null, latencyMs: 0, responseExcerpt: null, error: `Refused: ${problem}`, kind: 'permanent' };
  const timeoutMs = deps.config.webhooks.timeoutMs;
  const started = Date.now();
  try {
    const res = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Edgemail-Webhooks/1.0',
        ...signatureHeaders(endpoint.secret, delivery.messageId, new Date(deps.clock.now()), delivery.payload),
      },
      body: delivery.payload,
      // A redirect is an answer, not an instruction: following it could lead anywhere.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const responseExcerpt = await excerptOf(res);
    const latencyMs = Date.now() - started;
    const kind = res.status >= 200 && res.status < 300 ? 'ok' : res.status === 429 || res.status >= 500 ? 'retry' : 'permanent';
    const error = kind === 'ok' ? null : res.status >= 300 && res.status < 400 ? `Redirect (${res.status}) not followed` : `HTTP ${res.status}`;
    return { statusCode: res.status, latencyMs, responseExcerpt, error, kind };
  } catch (err) {
    const latencyMs = Date.now() - started;
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    return { statusCode: null, latencyMs, responseExcerpt: null, error: timedOut ? `Timed out after ${timeoutMs} ms` : `Network error: ${String(err).slice(0, 200)}`, kind: 'retry' };
  }
}

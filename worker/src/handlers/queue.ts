/**
 * The one queue() entry: every message body is JSON with a `kind`; a batch is grouped by kind and
 * each group handed to its service. Unknown kinds and malformed bodies are logged and acknowledged
 * (retrying cannot help).
 */
import { createDeps, type Deps } from '../services/deps';
import { processDeadLetters, processSendJobs } from '../services/sending/consumer';
import type { SendJob } from '../services/sending/types';
import { processWebhookJobs } from '../services/webhooks/consumer';
import type { WebhookJob } from '../services/webhooks/types';

interface Route<Body> {
  accepts(body: unknown): body is Body;
  handle(deps: Deps, messages: readonly Message<Body>[], queue: string): Promise<void>;
}

const route = <Body>(r: Route<Body>) => r as Route<unknown>;

const routes: Record<string, Route<unknown>> = {
  send: route<SendJob>({
    accepts: (body): body is SendJob => typeof (body as SendJob).id === 'string',
    handle: (deps, messages, queue) => (queue.endsWith('-dlq') ? processDeadLetters(deps, messages) : processSendJobs(deps, messages)),
  }),
  webhook: route<WebhookJob>({
    accepts: (body): body is WebhookJob => typeof (body as WebhookJob).id === 'string',
    handle: (deps, messages) => processWebhookJobs(deps, messages),
  }),
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deps = createDeps(env);
  const groups = new Map<Route<unknown>, Message<unknown>[]>();
  for (const message of batch.messages) {
    const kind = (message.body as { kind?: unknown } | null)?.kind;
    const r = typeof kind === 'string' ? routes[kind] : undefined;
    if (!r || !r.accepts(message.body)) {
      console.error(JSON.stringify({ level: 'error', event: 'unroutable_queue_message', kind: String(kind), queue: batch.queue }));
      message.ack();
      continue;
    }
    groups.set(r, [...(groups.get(r) ?? []), message]);
  }
  await Promise.all([...groups].map(([r, messages]) => r.handle(deps, messages, batch.queue)));
}

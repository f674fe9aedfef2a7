/**
 * The one queue() entry for every queue this Worker consumes: every message body is JSON with a
 * `kind`; a batch is grouped by kind and each group handed to its service. A malformed body (no kind,
 * or a known kind without its fields) is logged and acknowledged: no retry can help. A kind this
 * version does not know is retried, since a newer deployment may have enqueued it and will consume
 * it. A group whose service throws is retried as a whole, without touching the other groups.
 */
import { createDeps, type Deps } from '../services/deps';
import { announcingOnce, indexQueued, type IndexMessage } from '../services/search-index';
import { processDeadLetters, processSendJobs } from '../services/sending/consumer';
import type { SendJob } from '../services/sending/types';
import { processWebhookJobs } from '../services/webhooks/consumer';
import type { WebhookJob } from '../services/webhooks/types';

interface Route<Body> {
  accepts(body: unknown): body is Body;
  /** Acknowledges or retries each message itself (send and webhook jobs retry one by one, with delays). */
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
  index: route<IndexMessage>({
    accepts: (body): body is IndexMessage => Array.isArray((body as IndexMessage).mailIds),
    // Indexing a batch is one transaction: all of it is done, or all of it is retried.
    async handle(deps, messages) {
      await indexQueued(deps, messages.map((m) => m.body));
      for (const message of messages) message.ack();
    },
  }),
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // Mail a batch stores (internal deliveries, Sent copies) is announced for indexing once, at its end.
  await announcingOnce(createDeps(env), (deps) => consume(batch, deps));
}

async function consume(batch: MessageBatch<unknown>, deps: Deps): Promise<void> {
  const groups = new Map<Route<unknown>, Message<unknown>[]>();
  for (const message of batch.messages) {
    const kind = (message.body as { kind?: unknown } | null)?.kind;
    const r = typeof kind === 'string' ? routes[kind] : undefined;
    if (typeof kind === 'string' && !r) {
      console.error(JSON.stringify({ level: 'warn', event: 'unknown_queue_kind', kind, queue: batch.queue }));
      message.retry();
      continue;
    }
    if (!r || !r.accepts(message.body)) {
      console.error(JSON.stringify({ level: 'error', event: 'malformed_queue_message', kind: String(kind), queue: batch.queue }));
      message.ack();
      continue;
    }
    groups.set(r, [...(groups.get(r) ?? []), message]);
  }
  await Promise.all(
    [...groups].map(async ([r, messages]) => {
      try {
        await r.handle(deps, messages, batch.queue);
      } catch (err) {
        // Messages the service already acknowledged stay acknowledged; the rest come back later.
        console.error(JSON.stringify({ level: 'error', event: 'queue_consumer_failed', queue: batch.queue, messages: messages.length, error: String(err) }));
        for (const message of messages) message.retry();
      }
    }),
  );
}

/**
 * The one Queues entry for every queue this Worker consumes. Message bodies are JSON objects with a
 * `kind`; a batch is split by kind and each group goes to the service that owns it. A group whose
 * service throws is retried as a whole, without touching the other groups of the batch.
 */
import type { Deps } from '../services/deps';
import { createDeps } from '../services/deps';
import { indexQueued } from '../services/search-index';

/** A consumer for one kind of message: gets the bodies; throwing retries them. */
type KindConsumer = (deps: Deps, bodies: readonly unknown[]) => Promise<void>;

const CONSUMERS: Record<string, KindConsumer> = {
  index: indexQueued,
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deps = createDeps(env);
  const groups = new Map<string, Message<unknown>[]>();
  for (const message of batch.messages) {
    const kind = String((message.body as { kind?: unknown } | null)?.kind);
    const group = groups.get(kind);
    if (group) group.push(message);
    else groups.set(kind, [message]);
  }
  for (const [kind, messages] of groups) {
    const consumer = CONSUMERS[kind];
    try {
      if (!consumer) throw new Error(`no consumer for message kind "${kind}"`);
      await consumer(deps, messages.map((m) => m.body));
      for (const message of messages) message.ack();
    } catch (err) {
      console.error(JSON.stringify({ level: 'error', event: 'queue_consumer_failed', queue: batch.queue, kind, messages: messages.length, error: String(err) }));
      for (const message of messages) message.retry();
    }
  }
}

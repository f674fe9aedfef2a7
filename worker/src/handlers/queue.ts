/**
 * The one queue() entry: every message body is JSON with a `kind`; a batch is grouped by kind and
 * each group handed to its service. Unknown kinds are logged and acknowledged (retrying cannot help).
 */
import { createDeps, type Deps } from '../services/deps';
import { processDeadLetters, processSendJobs } from '../services/sending/consumer';
import type { SendJob } from '../services/sending/types';

type Handler = (deps: Deps, messages: readonly Message<any>[], queue: string) => Promise<void>;

const handlers: Record<string, Handler> = {
  send: (deps, messages: readonly Message<SendJob>[], queue) =>
    queue.endsWith('-dlq') ? processDeadLetters(deps, messages) : processSendJobs(deps, messages),
};

export async function handleQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const deps = createDeps(env);
  const groups = new Map<string, Message<any>[]>();
  for (const message of batch.messages) {
    const kind = (message.body as { kind?: unknown } | null)?.kind;
    const key = typeof kind === 'string' ? kind : '';
    groups.set(key, [...(groups.get(key) ?? []), message]);
  }
  await Promise.all(
    [...groups].map(([kind, messages]) => {
      const handler = handlers[kind];
      if (handler) return handler(deps, messages, batch.queue);
      console.error(JSON.stringify({ level: 'error', event: 'unknown_queue_kind', kind, queue: batch.queue, count: messages.length }));
      for (const m of messages) m.ack();
      return Promise.resolve();
    }),
  );
}

/**
 * The plain dependencies every service takes. Built once per isolate and env object, then shared by
 * every request, email, queue batch and cron run the isolate serves: a profile showed per-request
 * construction (drizzle's schema walk, config, provider) costing about a sixth of request CPU.
 * Everything here is stateless or safe to share between concurrent requests, and the object is frozen
 * so no request can change what the next one sees.
 */
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
import type { RateLimiter } from '../durable/rate-limiter';
import { systemClock, type Clock } from '../lib/clock';
import type { IndexAnnouncer } from './index-announcer';
import { createProvider } from './providers';
import type { OutboundProvider } from './providers/types';
import type { IndexMessage } from './search-index';
import type { Outbox, Scheduler, SendJob } from './sending/types';
import type { WebhookOutbox } from './webhooks/types';

export interface Deps {
  db: Db;
  blobs: R2Bucket;
  config: Config;
  clock: Clock;
  /** Outbound delivery for recipients outside our domains. */
  provider: OutboundProvider;
  /** Request counters that hold across isolates (per-key limits of every door). */
  rateLimiter: DurableObjectNamespace<RateLimiter>;
  /** The Workers AI binding, when wrangler.toml has `[ai] binding = "AI"` (optional: see there). */
  aiBinding: Ai | null;
  /** SEND_QUEUE (and its dead-letter queue): where accepted messages wait for dispatch. */
  outbox: Outbox;
  /** The SendScheduler Durable Object: wakes when the next scheduled message is due. */
  scheduler: Scheduler;
  /** WEBHOOK_QUEUE: where webhook deliveries wait for their next attempt. */
  webhookOutbox: WebhookOutbox;
  /** Where new mail is handed for search indexing; without it, mail is indexed right after it is stored. */
  indexQueue: Queue<IndexMessage> | null;
  /**
   * Set per invocation (services/search-index.ts `sharingAnnouncements`, `announcingOnce`):
   * where the ids of new mail go to be announced on `indexQueue` together with others'. Null: each
   * stored message is announced on its own, at once.
   */
  indexAnnouncer: IndexAnnouncer | null;
}

/** The `AI` binding is optional, so `wrangler types` does not list it; this is its shape when present. */
type WithAi = Env & { AI?: Ai };

// Queues take at most 100 messages per sendBatch call.
const QUEUE_BATCH = 100;

// Keyed by the env object: tests (and, in principle, a runtime) may hand over differently configured envs.
const perEnv = new WeakMap<Env, Deps>();

/**
 * The deps for `env`: built on first use, then reused for the life of the isolate. A `clock` (tests
 * that pin time) gets a fresh, unshared set instead.
 */
export function createDeps(env: Env, clock?: Clock): Deps {
  if (clock) return buildDeps(env, clock);
  let deps = perEnv.get(env);
  if (!deps) {
    deps = buildDeps(env, systemClock);
    perEnv.set(env, deps);
  }
  return deps;
}

function buildDeps(env: Env, clock: Clock): Deps {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  return Object.freeze({
    db: createDb(env.DB),
    blobs: env.BLOBS,
    config,
    clock,
    provider: createProvider(config, env),
    rateLimiter: env.RATE_LIMITER,
    aiBinding: (env as WithAi).AI ?? null,
    outbox: queueOutbox(env.SEND_QUEUE, env.SEND_DLQ),
    scheduler: { wake: (at: number) => env.SEND_SCHEDULER.get(env.SEND_SCHEDULER.idFromName('global')).wake(at) },
    webhookOutbox: { enqueue: (jobs: object[]) => sendInBatches(env.WEBHOOK_QUEUE, jobs) },
    indexQueue: (env.INDEX_QUEUE as Queue<IndexMessage> | undefined) ?? null,
    indexAnnouncer: null,
  });
}

async function sendInBatches(queue: Queue, jobs: object[]): Promise<void> {
  for (let i = 0; i < jobs.length; i += QUEUE_BATCH) {
    await queue.sendBatch(jobs.slice(i, i + QUEUE_BATCH).map((body) => ({ body, contentType: 'json' })));
  }
}

function queueOutbox(queue: Queue, deadLetters: Queue): Outbox {
  return {
    enqueue: (jobs) => sendInBatches(queue, jobs),
    async deadLetter(job: SendJob) {
      await deadLetters.send(job, { contentType: 'json' });
    },
  };
}

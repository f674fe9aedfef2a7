/**
 * The plain dependencies every service takes. Built once per isolate and env object, then shared by
 * every request, email, queue batch and cron run the isolate serves: a profile showed per-request
 * construction (drizzle's schema walk, config, provider) costing about a sixth of request CPU.
 * Everything here is stateless or safe to share between concurrent requests, and the object is frozen
 * so no request can change what the next one sees.
 */
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
import { systemClock, type Clock } from '../lib/clock';
import { createProvider } from './providers';
import type { OutboundProvider } from './providers/types';
import type { IndexMessage } from './search-index';

export interface Deps {
  db: Db;
  blobs: R2Bucket;
  config: Config;
  clock: Clock;
  /** Outbound delivery for recipients outside our DOMAINS. */
  provider: OutboundProvider;
  /** Where new mail is handed for search indexing; without it, mail is indexed right after it is stored. */
  indexQueue: Queue<IndexMessage> | null;
}

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
    indexQueue: (env.INDEX_QUEUE as Queue<IndexMessage> | undefined) ?? null,
  });
}

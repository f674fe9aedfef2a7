/** The plain dependencies every service takes; built once per request, email or cron run. */
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
import type { RateLimiter } from '../durable/rate-limiter';
import { systemClock, type Clock } from '../lib/clock';
import { createProvider } from './providers';
import type { OutboundProvider } from './providers/types';

export interface Deps {
  db: Db;
  blobs: R2Bucket;
  config: Config;
  clock: Clock;
  /** Outbound delivery for recipients outside our DOMAINS. */
  provider: OutboundProvider;
  /** Request counters that hold across isolates (per-key limits of every door). */
  rateLimiter: DurableObjectNamespace<RateLimiter>;
  /** The Workers AI binding, when wrangler.toml has `[ai] binding = "AI"` (optional: see there). */
  aiBinding: Ai | null;
}

/** The `AI` binding is optional, so `wrangler types` does not list it; this is its shape when present. */
type WithAi = Env & { AI?: Ai };

export function createDeps(env: Env, clock: Clock = systemClock): Deps {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  return {
    db: createDb(env.DB),
    blobs: env.BLOBS,
    config,
    clock,
    provider: createProvider(config, env),
    rateLimiter: env.RATE_LIMITER,
    aiBinding: (env as WithAi).AI ?? null,
  };
}

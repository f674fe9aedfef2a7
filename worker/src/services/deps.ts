/** The plain dependencies every service takes; built once per request, email or cron run. */
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
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
}

export function createDeps(env: Env, clock: Clock = systemClock): Deps {
  const config = loadConfig(env as unknown as Record<string, unknown>);
  return { db: createDb(env.DB), blobs: env.BLOBS, config, clock, provider: createProvider(config, env) };
}

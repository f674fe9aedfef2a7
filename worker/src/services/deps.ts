/** The plain dependencies every service takes; built once per request, email or cron run. */
import { loadConfig, type Config } from '../config';
import { createDb, type Db } from '../db/client';
import { systemClock, type Clock } from '../lib/clock';

export interface Deps {
  db: Db;
  blobs: R2Bucket;
  config: Config;
  clock: Clock;
}

export function createDeps(env: Env, clock: Clock = systemClock): Deps {
  return { db: createDb(env.DB), blobs: env.BLOBS, config: loadConfig(env as unknown as Record<string, unknown>), clock };
}

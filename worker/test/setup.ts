// Each test file gets its own D1 storage; apply the real migrations to it before any test runs.
import { applyD1Migrations } from 'cloudflare:test';
import { enforceD1ProductionLimits } from './d1-production-limits';
import { testEnv } from './helpers';

await applyD1Migrations(testEnv.DB, testEnv.TEST_MIGRATIONS);

// Production D1's per-statement limits, which local SQLite does not have (see d1-production-limits.ts).
enforceD1ProductionLimits(testEnv.DB);

// Each test file gets its own D1 storage; apply the real migrations to it before any test runs.
import { applyD1Migrations } from 'cloudflare:test';
import { testEnv } from './helpers';

await applyD1Migrations(testEnv.DB, testEnv.TEST_MIGRATIONS);

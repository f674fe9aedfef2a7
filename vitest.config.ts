/**
 * Two test projects:
 * - `worker`: inside workerd (vitest-pool-workers) with real local D1 and R2 from wrangler.toml.
 *   Fixtures are read here, on the Node side, and handed over as a binding, because code inside
 *   workerd cannot read the file system.
 * - `e2e`: in Node, against the real Worker under `wrangler dev`: real SMTP clients (Python smtplib,
 *   swaks) talking to the SMTP proxy, and headless Chromium driving the web UI.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { defineConfig, defineProject } from 'vitest/config';

const fixturesDir = fileURLToPath(new URL('./worker/test/fixtures', import.meta.url));
const fixtures = Object.fromEntries(
  readdirSync(fixturesDir)
    .filter((name) => name.endsWith('.eml') || name.endsWith('.bin'))
    .map((name) => [name, readFileSync(`${fixturesDir}/${name}`).toString('base64')]),
);

const workerProject = defineProject({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: './wrangler.toml' },
      miniflare: {
        // Every variable is pinned: wrangler would otherwise layer a developer's .dev.vars on top.
        bindings: {
          // Test-only values; real deployments set these with `wrangler secret put`.
          JWT_SECRET: 'test-secret-not-for-production-0123456789',
          ADMIN_PASSWORDS: 'admin-test-password',
          PASSWORDS: '',
          DOMAINS: 'example.com,mail.test',
          CATCH_ALL: 'reject',
          MAX_MESSAGE_BYTES: '26214400',
          BLOB_THRESHOLD_BYTES: '131072',
          BODIES_IN_R2: 'false',
          SEARCH_BODY_CHARS: '100000',
          ADMIN_ONLY_CREATE: 'false',
          JWT_TTL_SECONDS: '0',
          FORWARD_TO: '',
          RETENTION_DAYS: '0',
          ADDRESS_TTL_DAYS: '0',
          CLEANUP_BATCH_SIZE: '200',
          MAIL_PROVIDER: 'cloudflare',
          RESEND_API_KEY: '',
          RESEND_API_URL: 'https://api.resend.com',
          // Generous here so sending tests are not about quota unless they say so.
          DEFAULT_SEND_BALANCE: '1000',
          SEND_RATE_PER_MINUTE: '1000',
          MAX_RECIPIENTS: '50',
          V1_RATE_READ_PER_MINUTE: '600',
          V1_RATE_WRITE_PER_MINUTE: '120',
          V1_RATE_SEARCH_PER_MINUTE: '60',
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
          TEST_FIXTURES: fixtures,
        },
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['worker/**/*.test.ts'],
    setupFiles: ['./worker/test/setup.ts'],
    globalSetup: ['./worker/test/fake-resend.ts'],
    // Large-message tests move megabytes through workerd on a 2-core machine.
    testTimeout: 30_000,
  },
});

const e2eProject = defineProject({
  test: {
    name: 'e2e',
    include: ['smtp-proxy/test/**/*.test.ts', 'frontend/test/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./scripts/e2e-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One wrangler dev serves every e2e file; running them one at a time keeps the 2-core box calm.
    fileParallelism: false,
  },
});

export default defineConfig({ test: { projects: [workerProject, e2eProject] } });

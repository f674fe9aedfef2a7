/**
 * Two test projects:
 * - `worker`: inside workerd (vitest-pool-workers) with real local D1 and R2 from wrangler.toml.
 *   Fixtures are read here, on the Node side, and handed over as a binding, because code inside
 *   workerd cannot read the file system.
 * - `e2e`: in Node, against the real Worker under `wrangler dev`: real SMTP clients (Python smtplib,
 *   swaks) talking to the SMTP proxy, headless Chromium driving the web UI, and SpamAssassin judging
 *   the mail the Worker builds (worker/e2e/).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig, defineProject } from 'vitest/config';

// The test relays' certificate authority must be in NODE_EXTRA_CA_CERTS before Miniflare loads (it
// reads the variable once): a static import would be hoisted above this, so the pool comes after.
await import('./scripts/relay-tls-ca.mjs');
const { cloudflareTest, readD1Migrations } = await import('@cloudflare/vitest-pool-workers');

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
        // A queue nobody consumes: tests that run the Worker's queue() themselves (with a provider
        // configured differently from the pinned one) point SEND_QUEUE at it, so the background
        // consumer does not race them.
        queueProducers: { HELD_SEND_QUEUE: { queueName: 'edgemail-send-held' }, HELD_WEBHOOK_QUEUE: { queueName: 'edgemail-webhooks-held' } },
        // The Worker's own EMAIL binding, and one restricted to a single destination: the local
        // simulator refuses any other recipient, as Cloudflare refuses an unverified one.
        email: { send_email: [{ name: 'EMAIL' }, { name: 'EMAIL_ALLOWLIST', allowed_destination_addresses: ['allowed@far.test'] }] },
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
          // Tests make hundreds of addresses from one (absent) client IP; the limit's own test sets it.
          NEW_ADDRESSES_PER_HOUR: '0',
          MAX_RECIPIENTS: '50',
          IMPORT_MAX_MESSAGES: '400',
          V1_RATE_READ_PER_MINUTE: '600',
          V1_RATE_WRITE_PER_MINUTE: '120',
          V1_RATE_SEARCH_PER_MINUTE: '60',
          MAILAPI_RATE_PER_MINUTE: '100',
          MAILAPI_RATE_PER_HOUR: '1000',
          ADMIN_AUTH_FAILURES_PER_MINUTE: '10',
          SIGNUP: 'on',
          SESSION_TTL_SECONDS: '1209600',
          DKIM_ENCRYPTION_KEY: 'test-dkim-encryption-key-0123456789',
          // Overridden per test with the local DoH server's URL (worker/test/fake-dns.ts).
          DOH_RESOLVER_URL: 'https://cloudflare-dns.com/dns-query',
          // 0: every lookup reads D1, so tests see their own writes and never another file's.
          DOMAIN_CACHE_SECONDS: '0',
          // AI is off unless a test turns it on (with worker/test/fake-ai.ts as the provider).
          AI_PROVIDER: '',
          OPENAI_API_KEY: '',
          OPENAI_BASE_URL: '',
          OPENAI_MODEL: '',
          ANTHROPIC_API_KEY: '',
          ANTHROPIC_BASE_URL: '',
          ANTHROPIC_MODEL: '',
          WORKERS_AI_MODEL: '',
          AI_RATE_PER_HOUR: '50',
          AI_MAX_INPUT_CHARS: '24000',
          AI_TIMEOUT_MS: '60000',
          BYTESMTP_SEND_PER_HOUR: '100',
          BYTESMTP_INBOX_PER_HOUR: '300',
          BYTESMTP_READ_PER_HOUR: '300',
          BYTESMTP_DELETE_PER_HOUR: '100',
          SEND_MAX_ATTEMPTS: '3',
          // Retries a second apart, so retry tests finish quickly.
          SEND_RETRY_BASE_SECONDS: '1',
          SMTP_RELAY_HOST: '',
          SMTP_RELAY_PORT: '587',
          SMTP_RELAY_SECURITY: 'starttls',
          SMTP_RELAY_USER: '',
          SMTP_RELAY_PASSWORD: '',
          REMOTE_ATTACHMENTS: 'public',
          REMOTE_ATTACHMENT_TIMEOUT_MS: '10000',
          PUBLIC_URL: '',
          TRACKING: 'on',
          TRACK_OPENS: 'false',
          TRACK_CLICKS: 'false',
          TRACKING_SECRET: '',
          // Tests that post to the local receiver (worker/test/fake-webhook.ts) turn this on.
          WEBHOOK_ALLOW_PRIVATE: 'false',
          WEBHOOK_TIMEOUT_MS: '10000',
          WEBHOOK_POSTS_PER_INVOCATION: '40',
          SMTP_PROXY_ADDRESS: '',
          TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
          TEST_FIXTURES: fixtures,
        },
      },
    })),
  ],
  test: {
    name: 'worker',
    include: ['worker/**/*.test.ts'],
    // Node-side checks of the Worker's output (SpamAssassin) run in the e2e project.
    exclude: [...configDefaults.exclude, 'worker/e2e/**'],
    setupFiles: ['./worker/test/setup.ts'],
    globalSetup: [
      './worker/test/fake-resend.ts',
      './worker/test/fake-dns.ts',
      './worker/test/fake-ai.ts',
      './worker/test/fake-smtp.ts',
      './worker/test/fake-files.ts',
      './worker/test/fake-webhook.ts',
    ],
    // Large-message tests move megabytes through workerd on a 2-core machine.
    testTimeout: 30_000,
  },
});

const e2eProject = defineProject({
  test: {
    name: 'e2e',
    include: ['smtp-proxy/test/**/*.test.ts', 'frontend/test/**/*.test.ts', 'worker/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./scripts/e2e-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One wrangler dev serves every e2e file; running them one at a time keeps the 2-core box calm.
    fileParallelism: false,
  },
});

export default defineConfig({ test: { projects: [workerProject, e2eProject] } });

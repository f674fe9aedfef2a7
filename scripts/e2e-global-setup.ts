/**
 * e2e globalSetup: builds the SMTP proxy and the web UI, then starts the real Worker under
 * `wrangler dev` (serving the UI as static assets) on fresh local D1/R2 state with its migrations
 * applied, and hands its URL and admin password to the tests. AI is configured against the local
 * OpenAI-protocol server of worker/test/fake-ai.ts (the only stand-in: a third party we cannot run).
 * A local web server (worker/test/fake-files.ts) holds files the Resend door fetches by URL.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFakeDns } from '../worker/test/fake-dns';
import { startFakeAi } from '../worker/test/fake-ai';
import { startFakeFiles } from '../worker/test/fake-files';
import { freePort, prepareState, startWorker } from './local-worker.mjs';

const ADMIN_PASSWORD = 'e2e-admin';

function run(cmd: string, args: string[]) {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stdout}${result.stderr}`);
}

export default async function setup(project: TestProject) {
  run('node_modules/.bin/tsc', ['-p', 'smtp-proxy/tsconfig.json']);
  run('node_modules/.bin/vite', ['build', '--config', 'frontend/vite.config.ts', '--logLevel', 'warn']);
  const stateDir = mkdtempSync(join(tmpdir(), 'edgemail-e2e-'));
  prepareState(stateDir);
  // Public DNS is out of reach: domain verification asks a local DoH server the tests publish to.
  const dns = await startFakeDns();
  const fakeAi = await startFakeAi();
  // Files the Resend door's e2e tests attach by URL; the local Worker may fetch loopback URLs.
  const files = await startFakeFiles();
  const worker = await startWorker(stateDir, await freePort(), {
    DOMAINS: 'example.com',
    CATCH_ALL: 'reject',
    ADMIN_PASSWORDS: ADMIN_PASSWORD,
    DKIM_ENCRYPTION_KEY: 'e2e-dkim-encryption-key-0123456789',
    DOH_RESOLVER_URL: `${dns.url}/dns-query`,
    SIGNUP: 'on',
    AI_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: `${fakeAi.url}/openai/v1`,
    OPENAI_MODEL: 'fake-echo',
    REMOTE_ATTACHMENTS: 'any',
    // As `npm start` sets it: the webhook tests' receiver listens on 127.0.0.1.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // What the web UI's SMTP example names (the UI test checks it).
    SMTP_PROXY_ADDRESS: 'smtp.e2e.test:2587',
  });
  project.provide('workerUrl', worker.url);
  project.provide('dnsUrl', dns.url);
  project.provide('adminPassword', ADMIN_PASSWORD);
  project.provide('aiUrl', fakeAi.url);
  project.provide('filesUrl', files.url);
  return async () => {
    worker.stop();
    void dns.close();
    await fakeAi.close();
    await files.close();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

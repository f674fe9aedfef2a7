/**
 * e2e globalSetup: builds the proxy, then starts the real Worker under `wrangler dev` on fresh local
 * D1/R2 state with its migrations applied, and hands its URL to the tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, prepareState, startWorker } from '../../scripts/local-worker.mjs';

export const E2E_ADMIN_PASSWORD = 'e2e-admin';

export default async function setup(project: TestProject) {
  const build = spawnSync('node_modules/.bin/tsc', ['-p', 'smtp-proxy/tsconfig.json'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`smtp-proxy build failed:\n${build.stdout}${build.stderr}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'edgemail-e2e-'));
  prepareState(stateDir);
  const worker = await startWorker(stateDir, await freePort(), {
    DOMAINS: 'example.com',
    CATCH_ALL: 'reject',
    ADMIN_PASSWORDS: E2E_ADMIN_PASSWORD,
  });
  project.provide('workerUrl', worker.url);
  return () => {
    worker.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}

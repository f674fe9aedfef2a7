// A throwaway local Edgemail Worker (wrangler dev on its own state dir) for benches and end-to-end
// tests, plus CPU/memory readings of workerd and percentile maths. Nothing here asserts figures.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';

const wrangler = 'node_modules/.bin/wrangler';
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' };

export const BENCH_VARS = {
  JWT_SECRET: 'bench-secret-0123456789abcdef0123456789',
  ADMIN_PASSWORDS: 'bench-admin',
  PASSWORDS: '',
  CATCH_ALL: 'create',
  DOMAINS: 'bench.test',
  DEFAULT_SEND_BALANCE: '1000000',
  SEND_RATE_PER_MINUTE: '0',
  NEW_ADDRESSES_PER_HOUR: '0',
};

/** A TCP port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Fresh local state with migrations applied; `seedSql` (optional) runs before the Worker starts. */
export function prepareState(stateDir, seedSqlFile) {
  rmSync(stateDir, { recursive: true, force: true });
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir]);
  if (seedSqlFile) run(['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', seedSqlFile]);
}

function run(args) {
  const result = spawnSync(wrangler, args, { env: quietEnv, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * Starts `wrangler dev` in its own process group; resolves once /health answers. `inspectorPort`
 * (optional) is where wrangler's DevTools proxy listens (bench/profile.mjs records CPU profiles there);
 * `config` (optional) runs another Worker than Edgemail (bench/floors.mjs).
 */
export async function startWorker(stateDir, port, varsOverride = {}, { inspectorPort, config } = {}) {
  const vars = Object.entries({ ...BENCH_VARS, ...varsOverride }).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  // Its own inspector port too: the default (9229) is taken by any other wrangler dev on the machine.
  const inspector = ['--inspector-port', String(inspectorPort ?? (await freePort()))];
  const configArgs = config ? ['--config', config] : [];
  const child = spawn(wrangler, ['dev', ...configArgs, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', stateDir, ...inspector, ...vars], {
    env: quietEnv,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  let up = false;
  for (let i = 0; i < 240 && !up; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${stderr}`);
    try {
      up = (await fetch(`${url}/health`)).ok;
    } catch {
      // not yet
    }
    if (!up) await new Promise((r) => setTimeout(r, 500));
  }
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone
    }
  };
  process.on('exit', stop);
  if (!up) {
    stop();
    throw new Error(`wrangler dev did not answer on ${url}:\n${stderr}`);
  }
  const { runtime, proxy } = findWorkerd(child.pid, port);
  return { url, stop, workerdPid: runtime, proxyPid: proxy, stderr: () => stderr };
}

/**
 * wrangler dev runs two workerd processes: a proxy that listens on the public port and forwards, and
 * the runtime that hosts the Worker with its local D1, R2, queues and Durable Objects. Figures are
 * about the runtime; the proxy (absent in production) is reported separately where useful.
 */
function findWorkerd(pgid, port) {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,pgid=,comm='], { encoding: 'utf8' }).stdout;
  const pids = ps
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([, group, comm]) => Number(group) === pgid && comm === 'workerd')
    .map(([pid]) => Number(pid));
  const isProxy = (pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`entry=127.0.0.1:${port}\0`);
  return { runtime: pids.find((pid) => !isProxy(pid)) ?? null, proxy: pids.find(isProxy) ?? null };
}

/** Resident memory of a process right now, in MiB. */
export function rssMiB(pid) {
  if (!pid) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
}

/** CPU seconds (user + system) consumed so far by a process. */
export function cpuSeconds(pid) {
  if (!pid) return NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100; // USER_HZ is 100 on Linux
}

/** Peak resident memory of a process, in MiB. */
export function peakRssMiB(pid) {
  if (!pid) return NaN;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : NaN;
}

export function percentile(sortedMs, p) {
  if (sortedMs.length === 0) return NaN;
  return sortedMs[Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1)];
}

/** Runs `task(i)` for i < n with `concurrency` in flight; returns per-call latencies (ms), sorted. */
export async function timed(n, concurrency, task) {
  const latencies = [];
  let next = 0;
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const start = performance.now();
      await task(i);
      latencies.push(performance.now() - start);
    }
  });
  await Promise.all(workers);
  return latencies.sort((a, b) => a - b);
}

/**
 * Sequential latencies of several tasks sampled in rounds (each task once per round, until it has run
 * its own `n` times), so a runtime still warming up or settling slows every task alike instead of
 * whichever runs first. Returns each task's latencies, sorted.
 */
export async function timedInterleaved(tasks) {
  const latencies = tasks.map(() => []);
  const rounds = Math.max(...tasks.map((t) => t.n));
  for (let round = 0; round < rounds; round++) {
    for (const [i, { n, task }] of tasks.entries()) {
      if (round >= n) continue;
      const start = performance.now();
      await task(round);
      latencies[i].push(performance.now() - start);
    }
  }
  return latencies.map((l) => l.sort((a, b) => a - b));
}

export const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

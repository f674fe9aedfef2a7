/** e2e helpers: run the built proxy as its own process, real SMTP clients, and Worker API calls. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { inject } from 'vitest';
import { freePort } from '../../scripts/local-worker.mjs';

export const workerUrl = () => inject('workerUrl');

export interface RunningProxy {
  port: number;
  logs: string[];
  stop(): Promise<void>;
}

/** Starts `node smtp-proxy/dist/main.js` in its own process group, as a deployment would run it. */
export async function startProxy(env: Record<string, string> = {}): Promise<RunningProxy> {
  const port = await freePort();
  const child: ChildProcess = spawn('node', ['smtp-proxy/dist/main.js'], {
    env: { ...process.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), WORKER_URL: workerUrl(), SMTP_ALLOW_INSECURE_AUTH: 'true', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n').filter(Boolean)) {
        logs.push(line);
        if (line.includes('"smtp_listening"')) resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`proxy exited with ${code}: ${stderr}`)));
  });
  return {
    port,
    logs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

export async function newAddress(name: string): Promise<{ address: string; jwt: string; address_id: number }> {
  const res = await fetch(`${workerUrl()}/api/new_address`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  if (!res.ok) throw new Error(`new_address ${name}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { address: string; jwt: string; address_id: number };
}

export async function api<T = any>(path: string, jwt: string): Promise<T> {
  const res = await fetch(`${workerUrl()}${path}`, { headers: { authorization: `Bearer ${jwt}` } });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function apiBytes(path: string, jwt: string): Promise<Uint8Array> {
  const res = await fetch(`${workerUrl()}${path}`, { headers: { authorization: `Bearer ${jwt}` } });
  return new Uint8Array(await res.arrayBuffer());
}

/** Runs a Python snippet; it prints one JSON line, which is returned parsed. */
export function python(code: string, env: Record<string, string>): any {
  const result = spawnSync('python3', ['-c', code], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

/** Runs swaks; returns its exit code and full transcript. */
export function swaks(args: string[]): { status: number; output: string } {
  const result = spawnSync('swaks', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}` };
}

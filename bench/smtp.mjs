#!/usr/bin/env node
// bench/smtp: messages/s and submit latency through the SMTP proxy (Python smtplib clients, one
// connection each, AUTH once then one message after another) against a local Worker, for 1 and 20
// concurrent clients. Latency is per message: MAIL FROM through the 250 after DATA.
// Usage: node bench/smtp.mjs [--quick]   (builds the proxy first)
import { spawn, spawnSync } from 'node:child_process';
import { fmt, freePort, percentile, prepareState, startWorker, BENCH_VARS } from '../scripts/local-worker.mjs';

const quick = process.argv.includes('--quick');
const stateDir = 'bench/.state/smtp';
const domain = BENCH_VARS.DOMAINS;

const CLIENT = `
import json, os, smtplib, time
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
n = int(os.environ['N'])
smtp = smtplib.SMTP('127.0.0.1', int(os.environ['PORT']))
smtp.login('jwt', os.environ['JWT'])
latencies = []
for i in range(n):
    msg = MIMEMultipart()
    msg['From'] = os.environ['FROM']
    msg['To'] = os.environ['TO']
    msg['Subject'] = 'bench %d' % i
    msg.attach(MIMEText('<p>' + 'Your code is 123456. ' * 100 + '</p>', 'html'))
    start = time.perf_counter()
    smtp.sendmail(os.environ['FROM'], [os.environ['TO']], msg.as_string())
    latencies.append((time.perf_counter() - start) * 1000)
smtp.quit()
print(json.dumps(latencies))
`;

function runClient(env) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', CLIENT], { env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(err))));
  });
}

async function main() {
  const build = spawnSync('node_modules/.bin/tsc', ['-p', 'smtp-proxy/tsconfig.json'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(1);
  prepareState(stateDir);
  const worker = await startWorker(stateDir, await freePort());
  const port = await freePort();
  const proxy = spawn('node', ['smtp-proxy/dist/main.js'], {
    env: { ...process.env, SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), WORKER_URL: worker.url, SMTP_ALLOW_INSECURE_AUTH: 'true' },
    detached: true,
    stdio: 'ignore',
  });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const res = await fetch(`${worker.url}/api/new_address`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'smtp-sender' }) });
    const sender = await res.json();
    await fetch(`${worker.url}/api/new_address`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'smtp-inbox' }) });
    console.log('SMTP proxy → /api/send_raw → internal delivery, ~2 KB HTML message (Python smtplib clients)');
    console.log('clients | msgs | msgs/s | p50 ms | p99 ms');
    for (const clients of [1, 20]) {
      const perClient = quick ? 10 : clients === 1 ? 200 : 20;
      const start = performance.now();
      const all = (
        await Promise.all(
          Array.from({ length: clients }, () =>
            runClient({ N: String(perClient), PORT: String(port), JWT: sender.jwt, FROM: sender.address, TO: `smtp-inbox@${domain}` }),
          ),
        )
      ).flat();
      const seconds = (performance.now() - start) / 1000;
      all.sort((a, b) => a - b);
      console.log(`${String(clients).padStart(7)} | ${String(all.length).padStart(4)} | ${fmt(all.length / seconds).padStart(6)} | ${fmt(percentile(all, 50)).padStart(6)} | ${fmt(percentile(all, 99)).padStart(6)}`);
    }
  } finally {
    try {
      process.kill(-proxy.pid, 'SIGKILL');
    } catch {
      // gone
    }
    worker.stop();
  }
}

await main();
process.exit(0);

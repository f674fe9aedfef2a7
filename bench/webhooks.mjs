#!/usr/bin/env node
// bench/webhooks: webhook fan-out. A local Worker (wrangler dev, real local queues) with E endpoints
// subscribed to email.queued on a local receiver; batches of 100 scheduled sends (the send consumer
// stays idle) emit one event per message, which the WEBHOOK_QUEUE consumer signs and posts to every
// endpoint. Prints deliveries/s reaching the receiver and emit-to-receipt latency. Every 50th request
// is checked with the standardwebhooks verifier. Figures are printed, never asserted.
// Usage: node bench/webhooks.mjs [--quick]
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { cpuSeconds, fmt, freePort, peakRssMiB, percentile, prepareState, startWorker, BENCH_VARS } from '../scripts/local-worker.mjs';
import { adminKey } from './send-v1.mjs';

const quick = process.argv.includes('--quick');
const stateDir = 'bench/.state/webhooks';
const domain = BENCH_VARS.DOMAINS;

function startReceiver(onRequest) {
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      onRequest(req.headers, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200).end('ok');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

async function main() {
  prepareState(stateDir);
  const worker = await startWorker(stateDir, await freePort(), { V1_RATE_WRITE_PER_MINUTE: '0', V1_RATE_READ_PER_MINUTE: '0', WEBHOOK_ALLOW_PRIVATE: 'true' });
  const latencies = [];
  let received = 0;
  let verified = 0;
  const secrets = new Map();
  const receiver = await startReceiver((headers, body) => {
    received++;
    latencies.push(Date.now() - Date.parse(JSON.parse(body).timestamp));
    if (received % 50 === 0) {
      for (const secret of secrets.values()) {
        try {
          new Webhook(secret).verify(body, headers);
          verified++;
          break;
        } catch {
          // another endpoint's secret
        }
      }
    }
  });
  try {
    const key = await adminKey(worker.url);
    const auth = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const endpoints = quick ? 3 : 10;
    for (let i = 0; i < endpoints; i++) {
      const res = await fetch(`${worker.url}/api/v1/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: `${receiver.url}/hook/${i}`, events: ['email.queued'] }) });
      if (res.status !== 201) throw new Error(`webhook: ${res.status} ${await res.text()}`);
      const { data } = await res.json();
      secrets.set(data.id, data.secret);
    }
    const batches = quick ? 1 : 5;
    const expected = batches * 100 * endpoints;
    const cpuBefore = cpuSeconds(worker.workerdPid);
    const start = performance.now();
    const at = new Date(Date.now() + 86_400_000).toISOString();
    for (let b = 0; b < batches; b++) {
      const emails = Array.from({ length: 100 }, (_, i) => ({ from: `bench@${domain}`, to: `r${i}@elsewhere.test`, subject: `fan-out ${b}/${i}`, text: 'x', scheduled_at: at }));
      const res = await fetch(`${worker.url}/api/v1/emails/batch`, { method: 'POST', headers: auth, body: JSON.stringify(emails) });
      if (res.status !== 202) throw new Error(`batch: ${res.status} ${await res.text()}`);
    }
    const deadline = Date.now() + 300_000;
    while (received < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const seconds = (performance.now() - start) / 1000;
    const cpu = ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / Math.max(1, received);
    latencies.sort((a, b) => a - b);
    console.log(`Webhook fan-out: ${batches * 100} email.queued events × ${endpoints} endpoints = ${expected} deliveries to a local receiver`);
    console.log('delivered | seconds | deliveries/s | emit→receipt p50 ms | p99 ms | workerd CPU ms/delivery (incl. accepting the sends)');
    console.log(`${String(received).padStart(9)} | ${fmt(seconds).padStart(7)} | ${fmt(received / seconds).padStart(12)} | ${fmt(percentile(latencies, 50)).padStart(19)} | ${fmt(percentile(latencies, 99)).padStart(6)} | ${fmt(cpu, 2)}`);
    console.log(`Signatures checked with standardwebhooks: ${verified} of ${Math.floor(received / 50)} sampled verified.`);
    console.log(`Peak workerd memory: ${fmt(peakRssMiB(worker.workerdPid))} MiB`);
  } finally {
    receiver.server.close();
    worker.stop();
  }
}

await main();

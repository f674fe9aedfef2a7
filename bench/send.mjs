#!/usr/bin/env node
// bench/send: POST /api/send_mail throughput and latency against a local Worker, with 1 and 20
// concurrent clients. Recipients are on our own domain (internal delivery: build MIME, store the
// recipient's copy and the Sent copy), and outside it (the local send_email binding writes a file).
// Then the v1 sending API (bench/send-v1.mjs): accepting single sends and 100-message batches, and
// end-to-end internal delivery through the queue.
// Usage: node bench/send.mjs [--quick]
import { cpuSeconds, fmt, freePort, peakRssMiB, percentile, prepareState, startWorker, timed, BENCH_VARS } from '../scripts/local-worker.mjs';
import { adminKey, benchAccept, benchEndToEnd } from './send-v1.mjs';

const quick = process.argv.includes('--quick');
const stateDir = 'bench/.state/send';
const domain = BENCH_VARS.DOMAINS;

async function newAddress(url, name) {
  const res = await fetch(`${url}/api/new_address`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) });
  if (!res.ok) throw new Error(`new_address: ${res.status} ${await res.text()}`);
  return res.json();
}

async function main() {
  prepareState(stateDir);
  // The v1 API's own per-key rate limits would cap a benchmark; they are measured elsewhere.
  const worker = await startWorker(stateDir, await freePort(), { V1_RATE_WRITE_PER_MINUTE: '0', V1_RATE_READ_PER_MINUTE: '0' });
  try {
    const sender = await newAddress(worker.url, 'sender');
    await newAddress(worker.url, 'inbox');
    const e2e = await newAddress(worker.url, 'e2e');
    let syncInternal = 0;
    console.log('POST /api/send_mail (synchronous: one request builds, delivers and records), 2 KB text body');
    console.log('recipient | clients |    n | msgs/s | p50 ms | p99 ms | workerd CPU ms/msg');
    for (const [label, to] of [['internal', `inbox@${domain}`], ['external', 'someone@elsewhere.test']]) {
      for (const clients of [1, 20]) {
        const n = quick ? 40 : clients === 1 ? 200 : 400;
        const body = JSON.stringify({ from_name: 'Bench', to_name: '', to_mail: to, subject: 'bench', is_html: false, content: 'Your code is 123456. '.repeat(100) });
        const cpuBefore = cpuSeconds(worker.workerdPid);
        const start = performance.now();
        const latencies = await timed(n, clients, async () => {
          const res = await fetch(`${worker.url}/api/send_mail`, { method: 'POST', headers: { authorization: `Bearer ${sender.jwt}`, 'content-type': 'application/json' }, body });
          if (!res.ok) throw new Error(`send_mail: ${res.status} ${await res.text()}`);
          await res.arrayBuffer();
        });
        const seconds = (performance.now() - start) / 1000;
        const cpu = ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / n;
        if (label === 'internal') syncInternal = Math.max(syncInternal, n / seconds);
        console.log(`${label.padEnd(9)} | ${String(clients).padStart(7)} | ${String(n).padStart(4)} | ${fmt(n / seconds).padStart(6)} | ${fmt(percentile(latencies, 50)).padStart(6)} | ${fmt(percentile(latencies, 99)).padStart(6)} | ${fmt(cpu).padStart(18)}`);
      }
    }
    const key = await adminKey(worker.url);
    await benchAccept(worker, key, domain, quick);
    const n = quick ? 200 : 1000;
    const { rate, cpuDelivered, cpuIndexed } = await benchEndToEnd(worker, key, domain, e2e.jwt, n);
    console.log(`\nEnd-to-end through the queue: ${n} messages (batches of 100) to one internal mailbox: ${fmt(rate)} msgs/s`);
    console.log(`  workerd CPU per message: ${fmt(cpuDelivered, 2)} ms until all are in the mailbox, ${fmt(cpuIndexed, 2)} ms until search finds the last`);
    console.log(`  (best synchronous /api/send_mail to an internal mailbox above: ${fmt(syncInternal)} msgs/s; ratio ${fmt(rate / syncInternal, 2)}×)`);
    console.log(`\nworkerd peak memory: ${fmt(peakRssMiB(worker.workerdPid))} MiB`);
  } finally {
    worker.stop();
  }
}

await main();
process.exit(0);

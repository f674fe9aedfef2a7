#!/usr/bin/env node
// bench/floors: what the local runtime costs before Edgemail does anything, beside what Edgemail
// costs, in one run. A stand-in Worker (bench/floors/worker.js) stops at a given step.
// - CPU: the same 2 KB messages through wrangler's local Email Routing endpoint; the stand-in stops
//   at once, after reading the message, after one D1 read, one D1 write, or a batch of six writes
//   (a delivery's shape). Figures are the CPU (user + system) per message of the runtime workerd
//   process, which holds the Worker and its simulated D1 (wrangler's proxy process is not counted),
//   over rounds that alternate the steps, so drift on the machine touches every step alike.
// - Latency: p50/p99 of sequential requests to the stand-in (one that needs nothing, one that needs
//   one D1 read) beside Edgemail's /health and its three first-page lists of a 100-message mailbox.
// - Memory: a fresh runtime process takes six 25 MiB messages (as bench:ingest's 25 MiB Worker does)
//   and its peak resident memory (VmHWM) is printed: the stand-in not reading them, streaming each
//   into R2, reading each into one buffer, then writing it to R2, parsing it with postal-mime, or
//   both; and Edgemail importing them.
// The floors are in every "before" and "after" figure alike, and are not Worker CPU on Cloudflare.
// Usage: npm run bench:floors [-- --quick] [-- --cpu] [-- --latency] [-- --memory]   (all unless named)
import { mkdirSync } from 'node:fs';
import { BENCH_VARS, cpuSeconds, fmt, freePort, peakRssMiB, percentile, prepareState, rssMiB, startWorker, timed, timedInterleaved } from '../scripts/local-worker.mjs';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 4;
const PER_ROUND = quick ? 200 : 500;
const CONCURRENCY = 4;
const run = Date.now().toString(36);

/** The 2 KB message of bench:ingest. */
function message(i, to) {
  const head = `Received: from mx.sender.test (mx.sender.test [192.0.2.1]) by mx.cloudflare.net; ${new Date().toUTCString()}\r\nFrom: Bench <bench@sender.test>\r\nTo: ${to}\r\nSubject: Bench 2KB #${i}\r\nMessage-ID: <floors-${i}-${run}@sender.test>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  return `${head}Content-Type: text/plain; charset=UTF-8\r\n\r\nzq${run}n${i}z ${'Your code is 123456. '.repeat(90)}\r\n`;
}

const STEPS = [
  ['null', 'returns at once: Email Routing simulation and the request path'],
  ['read', '+ reads the message'],
  ['select', '+ one D1 read (SELECT 1)'],
  ['write', '+ one D1 write (one row, in its own transaction)'],
  ['batch', '+ one D1 batch of six writes, instead of one write'],
];

async function deliverAll(url, to, first, n) {
  await timed(n, CONCURRENCY, async (i) => {
    const res = await fetch(`${url}/cdn-cgi/handler/email?from=bench@sender.test&to=${to}`, { method: 'POST', body: message(first + i, to) });
    if (!res.ok) throw new Error(`${to}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  });
}

/** CPU ms per message of `n` deliveries, including a short settle for work they leave behind. */
async function cpuPerMessage(worker, to, first, n) {
  const before = cpuSeconds(worker.workerdPid);
  await deliverAll(worker.url, to, first, n);
  await new Promise((r) => setTimeout(r, 1500));
  return ((cpuSeconds(worker.workerdPid) - before) * 1000) / n;
}

async function cpu() {
  prepareState('bench/.state/floors-edgemail');
  const edgemail = await startWorker('bench/.state/floors-edgemail', await freePort());
  const floors = await startWorker('bench/.state/floors', await freePort(), {}, { config: 'bench/floors/wrangler.toml' });
  const domain = BENCH_VARS.DOMAINS;
  const targets = [...STEPS.map(([step, label]) => ({ worker: floors, to: `${step}@floors.test`, label: `${step.padEnd(6)} ${label}` })), { worker: edgemail, to: `ingest@${domain}`, label: 'Edgemail: a whole delivery (parsed, stored, indexed)' }];
  try {
    // Warm-up: the first calls of each path run unoptimised code.
    for (const t of targets) await deliverAll(t.worker.url, t.to, 0, 200);
    await new Promise((r) => setTimeout(r, 2000));
    const samples = targets.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, t] of targets.entries()) samples[i].push(await cpuPerMessage(t.worker, t.to, 1000 * (round + 1), PER_ROUND));
    }
    console.log(`Runtime CPU per 2 KB message through the local Email Routing endpoint (${ROUNDS} rounds of ${PER_ROUND}, concurrency ${CONCURRENCY})`);
    const width = Math.max(...targets.map((t) => t.label.length));
    console.log(`${'step'.padEnd(width)} | median ms | rounds`);
    const medians = samples.map((rounds) => {
      const sorted = [...rounds].sort((a, b) => a - b);
      return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
    });
    for (const [i, t] of targets.entries()) {
      console.log(`${t.label.padEnd(width)} | ${fmt(medians[i], 2).padStart(9)} | ${samples[i].map((x) => fmt(x, 2)).join(' ')}`);
    }
    const floor = medians[STEPS.length - 1];
    console.log(`\nEdgemail above the floor of one D1 batch: ${fmt(medians.at(-1) - floor, 2)} ms of ${fmt(medians.at(-1), 2)} ms (the floor, ${fmt(floor, 2)} ms, is the simulators' own cost)`);
  } finally {
    edgemail.stop();
    floors.stop();
  }
}

/** bench:ingest's 25 MiB message: an 18 MiB attachment, base64 in lines of 76. */
function largeMessage(i) {
  const attachment = Buffer.alloc(18 * 1024 * 1024, i % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
  return `From: Bench <bench@sender.test>\r\nTo: ingest@${BENCH_VARS.DOMAINS}\r\nSubject: Bench 25MB #${i}\r\nMessage-ID: <floors-large-${i}-${run}@sender.test>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nReport attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`;
}

const LARGE = 6;

/** Peak memory of a fresh runtime process that takes LARGE large messages, one at a time. */
async function memoryPeak(label, start, path, headers = {}) {
  const worker = await start();
  try {
    for (let i = 0; i < 5; i++) await (await fetch(`${worker.url}/health`)).text();
    const warm = rssMiB(worker.workerdPid);
    for (let i = 0; i < LARGE; i++) {
      const res = await fetch(`${worker.url}${path}`, { method: 'POST', body: largeMessage(i), headers });
      if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
    const peak = peakRssMiB(worker.workerdPid);
    console.log(`${label.padEnd(58)} | ${fmt(warm).padStart(8)} | ${fmt(peak).padStart(8)} | ${fmt(peak - warm).padStart(6)}`);
  } finally {
    worker.stop();
  }
}

async function memory() {
  const floors = async () => {
    prepareState('bench/.state/floors-large');
    return startWorker('bench/.state/floors-large', await freePort(), {}, { config: 'bench/floors/wrangler.toml' });
  };
  console.log(`\nPeak memory of a fresh runtime process taking ${LARGE} messages of 25 MiB, one at a time`);
  console.log(`${'Worker'.padEnd(58)} | warm MiB | peak MiB | growth`);
  await memoryPeak('stand-in: answers without reading the body', floors, '/sink');
  await memoryPeak('stand-in: streams the body into R2', floors, '/r2');
  await memoryPeak('stand-in: reads the body into one buffer', floors, '/read');
  await memoryPeak('stand-in: reads it, writes that buffer to R2', floors, '/read-r2');
  await memoryPeak('stand-in: reads it, parses it with postal-mime', floors, '/read-parse');
  await memoryPeak('stand-in: reads, parses, writes raw and attachment to R2', floors, '/read-parse-r2');
  await memoryPeak('Edgemail: imports the message (parsed, stored in R2 and D1)', async () => {
    prepareState('bench/.state/floors-edgemail-large');
    return startWorker('bench/.state/floors-edgemail-large', await freePort());
  }, `/admin/mails/import?to=ingest@${BENCH_VARS.DOMAINS}`, { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS });
}

/** Sequential p50/p99 of a request that needs no D1, one that needs one D1 round trip, and Edgemail's first pages. */
async function latency() {
  prepareState('bench/.state/floors-edgemail-lists');
  const edgemail = await startWorker('bench/.state/floors-edgemail-lists', await freePort());
  const floors = await startWorker('bench/.state/floors', await freePort(), {}, { config: 'bench/floors/wrangler.toml' });
  try {
    const domain = BENCH_VARS.DOMAINS;
    const admin = { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS };
    const address = `small@${domain}`;
    await deliverAll(edgemail.url, address, 0, 100);
    const found = await (await fetch(`${edgemail.url}/admin/addresses?query=${encodeURIComponent(address)}&limit=1`, { headers: admin })).json();
    const { jwt } = await (await fetch(`${edgemail.url}/admin/addresses/${found.results[0].address_id}/token`, { method: 'POST', headers: admin })).json();
    const get = (url, headers = {}) => async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`${url}: ${res.status}`);
      await res.arrayBuffer();
    };
    const bearer = { authorization: `Bearer ${jwt}` };
    const n = quick ? 100 : 300;
    const tasks = [
      { label: 'stand-in: answers at once', task: get(`${floors.url}/plain`) },
      { label: 'stand-in: one D1 read (SELECT 1)', task: get(`${floors.url}/select`) },
      { label: 'Edgemail: /health (no D1)', task: get(`${edgemail.url}/health`) },
      { label: 'Edgemail: /api/parsed_mails, first 20 of 100', task: get(`${edgemail.url}/api/parsed_mails?limit=20&offset=0`, bearer) },
      { label: 'Edgemail: /api/mails, first 20 of 100', task: get(`${edgemail.url}/api/mails?limit=20&offset=0`, bearer) },
      { label: 'Edgemail: /api/v1/…/messages, first 20 of 100', task: get(`${edgemail.url}/api/v1/mailboxes/${encodeURIComponent(address)}/messages?limit=20`, bearer) },
    ].map((t) => ({ ...t, n }));
    for (const { task } of tasks) for (let i = 0; i < 50; i++) await task();
    await new Promise((r) => setTimeout(r, 5000));
    const results = await timedInterleaved(tasks);
    const width = Math.max(...tasks.map((t) => t.label.length));
    console.log(`\nSequential requests, sampled in rounds (${n} each)`);
    console.log(`${'request'.padEnd(width)} | p50 ms | p99 ms`);
    for (const [i, { label }] of tasks.entries()) {
      console.log(`${label.padEnd(width)} | ${fmt(percentile(results[i], 50), 2).padStart(6)} | ${fmt(percentile(results[i], 99), 2).padStart(6)}`);
    }
  } finally {
    edgemail.stop();
    floors.stop();
  }
}

mkdirSync('bench/.state', { recursive: true });
const only = ['--cpu', '--latency', '--memory'].filter((flag) => process.argv.includes(flag));
if (only.length === 0 || only.includes('--cpu')) await cpu();
if (only.length === 0 || only.includes('--latency')) await latency();
if (only.length === 0 || only.includes('--memory')) await memory();
process.exit(0);

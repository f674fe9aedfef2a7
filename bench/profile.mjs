#!/usr/bin/env node
// bench/profile: where the Worker isolate spends its CPU, from a V8 CPU profile recorded through
// wrangler dev's DevTools inspector (the same data the DevTools "Profiler" tab shows).
//
// Workloads, each profiled on its own: `ingest` delivers 2 KB messages through wrangler's local Email
// Routing endpoint (4 in flight), `ingest-50k` the same with 50 KB HTML messages, `ingest-2m` imports
// 2 MB messages with a 1.5 MB attachment through /admin/mails/import, `list` asks for the
// newest 20 of a 1,000-message mailbox on /api/parsed_mails, /api/mails and the v1 list (sequential),
// `accept` and `accept-batch` accept v1 sends scheduled a day ahead (so no consumer runs: the accept
// path alone), `send-e2e` sends batches of 100 to an internal mailbox and waits until the queue
// consumer has delivered every message.
// For each it prints the isolate's busy CPU per operation and its breakdown by step: every sample is
// charged to the nearest enclosing source file of ours (see STEPS; modules are found through the
// `// path` comments esbuild leaves in wrangler's bundle), else, when an await left none of our frames
// on the stack, to the library it ran in, the runtime or GC. Time spent inside D1/R2 (SQLite, simulated storage) runs outside the
// isolate and is not in the profile; bench:ingest's process CPU includes it.
// Usage: node --experimental-websocket bench/profile.mjs [--n 200] [--save dir] [--large: also 25 MiB imports]
//        [--only accept,send-e2e: just these workloads, by file name]  (npm run bench:profile)
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connectInspector } from '../scripts/inspector.mjs';
import { fmt, freePort, prepareState, startWorker, timed, BENCH_VARS } from '../scripts/local-worker.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const N = Number(arg('n', 200));
const SAMPLE_MS = 0.1;
const saveDir = arg('save', null);
const stateDir = 'bench/.state/profile';
const seedFile = 'bench/.state/seed-profile.sql';
const domain = BENCH_VARS.DOMAINS;
const admin = { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS };

/** Our source files, by the step of the request they do (first match wins). */
const STEPS = [
  ['middleware (request id, deps, config)', /^(middleware\/context|services\/deps|config|db\/client|services\/providers\/.*|lib\/clock)\.ts$/],
  ['auth and address lookup', /^(middleware\/(auth|v1-auth)|services\/(tokens|apikeys|addresses|mailbox-cache)|db\/(addresses|keys)|lib\/secrets)\.ts$/],
  ['parse (postal-mime)', /^services\/parse\.ts$/],
  ['MIME build and DKIM', /^services\/(mime|dkim)\/.*\.ts$/],
  ['webhook events', /^services\/webhooks\/.*\.ts$/],
  ['sending (accept, queue, dispatch)', /^(services\/(sending|tracking|idempotency|send|sentbox)\/?.*|durable\/send-scheduler)\.ts$/],
  ['dedupe identity, reading the message', /^(services\/delivery-identity|lib\/bytes)\.ts$/],
  ['search index (queue, consumer, FTS)', /^(db\/(search|fts|search-index)|services\/search-index|handlers\/queue)\.ts$/],
  ['D1 statements and batches (mails, log)', /^db\/.*\.ts$/],
  ['presenter (JSON shaping)', /^routes\/(v1\/)?presenters\.ts$/],
  ['ingest (record, R2)', /^services\/(ingest|blobs|store)\.ts$/],
  ['mailbox service', /^services\/(mailbox|folders)\.ts$/],
  ['email handler', /^handlers\/email\.ts$/],
  ['rate limit', /^middleware\/v1-ratelimit\.ts$/],
  ['routes, validation', /^(routes\/.*|lib\/validate|app|index)\.ts$/],
];

/** Libraries and runtime modules, for samples with none of our frames on the stack (async continuations). */
const LIBRARIES = [
  ['drizzle (query building, row mapping)', /^node_modules\/drizzle-orm$/],
  ['parse (postal-mime)', /^node_modules\/postal-mime$/],
  ['auth and address lookup', /^node_modules\/jose$/],
  ['framework (Hono, zod)', /^node_modules\/(hono|zod|@hono\/.*)$/],
  ['D1 binding (JS side)', /^cloudflare-internal:d1-api$/],
];

/** Maps a line of wrangler's bundle to the module it came from, using esbuild's `// path` comments. */
function bundleModules(dir) {
  const dev = readdirSync(`${dir}/.wrangler/tmp`)
    .filter((d) => d.startsWith('dev-') && existsSync(`${dir}/.wrangler/tmp/${d}/index.js`))
    .map((d) => `${dir}/.wrangler/tmp/${d}/index.js`)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  const starts = [];
  readFileSync(dev, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const m = /^\/\/ (\S+\.(?:[cm]?js|ts))$/.exec(line);
      if (!m) return;
      const path = m[1].replace(/^(\.\.\/)+/, '');
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      starts.push([i, pkg ? `node_modules/${pkg[1]}` : path.replace(/^.*?worker\/src\//, '')]);
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = 'other';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid][0] <= line) {
        found = starts[mid][1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Busy ms, ms per step, ms per library, from a V8 CPU profile. */
function breakdown(profile, moduleOf) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const moduleOfNode = (node) => {
    const { url, lineNumber } = node.callFrame;
    if (url === 'index.js') return moduleOf(lineNumber);
    return url || null;
  };
  const memo = new Map();
  const classify = (leafId) => {
    if (memo.has(leafId)) return memo.get(leafId);
    const leafName = byId.get(leafId).callFrame.functionName;
    let result;
    if (leafName === '(idle)') result = { step: '(idle)', lib: '(idle)' };
    else if (leafName === '(garbage collector)') result = { step: 'garbage collection', lib: 'garbage collection' };
    else if (leafName === '(program)') result = { step: 'runtime (outside JS)', lib: 'runtime (outside JS)' };
    else {
      let lib = null;
      let step = null;
      for (let id = leafId; id !== undefined && step === null; id = parent.get(id)) {
        const mod = moduleOfNode(byId.get(id));
        if (!mod) continue;
        if (lib === null) lib = mod;
        const ours = STEPS.find(([, re]) => re.test(mod));
        if (ours) step = ours[0];
      }
      const libStep = LIBRARIES.find(([, re]) => re.test(lib ?? ''));
      step ??= libStep ? libStep[0] : 'runtime internals';
      result = { step, lib: lib ?? 'native' };
    }
    memo.set(leafId, result);
    return result;
  };
  const steps = new Map();
  const libs = new Map();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    // A sample stands for one sampling interval. The recorded wall-clock delta would also charge it
    // with any time the thread sat descheduled (a busy shared machine) or idle between events.
    const ms = Math.min((profile.timeDeltas[i] ?? 0) / 1000, SAMPLE_MS);
    const { step, lib } = classify(id);
    if (step === '(idle)') return;
    busy += ms;
    steps.set(step, (steps.get(step) ?? 0) + ms);
    const libLabel = lib.startsWith('node_modules/') || lib.startsWith('cloudflare-internal') || !lib.endsWith('.ts') ? lib : 'worker/src (ours)';
    libs.set(libLabel, (libs.get(libLabel) ?? 0) + ms);
  });
  return { busy, steps, libs };
}

function report(label, ops, { busy, steps, libs }, unit = 'operation') {
  console.log(`\n${label}: isolate busy CPU ${fmt(busy)} ms over ${ops} ${unit}s = ${fmt(busy / ops, 2)} ms per ${unit}`);
  console.log(`step (nearest enclosing code of ours)    |  share | ms/${unit === 'operation' ? 'op' : unit}`);
  for (const [step, ms] of [...steps].sort((a, b) => b[1] - a[1])) {
    console.log(`${step.padEnd(40)} | ${fmt((100 * ms) / busy).padStart(5)}% | ${fmt(ms / ops, 2).padStart(5)}`);
  }
  const top = [...libs].sort((a, b) => b[1] - a[1]).slice(0, 8);
  console.log(`where the sampled frame was: ${top.map(([k, ms]) => `${k} ${fmt((100 * ms) / busy)}%`).join('; ')}`);
}

function seedSql() {
  const now = Date.now();
  return `
INSERT INTO addresses (id, address, created_at, last_active_at, mail_count) VALUES (1, 'reader@${domain}', ${now}, ${now}, 1000);
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 1000)
INSERT INTO mails (address_id, public_id, dedupe_key, message_id, source, recipient, from_name, from_address, to_json, subject, snippet, raw_size, created_at)
SELECT 1, printf('msg_prof%016d', i), 'sha:seed-' || i, '<seed-' || i || '@x>', 'seed@sender.test', 'reader@${domain}', 'Seeder', 'seed@sender.test',
       '[{"name":"","address":"reader@${domain}"}]', 'Seeded message ' || i, 'Your code is ' || (100000 + i), 420, ${now} + i FROM seq;
INSERT INTO mail_contents (mail_id, raw, text, headers_json)
SELECT id, CAST('From: seed@sender.test' || char(13, 10) || 'Subject: ' || subject || char(13, 10, 13, 10) || snippet AS BLOB), snippet, '[]' FROM mails;
`;
}

function message(i, kind) {
  const head = `From: Bench <bench@sender.test>\r\nTo: ingest@${domain}\r\nSubject: Profile #${i}\r\nMessage-ID: <prof-${kind}-${i}-${Date.now()}@sender.test>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  if (kind === '2KB') return `${head}Content-Type: text/plain; charset=UTF-8\r\n\r\n${'Your code is 123456. '.repeat(90)}\r\n`;
  if (kind === '2MB' || kind === '25MB') {
    const pdf = Buffer.alloc(kind === '2MB' ? 1_500_000 : 18 * 1024 * 1024, i % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
    return `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nReport attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf}\r\n--b--\r\n`;
  }
  return `${head}Content-Type: text/html; charset=UTF-8\r\n\r\n<html><body>${'<p>Newsletter paragraph with <b>markup</b> and text.</p>\r\n'.repeat(880)}</body></html>\r\n`;
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', body, headers });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res;
}

async function main() {
  mkdirSync('bench/.state', { recursive: true });
  writeFileSync(seedFile, seedSql());
  prepareState(stateDir, seedFile);
  const inspectorPort = await freePort();
  // The write limit (120 per key and minute) would stop the accept workloads; it is profiled on lists.
  const worker = await startWorker(stateDir, await freePort(), { V1_RATE_WRITE_PER_MINUTE: '0' }, { inspectorPort });
  const { url } = worker;
  const cdp = await connectInspector(inspectorPort);
  try {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: SAMPLE_MS * 1000 });
    const jwt = (await (await post(`${url}/admin/addresses/1/token`, '', admin)).json()).jwt;
    const key = (await (await post(`${url}/api/v1/keys`, JSON.stringify({ type: 'admin', name: 'profile' }), { ...admin, 'content-type': 'application/json' })).json()).data.key;
    const deliver = (kind) => (i) => post(`${url}/cdn-cgi/handler/email?from=bench@sender.test&to=ingest@${domain}`, message(i, kind));
    const list = (i) => {
      const path = ['/api/parsed_mails?limit=20', '/api/mails?limit=20', `/api/v1/mailboxes/reader@${domain}/messages?limit=20`][i % 3];
      const auth = i % 3 === 2 ? `Bearer ${key}` : `Bearer ${jwt}`;
      return fetch(`${url}${path}`, { headers: { authorization: auth } }).then(async (r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        await r.arrayBuffer();
      });
    };
    const later = () => new Date(Date.now() + 86_400_000).toISOString();
    const draft = (to, extra = {}) => ({ from: `sender@${domain}`, to, subject: 'Profile', text: 'Your code is 123456. '.repeat(100), ...extra });
    const v1 = (path, body) => post(`${url}/api/v1${path}`, JSON.stringify(body), { authorization: `Bearer ${key}`, 'content-type': 'application/json' });
    const accept = () => v1('/emails', draft(`reader@${domain}`, { scheduled_at: later() }));
    const acceptBatch = () => v1('/emails/batch', Array.from({ length: 100 }, () => draft(`reader@${domain}`, { scheduled_at: later() })));
    const e2eJwt = (await (await post(`${url}/api/new_address`, JSON.stringify({ name: 'e2e' }), { 'content-type': 'application/json' })).json()).jwt;
    const countOnce = async () => (await (await fetch(`${url}/api/parsed_mails?limit=1`, { headers: { authorization: `Bearer ${e2eJwt}` } })).json()).count;
    // A kept-alive connection the local proxy closed while idle fails once; the read is safe to repeat.
    const e2eCount = () => countOnce().catch(countOnce);
    const sendBatch = () => v1('/emails/batch', Array.from({ length: 100 }, () => draft(`e2e@${domain}`)));
    /** Waits until every message sent so far has reached the e2e mailbox (the consumer's work is in the profile). */
    const delivered = async (expected) => {
      const deadline = Date.now() + 300_000;
      while ((await e2eCount()) < expected()) {
        if (Date.now() > deadline) throw new Error('queued sends were not all delivered within 5 minutes');
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    let e2eSent = 0;
    const importBig = (i) => post(`${url}/admin/mails/import?to=ingest@${domain}`, message(i, '2MB'), admin);
    const workloads = [
      ['ingest 2 KB (email endpoint, 4 in flight)', N, deliver('2KB'), 4, 'ingest'],
      ['ingest 50 KB HTML (email endpoint, 4 in flight)', Math.ceil(N / 2), deliver('50KB'), 4, 'ingest-50k'],
      ['ingest 2 MB with a 1.5 MB attachment (admin import, sequential)', Math.ceil(N / 20), importBig, 1, 'ingest-2m'],
      ...(process.argv.includes('--large')
        ? [['ingest 25 MiB with an 18 MiB attachment (admin import, sequential)', 3, (i) => post(`${url}/admin/mails/import?to=ingest@${domain}`, message(i, '25MB'), admin), 1, 'ingest-25m']]
        : []),
      ['list newest 20 (parsed_mails, mails, v1; sequential)', N * 1.5, list, 1, 'list'],
      ['accept one v1 send, scheduled (POST /api/v1/emails, sequential)', N, accept, 1, 'accept'],
      ['accept a v1 batch of 100 scheduled sends (sequential)', Math.ceil(N / 20), acceptBatch, 1, 'accept-batch', 100],
      ['send end to end: v1 batches of 100 to an internal mailbox, until the queue consumer delivered all', Math.ceil(N / 40), async () => {
        await sendBatch();
        e2eSent += 100;
      }, 1, 'send-e2e', 100, () => delivered(() => e2eSent)],
    ];
    const only = arg('only', null)?.split(',');
    for (const [label, n, task, concurrency, file, perOp = 1, settle] of workloads) {
      if (only && !only.includes(file)) continue;
      await timed(Math.min(perOp > 1 ? 2 : 20, n), concurrency, task); // warm-up: first-request compilation is not steady state
      await settle?.();
      await cdp.send('Profiler.start');
      await timed(n, concurrency, task);
      await settle?.();
      // Let deferred work (waitUntil, queue consumers) finish inside the profile.
      await new Promise((r) => setTimeout(r, 3000));
      const { profile } = await cdp.send('Profiler.stop');
      if (saveDir) {
        mkdirSync(saveDir, { recursive: true });
        writeFileSync(`${saveDir}/${file}.cpuprofile`, JSON.stringify(profile));
      }
      report(label, n * perOp, breakdown(profile, bundleModules(process.cwd())), perOp > 1 ? 'message' : 'operation');
    }
  } catch (err) {
    console.error(`wrangler dev's own output:\n${worker.stderr().slice(-4000)}`);
    throw err;
  } finally {
    cdp.close();
    worker.stop();
  }
}

await main();
process.exit(0);

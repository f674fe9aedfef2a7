#!/usr/bin/env node
// bench/api: read latency of the public REST API v1 on a local Worker, for a mailbox of 1,000
// messages and one of 100,000 (10,000 with --quick).
//
// - Both mailboxes are seeded with SQL before the Worker starts (one recursive insert per table:
//   mails, mail_contents and the trigram index mails_fts), with public ids msg_seed<mailbox><n>.
//   Every body shares the same everyday words; 1 in 100 also mentions "Invoice INV-<n>" and another
//   1 in 100 the Chinese "发票号码" (invoice number), so both searches below are selective (1%).
// - Operations, sequential requests with an admin API key, rate limits off, a few untimed warm-up
//   calls first:
//     list         GET /api/v1/mailboxes/{address}/messages?folder=INBOX&limit=50
//     get          GET /api/v1/mailboxes/{address}/messages/{uid}          (random uid each time)
//     search       GET /api/v1/mailboxes/{address}/search?q=invoice&limit=20
//     search (CJK) GET /api/v1/mailboxes/{address}/search?q=发票号码&limit=20
//     search (common) the same with q=weekly, a word every message contains
//   The operations on both mailboxes are sampled in rounds (each once per round), so a runtime still
//   warming up slows them all alike rather than whichever is measured first.
//   Every answer must be 200 with the expected shape (search: at least one hit); prints p50/p99.
// - Then the whole-mailbox operations, once each, with the runtime's CPU per message:
//     export       GET /api/v1/mailboxes/{address}/export?limit=1000, part after part (mbox)
//     empty        DELETE /api/v1/mailboxes/{address}/folders/INBOX/messages, call after call
//   (the small mailbox is emptied last; the big one is only exported).
// Usage: npm run bench:api [-- --quick]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpuSeconds, fmt, freePort, peakRssMiB, percentile, prepareState, startWorker, timedInterleaved, BENCH_VARS } from '../scripts/local-worker.mjs';

const quick = process.argv.includes('--quick');
const stateDir = 'bench/.state/api';
const seedFile = 'bench/.state/seed-api.sql';
const domain = BENCH_VARS.DOMAINS;
const MAILBOXES = [
  { id: 1, address: `small@${domain}`, count: 1_000 },
  { id: 2, address: `big@${domain}`, count: quick ? 10_000 : 100_000 },
];
const REQUESTS = quick ? { list: 50, get: 50, search: 30 } : { list: 300, get: 300, search: 200 };
const WARMUP = 5;
const NO_RATE_LIMITS = { V1_RATE_READ_PER_MINUTE: '0', V1_RATE_WRITE_PER_MINUTE: '0', V1_RATE_SEARCH_PER_MINUTE: '0' };
const SEARCHES = [
  ['search', 'invoice'],
  ['search (CJK)', '发票号码'],
  // In every message: the worst case for an index, newest 20 of 100,000 hits.
  ['search (common)', 'weekly'],
];

/** 'msg_' + 20 characters, like the ids the Worker hands out. */
const uidOf = (mailboxId, i) => `msg_seed${String(mailboxId).padStart(2, '0')}${String(i).padStart(10, '0')}`;

/** The body of seeded message `i` (an SQL expression over the column `i`), about 300 bytes. */
const BODY_SQL = `'Hello team, this is weekly update number ' || i || '. The project schedule is on track and the release notes are ready for review. ' ||
  CASE WHEN i % 100 = 0 THEN 'Invoice INV-' || i || ' is attached; payment is due within 30 days. ' ELSE '' END ||
  CASE WHEN i % 100 = 50 THEN '请查收本月的发票号码 ' || i || '，谢谢。' ELSE '' END ||
  'Please reply with any questions before Friday. Best regards, the Seeder'`;

function seedSql({ id, address, count }) {
  const now = Date.now();
  const headers = JSON.stringify([{ key: 'from', value: 'Seeder <seed@sender.test>' }, { key: 'to', value: address }]);
  return `
INSERT INTO addresses (id, address, created_at, last_active_at, mail_count) VALUES (${id}, '${address}', ${now}, ${now}, ${count});
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${count})
INSERT INTO mails (address_id, public_id, folder, dedupe_key, message_id, source, recipient, from_name, from_address, to_json, subject, snippet,
                   raw_size, seen, flagged, sent_at, created_at)
SELECT ${id}, printf('msg_seed%02d%010d', ${id}, i), 'INBOX', 'mid:<seed-${id}-' || i || '@x>', '<seed-${id}-' || i || '@x>', 'seed@sender.test',
       '${address}', 'Seeder', 'seed@sender.test', '[{"name":"","address":"${address}"}]',
       CASE WHEN i % 100 = 0 THEN 'Invoice INV-' || i ELSE 'Weekly update ' || i END, substr(${BODY_SQL}, 1, 120),
       420, i % 3 = 0, i % 50 = 0, ${now} - (${count} - i) * 60000, ${now} - (${count} - i) * 60000
FROM seq;
INSERT INTO mail_contents (mail_id, raw, text, headers_json)
SELECT id, CAST('From: Seeder <seed@sender.test>' || char(13, 10) || 'To: ${address}' || char(13, 10) || 'Subject: ' || subject || char(13, 10, 13, 10) || ${BODY_SQL} AS BLOB),
       ${BODY_SQL}, '${headers}'
FROM (SELECT id, subject, CAST(substr(public_id, 11) AS INTEGER) AS i FROM mails WHERE address_id = ${id});
INSERT INTO mails_fts (rowid, subject, sender, recipients, body, mailbox)
SELECT m.id, m.subject, m.from_name || ' ' || m.from_address, m.recipient, c.text, 'mbx' || printf('%010d', m.address_id) || 'x'
FROM mails m JOIN mail_contents c ON c.mail_id = m.id WHERE m.address_id = ${id};
`;
}

async function call(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 200 && res.status !== 201) throw new Error(`${init.method ?? 'GET'} ${url}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

async function adminKey(url) {
  const body = await call(`${url}/api/v1/keys`, {
    method: 'POST',
    headers: { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'admin', name: 'bench' }),
  });
  return body.data.key;
}

/** One request of `op` against `mailbox`; throws unless the answer is 200 with the expected shape. */
function request(url, key, mailbox, op, query) {
  const base = `${url}/api/v1/mailboxes/${encodeURIComponent(mailbox.address)}`;
  const headers = { authorization: `Bearer ${key}` };
  if (op === 'list') {
    return async () => {
      const body = await call(`${base}/messages?folder=INBOX&limit=50`, { headers });
      if (body.data.length !== 50 || body.meta.total !== mailbox.count) throw new Error(`list: ${body.data.length} rows, total ${body.meta.total}`);
    };
  }
  if (op === 'get') {
    return async () => {
      const uid = uidOf(mailbox.id, 1 + Math.floor(Math.random() * mailbox.count));
      const body = await call(`${base}/messages/${uid}`, { headers });
      if (body.data.uid !== uid || !body.data.body.text) throw new Error(`get ${uid}: unexpected ${JSON.stringify(body).slice(0, 300)}`);
    };
  }
  return async () => {
    const body = await call(`${base}/search?q=${encodeURIComponent(query)}&limit=20`, { headers });
    if (body.data.length === 0) throw new Error(`search "${query}" in ${mailbox.address}: no hits`);
  };
}

/** Exports the whole mailbox, part by part; checks every message came once. */
async function exportAll(url, key, mailbox) {
  const base = `${url}/api/v1/mailboxes/${encodeURIComponent(mailbox.address)}/export?limit=1000`;
  let cursor = null;
  let messages = 0;
  let bytes = 0;
  let parts = 0;
  do {
    const res = await fetch(cursor ? `${base}&cursor=${cursor}` : base, { headers: { authorization: `Bearer ${key}` } });
    if (res.status !== 200) throw new Error(`export: HTTP ${res.status} ${await res.text()}`);
    const body = new Uint8Array(await res.arrayBuffer());
    messages += Number(res.headers.get('edgemail-message-count'));
    bytes += body.byteLength;
    parts++;
    cursor = res.headers.get('edgemail-next-cursor');
  } while (cursor);
  if (messages !== mailbox.count) throw new Error(`export of ${mailbox.address}: ${messages} messages, expected ${mailbox.count}`);
  return { messages, bytes, parts };
}

/** Empties the mailbox's INBOX, call after call. */
async function emptyInbox(url, key, mailbox) {
  const target = `${url}/api/v1/mailboxes/${encodeURIComponent(mailbox.address)}/folders/INBOX/messages`;
  let deleted = 0;
  let calls = 0;
  for (let more = true; more; calls++) {
    const body = await call(target, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });
    deleted += body.data.deleted;
    more = body.data.more;
  }
  if (deleted !== mailbox.count) throw new Error(`empty ${mailbox.address}: ${deleted} deleted, expected ${mailbox.count}`);
  return { messages: deleted, calls };
}

/** Runs `task` once; wall time and the runtime's CPU, per message it handled. */
async function wholeMailbox(label, mailbox, workerdPid, task) {
  const cpu = cpuSeconds(workerdPid);
  const start = performance.now();
  const result = await task();
  const ms = performance.now() - start;
  const cpuMs = (cpuSeconds(workerdPid) - cpu) * 1000;
  const size = result.bytes ? `, ${fmt(result.bytes / 1024 / 1024)} MiB in ${result.parts} parts` : `, ${result.calls} calls`;
  console.log(
    `${mailbox.count.toLocaleString().padEnd(8)} | ${label.padEnd(6)} | ${fmt(ms / 1000).padStart(6)} s | ${fmt(result.messages / (ms / 1000), 0).padStart(7)} msgs/s | ${fmt(cpuMs / result.messages, 3).padStart(6)} CPU ms/msg${size}`,
  );
}

async function main() {
  mkdirSync('bench/.state', { recursive: true });
  writeFileSync(seedFile, MAILBOXES.map(seedSql).join('\n'));
  console.log(`Preparing local D1 (seeding mailboxes of ${MAILBOXES.map((m) => m.count.toLocaleString()).join(' and ')} messages)...`);
  const seedStart = performance.now();
  prepareState(stateDir, seedFile);
  console.log(`Seeded in ${fmt((performance.now() - seedStart) / 1000)} s`);
  const worker = await startWorker(stateDir, await freePort(), NO_RATE_LIMITS);
  const { url, workerdPid } = worker;
  try {
    const key = await adminKey(url);
    console.log(`\nREST API v1 read latency (sequential requests, admin API key, workerd pid ${workerdPid})`);
    console.log('mailbox  | operation       |   n | p50 ms | p99 ms');
    // Every (mailbox, operation) pair is sampled in rounds, so warm-up drift does not favour the last.
    const pairs = MAILBOXES.flatMap((mailbox) =>
      [['list', 'list', REQUESTS.list], ['get', 'get', REQUESTS.get], ...SEARCHES.map(([label, q]) => [label, 'search', REQUESTS.search, q])].map(([label, op, n, query]) => ({ mailbox, label, n, task: request(url, key, mailbox, op, query) })),
    );
    for (const pair of pairs) for (let i = 0; i < WARMUP; i++) await pair.task();
    const results = await timedInterleaved(pairs);
    for (const [i, { mailbox, label, n }] of pairs.entries()) {
      const latencies = results[i];
      console.log(
        `${mailbox.count.toLocaleString().padEnd(8)} | ${label.padEnd(15)} | ${String(n).padStart(3)} | ${fmt(percentile(latencies, 50)).padStart(6)} | ${fmt(percentile(latencies, 99)).padStart(6)}`,
      );
    }
    console.log('\nWhole mailbox (one run each; CPU is the runtime process, local D1 included)');
    const [small, big] = MAILBOXES;
    await wholeMailbox('export', big, workerdPid, () => exportAll(url, key, big));
    await wholeMailbox('export', small, workerdPid, () => exportAll(url, key, small));
    await wholeMailbox('empty', small, workerdPid, () => emptyInbox(url, key, small));
    console.log(`\nworkerd peak memory: ${fmt(peakRssMiB(workerdPid))} MiB`);
  } finally {
    worker.stop();
  }
}

await main();
process.exit(0);

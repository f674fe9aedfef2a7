#!/usr/bin/env node
// bench/storage: bytes one stored message costs, by size class, in D1 (per table) and in R2: the
// figures behind docs/scale.md.
//
// For each configuration and size class: a fresh local Worker, N messages delivered (2 KB text and
// 50 KB HTML through the local Email Routing endpoint, 2 MB with a 1.5 MB PDF through
// /admin/mails/import), every message indexed, then the Worker is stopped and its local D1 database
// measured page by page with SQLite's dbstat (through python3's sqlite3 module, on a copy), and its R2
// objects by their sizes on disk. Prints bytes per message: D1 total and by table, and R2.
// Usage: npm run bench:storage [-- --quick]
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fmt, freePort, prepareState, startWorker, timed, BENCH_VARS } from '../scripts/local-worker.mjs';

const quick = process.argv.includes('--quick');
const domain = BENCH_VARS.DOMAINS;
const admin = { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS };
const CLASSES = quick
  ? [['2KB', 100], ['50KB', 40], ['2MB', 4]]
  : [['2KB', 400], ['50KB', 150], ['2MB', 10]];
const CONFIGS = [
  ['default', {}],
  // Every raw source and attachment in R2, every body read back from it: D1 keeps metadata and the index.
  ['BODIES_IN_R2=true', { BODIES_IN_R2: 'true' }],
  // ... and only the first 4,000 characters of each body in the search index.
  ['+SEARCH_BODY_CHARS=4000', { BODIES_IN_R2: 'true', SEARCH_BODY_CHARS: '4000' }],
];

function message(i, kind) {
  const head = `Received: from mx.sender.test by mx.cloudflare.net\r\nFrom: Sender ${i} <sender${i % 37}@shop${i % 11}.test>\r\nTo: store@${domain}\r\nSubject: ${kind} message ${i}: your order ${100000 + i}\r\nMessage-ID: <storage-${kind}-${i}-${Date.now()}@sender.test>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  // Varied words, as real text is: repeated filler would index unrealistically small.
  const words = (n, seed) => Array.from({ length: n }, (_, k) => WORDS[(k * 7 + seed * 13 + ((k * k) % 17)) % WORDS.length]).join(' ');
  if (kind === '2KB') return `${head}Content-Type: text/plain; charset=UTF-8\r\n\r\n${words(300, i).replace(/(.{72}) /g, '$1\r\n')}\r\n`;
  if (kind === '50KB') {
    const paragraphs = Array.from({ length: 110 }, (_, p) => `<p style="margin:0 0 12px">${words(45, i + p)}</p>`).join('\r\n');
    return `${head}Content-Type: text/html; charset=UTF-8\r\n\r\n<html><body><table><tr><td>${paragraphs}</td></tr></table></body></html>\r\n`;
  }
  const pdf = Buffer.alloc(1_500_000, i % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
  return `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${words(120, i)}\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${pdf}\r\n--b--\r\n`;
}

const WORDS = `order shipped invoice account password reset verify code confirm delivery tracking receipt payment
 refund subscription newsletter weekly update meeting schedule report attached please review thanks regards team
 welcome offer discount sale limited time free shipping customer support ticket resolved security alert login
 device location browser statement balance transfer reminder appointment booking flight hotel itinerary`.split(/\s+/).filter(Boolean);

/** Pages per table of the local D1 database, from a copy of its files (the Worker is stopped). */
function d1Tables(stateDir) {
  const dir = join(stateDir, 'v3/d1/miniflare-D1DatabaseObject');
  const db = readdirSync(dir).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  const copy = join(stateDir, 'measure.sqlite');
  for (const suffix of ['', '-wal']) if (existsSync(join(dir, db + suffix))) copyFileSync(join(dir, db + suffix), copy + suffix);
  const script = `import sqlite3, json, sys\nc = sqlite3.connect(sys.argv[1])\nprint(json.dumps(c.execute("select name, sum(pgsize) from dbstat group by name").fetchall()))`;
  const out = spawnSync('python3', ['-c', script, copy], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`python3 dbstat failed: ${out.stderr}`);
  return Object.fromEntries(JSON.parse(out.stdout));
}

/** Bytes of the objects in the local R2 bucket (miniflare keeps each object's body as a file). */
function r2Bytes(stateDir) {
  const dir = join(stateDir, 'v3/r2/edgemail-blobs/blobs');
  if (!existsSync(dir)) return 0;
  return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** Groups D1 objects (tables with their indexes, FTS5 shadow tables) into what they hold. */
function groupOf(name) {
  if (name.startsWith('mails_fts')) return 'search index (FTS5)';
  if (name === 'mail_contents' || name.startsWith('sqlite_autoindex_mail_contents')) return 'mail_contents (raw, text, html, headers)';
  if (name === 'mails' || name.startsWith('mails_') || name.startsWith('sqlite_autoindex_mails')) return 'mails (metadata) + indexes';
  if (name.startsWith('attachments') || name.startsWith('sqlite_autoindex_attachments')) return 'attachments';
  if (name.startsWith('delivery_log') || name.startsWith('folder_counts') || name.startsWith('search_pending') || name.startsWith('sqlite_autoindex_folder')) return 'log, counters, pending';
  return 'other';
}

async function measure(label, vars, kind, n) {
  const stateDir = `bench/.state/storage`;
  rmSync(stateDir, { recursive: true, force: true });
  prepareState(stateDir);
  const before = d1Tables(stateDir);
  const worker = await startWorker(stateDir, await freePort(), vars);
  const { url } = worker;
  try {
    await post(`${url}/api/new_address`, JSON.stringify({ name: 'store' }), { 'content-type': 'application/json' });
    await timed(n, 4, (i) =>
      kind === '2MB'
        ? post(`${url}/admin/mails/import?to=store@${domain}`, message(i, kind), admin)
        : post(`${url}/cdn-cgi/handler/email?from=bench@sender.test&to=store@${domain}`, message(i, kind)),
    );
    // Wait for the search index, so its size is in the figures.
    const key = (await (await post(`${url}/api/v1/keys`, JSON.stringify({ type: 'admin', name: 'storage' }), { ...admin, 'content-type': 'application/json' })).json()).data.key;
    for (let tries = 0; ; tries++) {
      const res = await fetch(`${url}/api/v1/mailboxes/store@${domain}/search?q=${kind}%20message%20${n - 1}:&limit=1`, { headers: { authorization: `Bearer ${key}` } });
      if ((await res.json()).data?.length) break;
      if (tries > 600) throw new Error('messages never became searchable');
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    worker.stop();
  }
  await new Promise((r) => setTimeout(r, 500));
  const after = d1Tables(stateDir);
  const groups = {};
  for (const [name, bytes] of Object.entries(after)) groups[groupOf(name)] = (groups[groupOf(name)] ?? 0) + bytes - (before[name] ?? 0);
  const d1 = Object.values(groups).reduce((a, b) => a + b, 0);
  return { label, kind, n, d1: d1 / n, r2: r2Bytes(stateDir) / n, groups: Object.fromEntries(Object.entries(groups).map(([g, b]) => [g, b / n])) };
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', body, headers });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res;
}

const kb = (bytes) => fmt(bytes / 1024, 1);
const results = [];
for (const [label, vars] of CONFIGS) for (const [kind, n] of CLASSES) results.push(await measure(label, vars, kind, n));

console.log('Bytes per stored message (KiB), by configuration and size class');
console.log('configuration           | class | n   | D1 total | R2     | D1: ' + [...new Set(results.flatMap((r) => Object.keys(r.groups)))].join(' | '));
const groupNames = [...new Set(results.flatMap((r) => Object.keys(r.groups)))];
for (const r of results) {
  console.log(
    `${r.label.padEnd(23)} | ${r.kind.padEnd(5)} | ${String(r.n).padEnd(3)} | ${kb(r.d1).padStart(8)} | ${kb(r.r2).padStart(6)} | ${groupNames.map((g) => kb(r.groups[g] ?? 0)).join(' | ')}`,
  );
}
mkdirSync('bench/.state', { recursive: true });
writeFileSync('bench/.state/storage.json', JSON.stringify(results, null, 2));
process.exit(0);

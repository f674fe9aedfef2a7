#!/usr/bin/env node
// bench/ingest: how fast a local Worker stores received mail, and how fast a mailbox lists.
//
// - Delivery: N messages of 2 KB, 50 KB and 2 MB (with an attachment). 2 KB and 50 KB go through
//   wrangler's local Email Routing endpoint (/cdn-cgi/handler/email); that endpoint refuses bodies
//   over 1 MiB, so 2 MB messages go through /admin/mails/import, which runs the same ingest code.
//   Prints mails/s, p50/p99 per delivery, and workerd CPU ms per mail.
// - Listing: p50/p99 of the first page of /api/parsed_mails and /api/mails for mailboxes of 100 and
//   100,000 messages (the large one is seeded with SQL before the Worker starts).
// Usage: npm run bench:ingest [-- --quick]
import { writeFileSync } from 'node:fs';
import { cpuSeconds, fmt, peakRssMiB, percentile, prepareState, startWorker, timed, BENCH_VARS } from '../scripts/local-worker.mjs';

const quick = process.argv.includes('--quick');
const stateDir = 'bench/.state/ingest';
const seedFile = 'bench/.state/seed-ingest.sql';
const BIG_MAILBOX = quick ? 10_000 : 100_000;
const domain = BENCH_VARS.DOMAINS;

function message(i, kind) {
  const id = `<bench-${kind}-${i}-${Date.now()}@sender.test>`;
  const head = `From: Bench <bench@sender.test>\r\nTo: ingest@${domain}\r\nSubject: Bench ${kind} #${i}\r\nMessage-ID: ${id}\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  if (kind === '2KB') return `${head}Content-Type: text/plain; charset=UTF-8\r\n\r\n${'Your code is 123456. '.repeat(90)}\r\n`;
  if (kind === '50KB') return `${head}Content-Type: text/html; charset=UTF-8\r\n\r\n<html><body>${'<p>Newsletter paragraph with <b>markup</b> and text.</p>\r\n'.repeat(880)}</body></html>\r\n`;
  const attachment = Buffer.alloc(1_500_000, i % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
  return `${head}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nReport attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment}\r\n--b--\r\n`;
}

function seedSql(addressId, n) {
  // One recursive insert per table keeps seeding 100k rows to seconds.
  const now = Date.now();
  return `
INSERT INTO addresses (id, address, created_at, last_active_at, mail_count) VALUES (${addressId}, 'big@${domain}', ${now}, ${now}, ${n});
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ${n})
INSERT INTO mails (address_id, dedupe_key, message_id, source, recipient, from_name, from_address, to_json, subject, snippet, raw_size, created_at)
SELECT ${addressId}, 'mid:<seed-' || i || '@x>', '<seed-' || i || '@x>', 'seed@sender.test', 'big@${domain}', 'Seeder', 'seed@sender.test',
       '[{"name":"","address":"big@${domain}"}]', 'Seeded message ' || i, 'Your code is ' || (100000 + i), 420, ${now} + i FROM seq;
INSERT INTO mail_contents (mail_id, raw, text, headers_json)
SELECT id, CAST('From: seed@sender.test' || char(13, 10) || 'Subject: ' || subject || char(13, 10, 13, 10) || snippet AS BLOB), snippet, '[]'
FROM mails WHERE address_id = ${addressId};
`;
}

async function post(url, body, headers = {}) {
  const res = await fetch(url, { method: 'POST', body, headers });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res;
}

async function main() {
  writeFileSync(seedFile, seedSql(1, BIG_MAILBOX));
  console.log(`Preparing local D1 (seeding a ${BIG_MAILBOX.toLocaleString()}-message mailbox)...`);
  prepareState(stateDir, seedFile);
  const worker = await startWorker(stateDir, 8790);
  const { url, workerdPid } = worker;
  try {
    const admin = { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS };
    console.log(`\nDelivery (workerd pid ${workerdPid})`);
    console.log('size   | path             |    n | mails/s | p50 ms | p99 ms | CPU ms/mail');
    const plans = quick
      ? [['2KB', 100, 'endpoint'], ['50KB', 50, 'endpoint'], ['2MB', 5, 'import']]
      : [['2KB', 500, 'endpoint'], ['50KB', 200, 'endpoint'], ['2MB', 20, 'import']];
    for (const [kind, n, path] of plans) {
      const bodies = Array.from({ length: n }, (_, i) => message(i, kind));
      const cpuBefore = cpuSeconds(workerdPid);
      const start = performance.now();
      const latencies = await timed(n, 4, (i) =>
        path === 'endpoint'
          ? post(`${url}/cdn-cgi/handler/email?from=bench@sender.test&to=ingest@${domain}`, bodies[i])
          : post(`${url}/admin/mails/import?to=ingest@${domain}`, bodies[i], admin),
      );
      const seconds = (performance.now() - start) / 1000;
      const cpuMs = ((cpuSeconds(workerdPid) - cpuBefore) * 1000) / n;
      console.log(
        `${kind.padEnd(6)} | ${(path === 'endpoint' ? 'email endpoint' : 'admin import').padEnd(16)} | ${String(n).padStart(4)} | ${fmt(n / seconds).padStart(7)} | ${fmt(percentile(latencies, 50)).padStart(6)} | ${fmt(percentile(latencies, 99)).padStart(6)} | ${fmt(cpuMs).padStart(11)}`,
      );
    }

    // A 100-message mailbox built through the real endpoint; the big one was seeded.
    const small = await (await post(`${url}/api/new_address`, JSON.stringify({ name: 'small' }), { 'content-type': 'application/json' })).json();
    for (let i = 0; i < 100; i++) {
      await post(`${url}/cdn-cgi/handler/email?from=bench@sender.test&to=small@${domain}`, message(i, '2KB').replace(`ingest@${domain}`, `small@${domain}`));
    }
    const big = await (await post(`${url}/admin/addresses/1/token`, '', admin)).json();

    console.log('\nList latency, first page of 20 (sequential requests)');
    console.log('mailbox  | endpoint           |   n | p50 ms | p99 ms');
    for (const [label, jwt, count] of [['100', small.jwt, 100], [BIG_MAILBOX.toLocaleString(), big.jwt, BIG_MAILBOX]]) {
      for (const endpoint of ['/api/parsed_mails', '/api/mails']) {
        const n = quick ? 50 : 300;
        const latencies = await timed(n, 1, async () => {
          const res = await fetch(`${url}${endpoint}?limit=20&offset=0`, { headers: { authorization: `Bearer ${jwt}` } });
          const body = await res.json();
          if (body.count !== count) throw new Error(`expected count ${count}, got ${body.count}`);
        });
        console.log(`${label.padEnd(8)} | ${endpoint.padEnd(18)} | ${String(n).padStart(3)} | ${fmt(percentile(latencies, 50)).padStart(6)} | ${fmt(percentile(latencies, 99)).padStart(6)}`);
      }
    }
    console.log(`\nworkerd peak memory: ${fmt(peakRssMiB(workerdPid))} MiB`);
  } finally {
    worker.stop();
  }
}

await main();
process.exit(0);

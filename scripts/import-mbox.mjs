#!/usr/bin/env node
// Imports an mbox file of any size (Thunderbird, Gmail Takeout, mutt) into one Edgemail mailbox.
//
// One import request may hold at most IMPORT_MAX_MESSAGES messages (each is a D1 query of that
// request, and Cloudflare caps those per invocation), so this reads the file as a stream, cuts it
// at its "From " separator lines into parts that fit (the Worker's GET /admin/mails/import says how
// many messages and bytes), and posts them one after another. Re-running it is safe: messages
// already there are counted as duplicates, not stored twice. A part refused with 429 or 5xx is
// retried after a pause.
//
// Usage:
//   EDGEMAIL_ADMIN_PASSWORD=… npm run import-mbox -- --url https://mail.example.com --to alice@example.com archive.mbox
// Options: --per-request N (at most N messages per request, below the Worker's own limit).
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, to: { type: 'string' }, 'per-request': { type: 'string' }, password: { type: 'string' } },
});
const file = positionals[0];
const password = opts.password ?? process.env.EDGEMAIL_ADMIN_PASSWORD;
if (!opts.url || !opts.to || !file || !password) {
  console.error('usage: EDGEMAIL_ADMIN_PASSWORD=… npm run import-mbox -- --url <worker url> --to <address> [--per-request N] <file.mbox>');
  process.exit(2);
}
const base = opts.url.replace(/\/+$/, '');
const headers = { 'x-admin-auth': password };

/** The Worker's limits for one import request. */
async function limits() {
  const res = await fetch(`${base}/admin/mails/import`, { headers });
  if (!res.ok) throw new Error(`GET /admin/mails/import: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Each message of the mbox at `path`, as the bytes from its "From " line to the next one. */
async function* messagesOf(path) {
  const separator = Buffer.from('\nFrom ');
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let start = 0;
    // A separator is "From " at the start of a line; the file itself starts with one.
    for (let at = pending.indexOf(separator, 1); at !== -1; at = pending.indexOf(separator, at + 1)) {
      yield pending.subarray(start, at + 1);
      start = at + 1;
    }
    pending = pending.subarray(start);
  }
  if (pending.length) yield pending;
}

async function post(part, attempt = 1) {
  const res = await fetch(`${base}/admin/mails/import?to=${encodeURIComponent(opts.to)}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/mbox' },
    body: Buffer.concat(part),
  });
  if ((res.status === 429 || res.status >= 500) && attempt < 6) {
    const wait = Number(res.headers.get('retry-after')) * 1000 || 2 ** attempt * 500;
    await new Promise((r) => setTimeout(r, wait));
    return post(part, attempt + 1);
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`import refused: ${res.status} ${body?.error?.message ?? JSON.stringify(body)}`);
  return body;
}

async function main() {
  const limit = await limits();
  const perRequest = Math.min(limit.max_messages, Number(opts['per-request']) || Infinity);
  // Headroom under the body cap for the last message of a part.
  const maxPartBytes = limit.max_bytes - limit.max_message_bytes;
  const total = { imported: 0, duplicates: 0, failed: 0, requests: 0, messages: 0 };
  let part = [];
  let partBytes = 0;
  const flush = async () => {
    if (!part.length) return;
    const report = await post(part);
    total.requests++;
    total.imported += report.imported;
    total.duplicates += report.duplicates;
    total.failed += report.failed.length;
    for (const f of report.failed) console.error(`message ${total.messages - part.length + f.index + 1}: ${f.error}`);
    console.log(`${total.messages} messages sent: ${total.imported} imported, ${total.duplicates} already there, ${total.failed} failed`);
    part = [];
    partBytes = 0;
  };
  for await (const message of messagesOf(file)) {
    if (part.length >= perRequest || partBytes + message.length > maxPartBytes) await flush();
    part.push(message);
    partBytes += message.length;
    total.messages++;
  }
  await flush();
  console.log(JSON.stringify(total));
  if (total.failed) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});

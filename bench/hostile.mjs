#!/usr/bin/env node
// bench/hostile: CPU per received message for inputs built to be expensive, through the pure part of
// ingest the Worker runs on every delivery (postal-mime parse, dedupe identity, HTML to text, preview,
// verification code/link extraction), bundled as the Worker bundles it and run in workerd (through
// Miniflare, the runtime `wrangler dev` uses). A delivery whose CPU passes the Workers limit fails,
// and Email Routing bounces the message: none of these may grow faster than its size.
// workerd's clock does not advance while a request computes, so each message is timed from outside:
// the request's wall time, less that of a request that only reads the same body. The work is
// synchronous and the machine otherwise idle, so that is its CPU. Node is no stand-in: its Blob,
// which postal-mime joins a text part's lines with, took 10 times workerd's time on plain text.
// Prints ms per message (median of 5) and ms per MiB. Figures only; nothing is asserted.
// Usage: npm run bench:hostile
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { fmt, percentile } from '../scripts/local-worker.mjs';

/** What ingest computes from the bytes before it writes anything (services/ingest.ts buildRecord). */
const entry = `
import { parseMessage, plainTextOf, snippetOfText } from './worker/src/services/parse.ts';
import { extractVerification } from './worker/src/services/verification/index.ts';
import { deliveryIdentity } from './worker/src/services/delivery-identity.ts';
export default {
  async fetch(request) {
    const raw = new Uint8Array(await request.arrayBuffer());
    if (new URL(request.url).pathname === '/floor') return new Response(String(raw.byteLength));
    const parsed = await parseMessage(raw);
    await deliveryIdentity(raw);
    snippetOfText(plainTextOf(parsed));
    extractVerification(parsed);
    return new Response(String(raw.byteLength));
  },
};
`;
const bundle = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'silent' });
const compatibilityDate = readFileSync('wrangler.toml', 'utf8').match(/^compatibility_date = "([\d-]+)"/m)[1];
const runtime = new Miniflare({ modules: true, script: bundle.outputFiles[0].text, compatibilityDate });

async function wallMs(path, raw) {
  const start = performance.now();
  const response = await runtime.dispatchFetch(`http://hostile${path}`, { method: 'POST', body: raw });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  await response.text();
  return performance.now() - start;
}

const MiB = 1024 * 1024;
const head = (extra = '') => `From: a@sender.test\r\nTo: b@bench.test\r\nSubject: hostile\r\nMessage-ID: <h@sender.test>\r\nMIME-Version: 1.0\r\n${extra}`;
const fill = (unit, bytes) => unit.repeat(Math.ceil(bytes / unit.length));
const html = (body) => `${head()}Content-Type: text/html; charset=utf-8\r\n\r\n${body}\r\n`;
const text = (body) => `${head()}Content-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
const parts = (n, part) => `${head()}Content-Type: multipart/mixed; boundary=b\r\n\r\n${Array.from({ length: n }, (_, i) => `--b\r\n${part(i)}\r\n`).join('')}--b--\r\n`;
const nested = (depth) => {
  let body = 'Content-Type: text/plain\r\n\r\ninnermost\r\n';
  for (let i = depth; i > 0; i--) body = `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n${body}--n${i}--\r\n`;
  return `${head()}${body}`;
};

const SIZE = 4 * MiB;
const cases = [
  ['plain text, ordinary (reference)', text(fill('The quarterly report is attached. Regards, Ann.\r\n', SIZE))],
  ['HTML: unclosed "<style" wall', html(fill('<style', SIZE))],
  ['HTML: "<" wall', html(fill('<', SIZE))],
  ['HTML: unclosed "<script" and comments', html(fill('<script<!--', SIZE))],
  ['HTML: nested tags 100,000 deep', html(`${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}`)],
  ['HTML: nested 100,000 deep around a code', html(`${'<div>'.repeat(100_000)}Your verification code is 482913${'</div>'.repeat(100_000)}`)],
  ['HTML: codes and code words everywhere', html(fill('<p>Your verification code is <b>482913</b>, code 482913.</p>', SIZE))],
  ['HTML: 100,000 links', html(fill('<a href="https://x.example/verify?token=abcdefabcdefabcdefabcd">Confirm</a>', SIZE))],
  ['text: codes and code words everywhere', text(fill('Your code: 482913. Verification code 482913\r\n', SIZE))],
  ['text: one 4 MiB line of digits', text(fill('1234 ', SIZE))],
  ['10,000 MIME parts', parts(10_000, (i) => `Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=f${i}.bin\r\n\r\nAAAA`)],
  ['MIME nested 1,000 deep', nested(1_000)],
  ['header: 50,000 recipients in Cc', `${head(`Cc: ${Array.from({ length: 50_000 }, (_, i) => `u${i}@x.example`).join(', ')}\r\n`)}Content-Type: text/plain\r\n\r\nhi\r\n`],
  ['header: 20,000 header fields', `${head(Array.from({ length: 20_000 }, (_, i) => `X-H${i}: v\r\n`).join(''))}Content-Type: text/plain\r\n\r\nhi\r\n`],
  ['header: one 1 MiB encoded-word field', `${head(`X-Long: =?utf-8?B?${Buffer.from(fill('é', MiB / 2)).toString('base64')}?=\r\n`)}Content-Type: text/plain\r\n\r\nhi\r\n`],
];

console.log('input                                     |  MiB | ms/message (median of 5) | ms/MiB');
for (const [label, message] of cases) {
  const raw = new TextEncoder().encode(message);
  await wallMs('/ingest', raw); // warm-up
  const floor = [];
  const work = [];
  for (let i = 0; i < 5; i++) {
    floor.push(await wallMs('/floor', raw));
    work.push(await wallMs('/ingest', raw));
  }
  const ms = Math.max(0, percentile(work.sort((a, b) => a - b), 50) - percentile(floor.sort((a, b) => a - b), 50));
  const mib = raw.byteLength / MiB;
  console.log(`${label.padEnd(41)} | ${fmt(mib).padStart(4)} | ${fmt(ms).padStart(24)} | ${fmt(ms / mib).padStart(6)}`);
}
await runtime.dispose();

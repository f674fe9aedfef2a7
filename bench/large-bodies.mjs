#!/usr/bin/env node
// bench/large-bodies: the Worker isolate's peak memory growth while it imports one message of about
// 24 MiB, for each shape such a message takes: a big attachment, a plain-text body (ASCII, and
// CJK in 8-bit UTF-8), an HTML body, a quoted-printable HTML body. The isolate is what the Workers
// 128 MB limit counts; a message that passes it fails to store, and Email Routing bounces it. Each
// shape on a fresh Worker (V8 does not hand back what it collected), sampled every 5 ms through the
// inspector. Figures only; nothing is asserted.
// Usage: npm run bench:large-bodies   (Node 20: node --experimental-websocket bench/large-bodies.mjs)
import { connectInspector, isolateMemoryMiB, sampleIsolateMemory } from '../scripts/inspector.mjs';
import { BENCH_VARS, fmt, freePort, prepareState, startWorker } from '../scripts/local-worker.mjs';

const domain = BENCH_VARS.DOMAINS;
const MiB = 1024 * 1024;
const run = Date.now().toString(36);

const head = (shape, type, encoding = '') =>
  `From: Bench <bench@sender.test>\r\nTo: ingest@${domain}\r\nSubject: Large ${shape}\r\nMessage-ID: <large-${shape}-${run}@sender.test>\r\nMIME-Version: 1.0\r\nContent-Type: ${type}\r\n${encoding}\r\n`;
/** `unit` repeated to `bytes` of UTF-8. */
const fill = (unit, bytes) => unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit))).slice(0, Math.floor(bytes / (Buffer.byteLength(unit) / unit.length)));

const SHAPES = [
  ['18 MiB attachment', () => `${head('attachment', 'multipart/mixed; boundary=b')}--b\r\nContent-Type: text/plain\r\n\r\nReport attached.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.alloc(18 * MiB, 7).toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b--\r\n`],
  ['24 MiB text, ASCII', () => `${head('ascii', 'text/plain; charset=utf-8')}${fill('The quick brown fox jumps over the lazy dog, again and again.\r\n', 24 * MiB)}`],
  ['24 MiB text, CJK (8bit)', () => `${head('cjk', 'text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit\r\n')}${fill('敏捷的棕色狐狸跳过了懒狗。这是一封很长的邮件。\r\n', 24 * MiB)}`],
  ['24 MiB HTML', () => `${head('html', 'text/html; charset=utf-8')}<html><body>${fill('<p>Newsletter paragraph with <b>markup</b> and text.</p>\r\n', 24 * MiB)}</body></html>`],
  ['24 MiB HTML, quoted-printable', () => `${head('qp', 'text/html; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable\r\n')}${fill('<p style=3D"color:red">Para=C3=A9 with <b>markup</b> and text.</p>=\r\n', 24 * MiB)}`],
];

console.log('shape                         |   size MiB | import ms | isolate peak growth MiB');
for (const [label, make] of SHAPES) {
  const stateDir = 'bench/.state/large-bodies';
  prepareState(stateDir);
  const inspectorPort = await freePort();
  const worker = await startWorker(stateDir, await freePort(), {}, { inspectorPort });
  try {
    const body = make();
    const inspector = await connectInspector(inspectorPort);
    const before = await isolateMemoryMiB(inspector);
    const sampler = sampleIsolateMemory(inspector, 5);
    const start = performance.now();
    const res = await fetch(`${worker.url}/admin/mails/import?to=ingest@${domain}`, { method: 'POST', body, headers: { 'x-admin-auth': BENCH_VARS.ADMIN_PASSWORDS } });
    if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
    const ms = performance.now() - start;
    const peak = await sampler.stop();
    inspector.close();
    console.log(`${label.padEnd(29)} | ${fmt(Buffer.byteLength(body) / MiB).padStart(10)} | ${fmt(ms, 0).padStart(9)} | ${fmt(peak - before).padStart(23)}`);
  } finally {
    worker.stop();
  }
}
process.exit(0);

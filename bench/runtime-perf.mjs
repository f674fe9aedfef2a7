#!/usr/bin/env node
// bench/runtime-perf: where the whole local runtime process spends its CPU while it receives 2 KB
// messages, which bench:ingest's "CPU ms/mail" counts and bench:profile (the Worker isolate alone)
// does not: the simulators of Email Routing, D1 and Queues, the RPC between them, the kernel.
// Records the workerd process with Linux `perf` (needs perf and root, or perf_event_paranoid <= 0)
// and prints its samples by component. JavaScript of every isolate (ours and the simulators') is
// "V8 + JIT code"; bench:profile splits what is ours.
// Usage: node bench/runtime-perf.mjs [--n 1500]  (npm run bench:runtime-perf)
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { BENCH_VARS, cpuSeconds, fmt, freePort, prepareState, startWorker, timed } from '../scripts/local-worker.mjs';

const nAt = process.argv.indexOf('--n');
const n = nAt > 0 ? Number(process.argv[nAt + 1]) : 1500;
const stateDir = 'bench/.state/runtime-perf';
const perfData = 'bench/.state/runtime-perf.data';
const domain = BENCH_VARS.DOMAINS;
const run = Date.now().toString(36);

// The same 2 KB message as bench:ingest.
function message(i) {
  const head = `Received: from mx.sender.test (mx.sender.test [192.0.2.1]) by mx.cloudflare.net; ${new Date().toUTCString()}\r\nFrom: Bench <bench@sender.test>\r\nTo: ingest@${domain}\r\nSubject: Bench 2KB #${i}\r\nMessage-ID: <perf-${i}-${run}@sender.test>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n`;
  return `${head}Content-Type: text/plain; charset=UTF-8\r\n\r\nzq${run}n${i}z ${'Your code is 123456. '.repeat(90)}\r\n`;
}

/** Which component a sampled leaf symbol belongs to (first match wins). */
const COMPONENTS = [
  ['kernel (syscalls, scheduling, interrupts)', (dso) => dso === '[kernel.kallsyms]'],
  ['V8 + JIT code (JavaScript of every isolate, GC)', (dso, sym) => /^perf-\d+\.map$|^\[JIT\]/.test(dso) || /^(Builtins_|v8::|cppgc::|unibrow::)/.test(sym)],
  ['SQLite (local D1, Durable Object storage)', (_, sym) => /sqlite|fts5|Fts5|^wal|Btree|Pager|Vdbe/i.test(sym)],
  ['allocator and memcpy', (_, sym) => /tcmalloc|TCMalloc|^__mem|^__str|malloc|^free$/.test(sym)],
  ['kj / Cap\'n Proto (I/O, RPC between isolates)', (_, sym) => /^(kj::|capnp::)/.test(sym)],
  ['workerd API glue', (_, sym) => /^workerd::/.test(sym)],
];

function breakdown(script) {
  const counts = new Map(COMPONENTS.map(([name]) => [name, 0]));
  const syscalls = new Map();
  let total = 0;
  let other = 0;
  // `perf script` prints one block per sample: a header line, then the stack, leaf first.
  for (const block of script.split('\n\n')) {
    const frames = block.split('\n').slice(1).map((l) => l.trim()).filter(Boolean);
    if (frames.length === 0) continue;
    total++;
    const leaf = /^[0-9a-f]+\s+(.*?)(?:\+0x[0-9a-f]+)?\s+\((.*)\)$/.exec(frames[0]);
    const [sym, dso] = leaf ? [leaf[1], leaf[2].split('/').pop()] : ['', ''];
    const component = COMPONENTS.find(([, test]) => test(dso, sym));
    if (component) counts.set(component[0], counts.get(component[0]) + 1);
    else other++;
    const call = /(?:__x64_sys_|__do_sys_)(\w+)/.exec(block);
    if (call) syscalls.set(call[1], (syscalls.get(call[1]) ?? 0) + 1);
  }
  return { counts, other, total, syscalls };
}

async function main() {
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    console.error('bench:runtime-perf needs Linux perf (apt-get install -y linux-perf) and permission to record another process.');
    process.exit(1);
  }
  mkdirSync('bench/.state', { recursive: true });
  prepareState(stateDir);
  const w = await startWorker(stateDir, await freePort(), { V1_RATE_WRITE_PER_MINUTE: '0' });
  try {
    const deliver = async (i) => {
      const res = await fetch(`${w.url}/cdn-cgi/handler/email?from=bench@sender.test&to=ingest@${domain}`, { method: 'POST', body: message(i) });
      if (!res.ok) throw new Error(`delivery ${i}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    // Warm-up: compiled code paths, the mailbox created and cached, the index consumer running.
    await timed(300, 4, (i) => deliver(i));
    await new Promise((r) => setTimeout(r, 2000));
    rmSync(perfData, { force: true });
    const perf = spawn('perf', ['record', '-F', '999', '-g', '-p', String(w.workerdPid), '-o', perfData], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 1000));
    const cpuBefore = cpuSeconds(w.workerdPid);
    await timed(n, 4, (i) => deliver(1000 + i));
    const cpuPerMail = ((cpuSeconds(w.workerdPid) - cpuBefore) * 1000) / n;
    perf.kill('SIGINT');
    await new Promise((r) => perf.on('exit', r));
    const script = execFileSync('perf', ['script', '-i', perfData], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const { counts, other, total, syscalls } = breakdown(script);
    console.log(`Runtime process while receiving ${n} messages of 2 KB (4 in flight): ${fmt(cpuPerMail, 2)} CPU ms per message, ${total} samples`);
    console.log('component                                          | share | ms/message');
    for (const [name, count] of [...counts, ['other', other]].sort((a, b) => b[1] - a[1])) {
      console.log(`${name.padEnd(50)} | ${fmt((100 * count) / total).padStart(4)}% | ${fmt((cpuPerMail * count) / total, 2).padStart(10)}`);
    }
    const calls = [...syscalls].sort((a, b) => b[1] - a[1]).slice(0, 6);
    console.log(`busiest system calls: ${calls.map(([name, count]) => `${name} ${fmt((100 * count) / total)}%`).join(', ')}`);
  } finally {
    w.stop();
  }
}

await main();

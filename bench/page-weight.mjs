#!/usr/bin/env node
// bench/page-weight: builds the web UI and prints what a first visit downloads, gzipped, against the
// 150 KB JavaScript budget. Prints only; the budget is a goal, not a test.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_GZIP = 150 * 1024;
const dist = 'frontend/dist';

const build = spawnSync('node_modules/.bin/vite', ['build', '--config', 'frontend/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const html = readFileSync(join(dist, 'index.html'), 'utf8');
const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]);
const rows = [['index.html', Buffer.byteLength(html), gzipSync(html, { level: 9 }).length]];
for (const asset of assets) {
  const data = readFileSync(join(dist, asset));
  rows.push([asset, data.length, gzipSync(data, { level: 9 }).length]);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log('First load of the web UI');
console.log('file                                   |      raw |  gzipped');
for (const [name, raw, gz] of rows) console.log(`${name.padEnd(38)} | ${kb(raw).padStart(8)} | ${kb(gz).padStart(8)}`);
const jsGzip = rows.filter(([n]) => n.endsWith('.js')).reduce((sum, [, , gz]) => sum + gz, 0);
const totalGzip = rows.reduce((sum, [, , gz]) => sum + gz, 0);
console.log(`\nJavaScript, gzipped: ${kb(jsGzip)} of the ${kb(BUDGET_JS_GZIP)} budget (${((jsGzip / BUDGET_JS_GZIP) * 100).toFixed(0)}%)`);
console.log(`Everything, gzipped: ${kb(totalGzip)}`);

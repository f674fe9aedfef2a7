#!/usr/bin/env node
// bench/verification: CPU cost of verification code/link extraction per message, run in Node on the
// same bundled code the Worker runs (workerd's timers are too coarse to time it from inside).
// Prints ms per message (mean, p50, p99) for the test-set messages and for a 60 KB HTML newsletter
// full of links and words that pass the cheap pre-check, and for texts made of nothing but codes and code
// words (the worst case: every token is scored against the words near it). Figures only; nothing is asserted.
// Usage: npm run bench:verification
import { build } from 'esbuild';
import { percentile, fmt } from '../scripts/local-worker.mjs';

const entry = `
export { extractVerification } from './worker/src/services/verification/index.ts';
export { CASES } from './worker/test/verification/corpus.ts';
export { HOLDOUT } from './worker/test/verification/holdout.ts';
`;
const bundle = await build({ stdin: { contents: entry, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], write: false, logLevel: 'silent' });
const mod = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString('base64')}`);
const { extractVerification, CASES, HOLDOUT } = mod;

const newsletterBlock = (i) =>
  `<tr><td><h2>Story ${i}: join the community call</h2><p>Read how teams confirm deployments in 2026, with 4,000 requests per second and $1,299 budgets.</p>` +
  `<a href="https://news.example/2026/05/story-${i}?utm_source=mail&utm_medium=email">Read more</a> · <a href="https://news.example/share/${i}">Share</a></td></tr>`;
const newsletter = `<html><body><table>${Array.from({ length: 150 }, (_, i) => newsletterBlock(i)).join('\n')}</table><p><a href="https://news.example/unsubscribe">Unsubscribe</a></p></body></html>`;

function time(label, inputs, rounds) {
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) {
      const start = performance.now();
      extractVerification(input);
      samples.push(performance.now() - start);
    }
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(`${label.padEnd(44)} mean ${fmt(mean, 3)} ms   p50 ${fmt(percentile(samples, 50), 3)} ms   p99 ${fmt(percentile(samples, 99), 3)} ms   (${samples.length} runs)`);
}

const cases = [...CASES, ...HOLDOUT].map((c) => ({ subject: c.subject, text: c.text ?? null, html: c.html ?? null }));
// Warm up the JIT and html-to-text's compiled selectors first.
time('warm-up', cases, 5);
time(`test-set messages (${cases.length})`, cases, 50);
time(`HTML newsletter (${Math.round(newsletter.length / 1024)} KB)`, [{ subject: 'This week', text: null, html: newsletter }], 200);
// Worst cases: every token a code and every few words a code word, at the extractor's size caps.
const codeWall = 'Your verification code is 482913, your code: 482913. '.repeat(400);
time(`text full of codes and code words (${Math.round(codeWall.length / 1024)} KB)`, [{ subject: 'Your code', text: codeWall, html: null }], 20);
const codeWallHtml = `<html><body>${'<p>Your verification code is <b>482913</b>. Enter the code 482913 to sign in.</p>\n'.repeat(3800)}</body></html>`;
time(`HTML full of codes and code words (${Math.round(codeWallHtml.length / 1024)} KB)`, [{ subject: 'Your code', text: null, html: codeWallHtml }], 5);
time('plain mail with no code words', [{ subject: 'Lunch', text: 'See you at noon by the fountain.', html: null }], 2000);

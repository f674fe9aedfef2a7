#!/usr/bin/env node
// Takes the README's screenshots: a throwaway local Worker with a few messages, driven by headless
// Chromium. Writes docs/screenshots/*.png. Run: npm run screenshots (needs Debian's chromium).
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { freePort, prepareState, startWorker } from './local-worker.mjs';

const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });
spawnSync('node_modules/.bin/vite', ['build', '--config', 'frontend/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
prepareState('bench/.state/screenshots');
const worker = await startWorker('bench/.state/screenshots', await freePort(), { DOMAINS: 'example.com', ADMIN_PASSWORDS: 'shots' });
const base = worker.url;

async function post(path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return res.json();
}
async function deliver(to, from, subject, html, text) {
  const raw = [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Message-ID: <${Math.random()}@example.net>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/alternative; boundary=x', '', '--x', 'Content-Type: text/plain; charset=UTF-8', '', text, '--x', 'Content-Type: text/html; charset=UTF-8', '', html, '--x--', ''].join('\r\n');
  await fetch(`${base}/cdn-cgi/handler/email?from=${encodeURIComponent(from.replace(/.*</, '').replace('>', ''))}&to=${to}`, { method: 'POST', body: raw });
}

const alice = await post('/api/new_address', { name: 'alice' });
await deliver('alice@example.com', 'GitHub <noreply@github.example>', 'Your verification code is 482913', '<h2>Verify your email</h2><p>Your code is <b>482913</b>. It expires in 10 minutes.</p><p><img src="https://tracker.example/pixel.png" width="1" height="1"></p>', 'Your code is 482913.');
await deliver('alice@example.com', 'Bob <bob@example.net>', 'Lunch on Friday?', '<p>Hi Alice,</p><p>Are you free for lunch on Friday? The new place on 5th street.</p><p>— Bob</p>', 'Hi Alice, are you free for lunch on Friday?');
await deliver('alice@example.com', '李雷 <lilei@example.cn>', '会议纪要', '<p>你好，附上今天的会议纪要。</p>', '你好，附上今天的会议纪要。');

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
async function shot(name, path, { width = 1100, height = 720, theme = 'light', lang = 'en', after } = {}) {
  const page = await browser.newPage({ viewport: { width, height } });
  await page.goto(base);
  await page.evaluate(({ entry, theme, lang }) => {
    localStorage.setItem('edgemail.addresses', JSON.stringify([entry]));
    localStorage.setItem('edgemail.current', JSON.stringify(entry.address));
    localStorage.setItem('edgemail.theme', theme);
    localStorage.setItem('edgemail.lang', lang);
  }, { entry: { address: alice.address, jwt: alice.jwt }, theme, lang });
  await page.goto(`${base}/${path}`);
  await page.reload();
  await page.waitForTimeout(800);
  if (after) await after(page);
  await page.screenshot({ path: `${out}/${name}.png` });
  await page.close();
}
await shot('inbox', '#/inbox');
await shot('message', '#/inbox', { after: async (p) => { await p.getByTestId('mail-row').last().click(); await p.waitForTimeout(800); } });
await shot('compose', '#/compose', { theme: 'dark', after: async (p) => { await p.getByTestId('compose-to').fill('Bob <bob@example.com>'); await p.getByTestId('compose-subject').fill('Minutes for Monday'); await p.getByTestId('compose-later').check(); await p.getByTestId('compose-at').fill('2026-12-01T09:00'); } });
await shot('password', '#/password', { lang: 'zh' });
await shot('mobile', '#/inbox', { width: 390, height: 760, theme: 'dark' });
// The Sent page: delivered messages (internal, one with a Bcc) and a scheduled one.
await post('/api/new_address', { name: 'bob' });
const send = (body) => post('/api/v1/emails', body, { authorization: `Bearer ${alice.jwt}` });
await send({ to: '李雷 <lilei@example.com>', subject: 'Slides', text: 'Attached next time.' });
await send({ to: ['Bob <bob@example.com>'], cc: 'lilei@example.com', subject: 'Minutes for Monday', text: 'See you then.', scheduled_at: new Date(Date.now() + 86_400_000).toISOString() });
await send({ to: 'Bob <bob@example.com>', bcc: 'alice@example.com', subject: 'Lunch: yes!', html: '<p>Friday works. — Alice</p>' });
await new Promise((r) => setTimeout(r, 4000));
await shot('sent', '#/sent', { after: async (p) => { await p.getByTestId('sent-row').first().click(); await p.waitForTimeout(800); } });
await shot('admin', '#/admin', { after: async (p) => { await p.getByTestId('admin-password').fill('shots'); await p.getByTestId('admin-login').click(); await p.waitForTimeout(800); } });
await browser.close();
worker.stop();
console.log(`screenshots written to ${out}/`);
process.exit(0);

// bench/send (v1 part): accepting sends through /api/v1 and end-to-end delivery through the queue.
// Accepting is measured on scheduled messages (a day ahead) so the queue consumer stays idle and
// workerd's CPU is the accept path alone; end-to-end sends to an internal mailbox and waits until
// every message is in it. Imported by bench/send.mjs.
import { cpuSeconds, fmt, percentile, timed } from '../scripts/local-worker.mjs';

export async function adminKey(url) {
  const res = await fetch(`${url}/api/v1/keys`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-admin-auth': 'bench-admin' }, body: JSON.stringify({ type: 'admin', name: 'bench' }) });
  if (res.status !== 201) throw new Error(`admin key: ${res.status} ${await res.text()}`);
  return (await res.json()).data.key;
}

const post = (url, key, path, body) =>
  fetch(`${url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const message = (from, to, extra = {}) => ({ from, to, subject: 'bench', text: 'Your code is 123456. '.repeat(100), ...extra });

export async function benchAccept(worker, key, domain, quick) {
  const later = new Date(Date.now() + 86_400_000).toISOString();
  console.log('\nPOST /api/v1/emails and /emails/batch (accept: validate, store, schedule), 2 KB text body');
  console.log('request           | clients |    n | req/s | msgs/s | p50 ms | p99 ms | workerd CPU ms/msg');
  const rows = [
    ['single', 1, quick ? 40 : 300, 1],
    ['single', 20, quick ? 40 : 600, 1],
    ['batch of 100', 1, quick ? 3 : 20, 100],
    ['batch of 100', 4, quick ? 4 : 40, 100],
  ];
  for (const [label, clients, n, size] of rows) {
    const one = message(`bench@${domain}`, `inbox@${domain}`, { scheduled_at: later });
    const cpuBefore = cpuSeconds(worker.workerdPid);
    const start = performance.now();
    const latencies = await timed(n, clients, async () => {
      const res = size === 1 ? await post(worker.url, key, '/emails', one) : await post(worker.url, key, '/emails/batch', Array.from({ length: size }, () => one));
      if (res.status !== 202) throw new Error(`${label}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    });
    const seconds = (performance.now() - start) / 1000;
    const cpu = ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / (n * size);
    console.log(
      `${label.padEnd(17)} | ${String(clients).padStart(7)} | ${String(n).padStart(4)} | ${fmt(n / seconds).padStart(5)} | ${fmt((n * size) / seconds).padStart(6)} | ${fmt(percentile(latencies, 50)).padStart(6)} | ${fmt(percentile(latencies, 99)).padStart(6)} | ${fmt(cpu, 2).padStart(18)}`,
    );
  }
}

/**
 * Sends `n` messages to one internal mailbox through the queue. Returns messages/s until all are in it,
 * and workerd CPU per message until then and until search finds the last one (so the indexing the
 * deliveries and Sent copies cause is counted too).
 */
export async function benchEndToEnd(worker, key, domain, jwt, n) {
  const count = async () => (await (await fetch(`${worker.url}/api/parsed_mails?limit=1`, { headers: { authorization: `Bearer ${jwt}` } })).json()).count;
  const marker = `zq${Date.now().toString(36)}last`;
  const searchable = async () =>
    (await (await fetch(`${worker.url}/api/v1/mailboxes/e2e@${domain}/search?q=${marker}&limit=1`, { headers: { authorization: `Bearer ${jwt}` } })).json()).data.length > 0;
  const before = await count();
  const cpuBefore = cpuSeconds(worker.workerdPid);
  const start = performance.now();
  for (let i = 0; i < n; i += 100) {
    const size = Math.min(100, n - i);
    const batch = Array.from({ length: size }, (_, j) => message(`bench@${domain}`, `e2e@${domain}`, i + j === n - 1 ? { subject: `bench ${marker}` } : {}));
    const res = await post(worker.url, key, '/emails/batch', batch);
    if (res.status !== 202) throw new Error(`batch: ${res.status} ${await res.text()}`);
  }
  const deadline = Date.now() + 600_000;
  while ((await count()) - before < n) {
    if (Date.now() > deadline) throw new Error('end-to-end delivery did not finish in 10 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
  const rate = n / ((performance.now() - start) / 1000);
  const cpuDelivered = ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / n;
  while (!(await searchable())) {
    if (Date.now() > deadline) throw new Error('end-to-end indexing did not finish in 10 minutes');
    await new Promise((r) => setTimeout(r, 200));
  }
  return { rate, cpuDelivered, cpuIndexed: ((cpuSeconds(worker.workerdPid) - cpuBefore) * 1000) / n };
}

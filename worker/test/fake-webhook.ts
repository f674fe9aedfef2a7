/**
 * vitest globalSetup (runs in Node): a local HTTP receiver for webhook deliveries, standing in for a
 * user's endpoint. The path picks the behaviour, the last segment names the test's endpoint:
 * `/ok/<k>` answers 200; `/flaky/<k>` 500 twice, then 200; `/fail/<k>` always 500; `/status/<code>/<k>`
 * that code; `/redirect/<k>` a 302 to /ok; `/slow/<k>` answers after 3 s. Every request is recorded;
 * `GET /_received?key=<k>` returns those of one endpoint (headers and the body as sent).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface Received {
  key: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    if (req.method === 'GET' && url.pathname === '/_received') {
      const key = url.searchParams.get('key');
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(received.filter((r) => key === null || r.key === key)));
    }
    const body = await readBody(req);
    const parts = url.pathname.split('/').filter(Boolean);
    const [mode] = parts;
    const key = parts.at(-1) ?? '';
    const count = (seen.get(url.pathname) ?? 0) + 1;
    seen.set(url.pathname, count);
    let status = 200;
    if (mode === 'flaky') status = count <= 2 ? 500 : 200;
    else if (mode === 'fail') status = 500;
    else if (mode === 'status') status = Number(parts[1]);
    else if (mode === 'redirect') status = 302;
    else if (mode === 'slow') await new Promise((r) => setTimeout(r, 3000));
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    received.push({ key, path: url.pathname, headers, body, status });
    const text = status === 200 ? 'thanks' : status === 302 ? '' : `failure ${count} `.repeat(200);
    res.writeHead(status, { 'content-type': 'text/plain', ...(status === 302 ? { location: `/ok/${key}` } : {}) });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('webhookUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * vitest globalSetup (runs in Node): a local HTTP server speaking Resend's `POST /emails` protocol,
 * because the real Resend is a third party we cannot reach from tests. The API key picks the answer:
 * `re_ok` accepts, `re_fail` is a 500, `re_invalid` a 422, anything else a 401. `GET /_received`
 * returns what it was sent.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export default async function setup(project: TestProject) {
  const received: { key: string; body: unknown }[] = [];
  let nextId = 1;
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/_received') return reply(200, received);
    if (req.method !== 'POST' || req.url !== '/emails') return reply(404, { name: 'not_found', message: 'Not found' });
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reply(400, { name: 'invalid_json', message: 'Body is not JSON' });
    }
    received.push({ key, body });
    if (key === 're_ok') return reply(200, { id: `fake_${nextId++}` });
    if (key === 're_fail') return reply(500, { name: 'application_error', message: 'Something went wrong' });
    if (key === 're_invalid') return reply(422, { name: 'validation_error', message: 'Invalid `to` field' });
    return reply(401, { name: 'invalid_api_key', message: 'API key is invalid' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  project.provide('resendUrl', `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

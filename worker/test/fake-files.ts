/**
 * vitest globalSetup (runs in Node): a local web server holding files that API callers attach by URL
 * (the Resend door's `path`), with the misbehaviours a fetcher must survive: redirects (to itself, to
 * a private address, in circles), missing files, lying and absent Content-Length, a body that never
 * finishes, and a file held back until the test releases it. Also used by the e2e tests.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';

/** A small PDF-looking file with every byte value in it, so base64 mistakes show. */
export const REPORT_BYTES = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from('\n%%EOF\n')]);

export async function startFakeFiles(): Promise<{ url: string; close: () => Promise<void> }> {
  const held = new Map<string, { waiting: ServerResponse[]; released: boolean }>();
  const hold = (name: string) => {
    if (!held.has(name)) held.set(name, { waiting: [], released: false });
    return held.get(name)!;
  };
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/_')) requests.push(url.pathname);
    const send = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      res.writeHead(status, headers);
      res.end(body);
    };
    switch (url.pathname) {
      case '/files/report.pdf':
        return send(200, REPORT_BYTES, { 'content-type': 'application/pdf', 'content-length': String(REPORT_BYTES.length) });
      case '/files/notes':
        return send(200, 'plain notes\n', { 'content-type': 'text/plain; charset=utf-8' });
      case '/files/no-type.csv':
        return send(200, 'a,b\n1,2\n');
      case '/redirect/report':
        return send(302, '', { location: '/files/report.pdf' });
      case '/redirect/loop':
        return send(302, '', { location: '/redirect/loop' });
      case '/redirect/private':
        return send(302, '', { location: 'http://10.0.0.1/secret' });
      case '/files/big-declared':
        // Claims to be larger than any message: refused before reading.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(1 << 30) });
        return res.end(Buffer.alloc(16));
      case '/files/big-streamed': {
        // No length given; 64 KiB chunks until the reader gives up.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        const pump = () => {
          while (sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
          if (sent < 64 * 1024 * 1024) res.once('drain', pump);
          else res.end();
        };
        res.on('close', () => (sent = Number.MAX_SAFE_INTEGER));
        return pump();
      }
      case '/files/never':
        // Headers, then silence.
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.write('started');
      case '/_release': {
        const h = hold(url.searchParams.get('name') ?? '');
        h.released = true;
        for (const r of h.waiting.splice(0)) r.writeHead(200, { 'content-type': 'text/plain' }).end('released\n');
        return send(200, 'ok');
      }
      case '/_requests':
        return send(200, JSON.stringify(requests), { 'content-type': 'application/json' });
      default:
        if (url.pathname.startsWith('/held/')) {
          const h = hold(url.pathname.slice('/held/'.length));
          if (h.released) return send(200, 'released\n', { 'content-type': 'text/plain' });
          h.waiting.push(res);
          return;
        }
        return send(404, 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export default async function setup(project: TestProject) {
  const files = await startFakeFiles();
  project.provide('filesUrl', files.url);
  return files.close;
}

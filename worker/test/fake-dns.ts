/**
 * vitest globalSetup (runs in Node): a local server speaking the DNS-over-HTTPS JSON API
 * (`GET /dns-query?name=&type=`, as Cloudflare's and Google's resolvers do), because public DNS is a
 * third party we cannot reach from tests. Tests publish records with `PUT /_records`.
 * `POST /_dkim-verify` checks a raw message's DKIM signature against the published records with two
 * verifiers independent of our signer: mailauth (Node) and dkimpy (Debian python3-dkim).
 */
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import type { TestProject } from 'vitest/node';

interface Published {
  type: 'A' | 'AAAA' | 'MX' | 'TXT';
  name: string;
  value: string;
  priority?: number;
}

const TYPE_CODES = { A: 1, AAAA: 28, MX: 15, TXT: 16 } as const;
const dkimpyScript = fileURLToPath(new URL('./dkimpy-verify.py', import.meta.url));
// Debian's interpreter, where python3-dkim installs (a pyenv python3 on PATH would not have it).
const PYTHON = process.env.DKIMPY_PYTHON ?? '/usr/bin/python3';

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** TXT data as a resolver returns it: quoted strings of at most 255 characters. */
function txtData(value: string): string {
  return (value.match(/.{1,255}/g) ?? ['']).map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/** Starts the server on a free loopback port; used by the worker tests and the e2e Worker alike. */
export async function startFakeDns(): Promise<{ url: string; close: () => Promise<void> }> {
  const records: Published[] = [];
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
  const txtOf = (name: string) => records.filter((r) => r.type === 'TXT' && key(r.name) === key(name)).map((r) => r.value);

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/dns-query') {
      const name = url.searchParams.get('name') ?? '';
      const type = (url.searchParams.get('type') ?? 'A').toUpperCase() as keyof typeof TYPE_CODES;
      if (!(type in TYPE_CODES) || req.headers.accept !== 'application/dns-json') return reply(400, { error: 'bad request' });
      const answers = records.filter((r) => r.type === type && key(r.name) === key(name));
      const known = records.some((r) => key(r.name) === key(name));
      const Answer = answers.map((r) => ({
        name: `${key(r.name)}.`,
        type: TYPE_CODES[type],
        TTL: 300,
        data: type === 'MX' ? `${r.priority ?? 10} ${r.value}.` : type === 'TXT' ? txtData(r.value) : r.value,
      }));
      // NXDOMAIN for names with no records at all, as a real zone answers.
      return reply(200, { Status: known ? 0 : 3, TC: false, RD: true, RA: true, AD: false, CD: false, Question: [{ name, type: TYPE_CODES[type] }], ...(Answer.length ? { Answer } : {}) }, 'application/dns-json');
    }
    if (req.method === 'PUT' && url.pathname === '/_records') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as { records: Published[] };
      records.push(...body.records);
      return reply(200, { ok: true });
    }
    if (req.method === 'DELETE' && url.pathname === '/_records') {
      const name = url.searchParams.get('name') ?? '';
      for (let i = records.length - 1; i >= 0; i--) if (key(records[i]!.name) === key(name)) records.splice(i, 1);
      return reply(200, { ok: true });
    }
    if (req.method === 'POST' && url.pathname === '/_dkim-verify') {
      const raw = await readBody(req);
      const resolver = async (name: string, type: string) => {
        const found = type === 'TXT' ? txtOf(name) : [];
        if (!found.length) throw Object.assign(new Error(`no ${type} at ${name}`), { code: 'ENOTFOUND' });
        return found.map((v) => [v]);
      };
      const mailauth = await dkimVerify(raw, { resolver, curTime: new Date() });
      const txt = Object.fromEntries(records.filter((r) => r.type === 'TXT').map((r) => [key(r.name), r.value]));
      const python = spawnSync(PYTHON, [dkimpyScript], { input: JSON.stringify({ raw: raw.toString('base64'), txt }), encoding: 'utf8' });
      const dkimpy = python.status === 0 ? JSON.parse(python.stdout) : { ok: false, log: `python failed: ${python.stderr}` };
      return reply(200, {
        mailauth: mailauth.results.map((r: any) => ({ status: r.status.result, domain: r.signingDomain, selector: r.selector, info: r.info, comment: r.status.comment })),
        dkimpy,
      });
    }
    reply(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export default async function setup(project: TestProject) {
  const dns = await startFakeDns();
  project.provide('dnsUrl', dns.url);
  return dns.close;
}

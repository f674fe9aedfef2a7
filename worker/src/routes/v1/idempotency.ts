/**
 * The Idempotency-Key header on v1 POSTs: the first response to a key is stored and replayed
 * (same status and body, `Idempotency-Replayed: true`); the rules live in services/idempotency.ts.
 * A request is identified by method, path and body (a multipart body by its fields and files, not
 * its random boundary).
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env';
import { sha256Hex } from '../../lib/bytes';
import { beginIdempotent, finishIdempotent } from '../../services/idempotency';

export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return next();
  const scope = c.var.principal.rateKey;
  const fingerprint = await sha256Hex(`${c.req.method} ${c.req.path}\n${await canonicalBody(c.req.raw.clone())}`);
  const start = await beginIdempotent(c.var.deps, scope, key, fingerprint);
  if (start.kind === 'replay') {
    return new Response(start.body, {
      status: start.status,
      headers: { 'content-type': 'application/json', 'idempotency-replayed': 'true', 'cache-control': 'no-store' },
    });
  }
  await next();
  await finishIdempotent(c.var.deps, scope, key, c.res.status, await c.res.clone().text());
});

async function canonicalBody(request: Request): Promise<string> {
  if (!(request.headers.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) return request.text();
  const form = await request.formData();
  const parts: string[] = [];
  for (const [name, value] of form.entries()) {
    const v = value as unknown as string | File;
    parts.push(typeof v === 'string' ? `${name}=${v}` : `${name}=file:${v.name}:${v.type}:${await sha256Hex(new Uint8Array(await v.arrayBuffer()))}`);
  }
  return parts.join('\n');
}

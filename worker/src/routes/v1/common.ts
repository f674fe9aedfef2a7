/** Shared pieces of the v1 routers: the app factory with the validation hook, and response helpers. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../env';
import { AppError } from '../../lib/errors';

/** A v1 router whose request validation fails in the v1 error envelope. */
export function v1Router() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      // The first problem is the error; every problem is in errors[], so a client can fix them all at once.
      const problems = result.error.issues.map((issue) => {
        const param = issue.path.join('.') || undefined;
        return { code: 'validation_failed' as const, message: `${param ? `${param}: ` : ''}${issue.message}`, ...(param ? { param } : {}) };
      });
      const [first] = problems;
      throw new AppError('validation_failed', first?.message ?? 'Invalid request.', first?.param, undefined, problems.length > 1 ? problems : undefined);
    },
  });
}

export function meta(c: Context<AppEnv>) {
  return { request_id: c.var.requestId };
}

export const security: Record<string, string[]>[] = [{ bearerKey: [] }, { headerKey: [] }];

export const addressParam = z.string().openapi({ param: { name: 'address', in: 'path' }, example: 'alice@example.com' });
export const uidParam = z.string().openapi({ param: { name: 'uid', in: 'path' }, example: 'msg_k2j4h5g6f7d8s9a0q1w2' });

export const limitParam = z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' } });
export const offsetParam = z.coerce.number().int().min(0).default(0).openapi({ param: { name: 'offset', in: 'query' } });

/**
 * A weak ETag over the resource itself (not the envelope, whose request id changes every time), and
 * 304 when the client already has it.
 */
export async function etagFor(c: Context<AppEnv>, data: unknown): Promise<{ etag: string; notModified: boolean }> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(JSON.stringify(data)));
  const etag = `W/"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
  c.header('ETag', etag);
  const presented = (c.req.header('if-none-match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
  return { etag, notModified: presented.includes(etag.replace(/^W\//, '')) };
}

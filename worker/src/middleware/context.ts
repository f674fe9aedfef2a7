/** Per-request basics: a request id on every response, and the services' dependencies. */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env';
import { randomToken } from '../lib/clock';
import { createDeps } from '../services/deps';

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const requestId = `req_${randomToken(20)}`;
  c.set('requestId', requestId);
  c.header('X-Request-Id', requestId);
  c.set('deps', createDeps(c.env));
  await next();
  // A Response built by hand (a redirect, an idempotent replay) does not carry what c.header set.
  if (c.res.headers.get('X-Request-Id') !== requestId) c.res = withHeader(c.res, 'X-Request-Id', requestId);
});

function withHeader(res: Response, name: string, value: string): Response {
  const copy = new Response(res.body, res);
  copy.headers.set(name, value);
  return copy;
}

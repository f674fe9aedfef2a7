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
});

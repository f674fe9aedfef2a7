/**
 * The Mail API door: the fifteen endpoints of the "Mail API" integration guide at
 * /compat/mailapi/api/v1 (a client of that API only changes its base URL), and its health check at
 * /compat/mailapi/health. A thin adapter: every rule lives in the services /api/v1 uses; this folder
 * only translates shapes, names and error codes (errors.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { databaseHealthy } from '../../../services/health';
import { accountRoutes, signupRoutes } from './accounts';
import { mailApiAuth, mailApiRateLimit } from './guard';
import { mailRoutes } from './mail';
import { mailboxRoutes } from './mailbox';
import { statsRoutes } from './stats';

export { mailApiDialect, MAILAPI_PREFIX } from './errors';

function apiRoutes() {
  return (
    new Hono<AppEnv>()
      .route('/', signupRoutes)
      // Everything below needs X-MAILAPI-TOKEN and counts against the token's limits.
      .use('*', mailApiAuth, mailApiRateLimit)
      .route('/', mailRoutes)
      .route('/', mailboxRoutes)
      .route('/', statsRoutes)
      .route('/', accountRoutes)
  );
}

export function createMailApiApp() {
  return new Hono<AppEnv>()
    .get('/health', async (c) => {
      const healthy = await databaseHealthy(c.var.deps);
      return c.json({ status: healthy ? 'healthy' : 'unhealthy', database: healthy ? 'ok' : 'error' }, healthy ? 200 : 503);
    })
    .route('/api/v1', apiRoutes());
}

/**
 * /api/v1: the documented, versioned public API. Declared once with zod (@hono/zod-openapi): the
 * same schemas validate requests and produce /api/v1/openapi.json.
 */
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../../env';
import { credentialCheckedWithData, v1Auth } from '../../middleware/v1-auth';
import { v1RateLimit } from '../../middleware/v1-ratelimit';
import { aiRoutes } from './ai';
import { v1Router } from './common';
import { DOCS_PAGE, docsPolicy } from './docs-page';
import { publicAuthRoutes, sessionRoutes } from './auth';
import { domainRoutes } from './domains';
import { emailManageRoutes } from './emails-manage';
import { emailSendRoutes } from './emails-send';
import { keyRoutes } from './keys';
import { permissionRoutes } from './permissions';
import { userRoutes } from './users';
import { mailboxRoutes } from './mailboxes';
import { exportRoutes } from './export';
import { messageRoutes } from './messages';
import { statsRoutes } from './stats';
import { suppressionRoutes } from './suppressions';
import { webhookRoutes } from './webhooks';

/** The paths anyone may read, even when the site has PASSWORDS set. */
export const PUBLIC_V1_PATHS = ['/api/v1/openapi.json', '/api/v1/docs'];

const publicDocument = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  c.header('Cache-Control', 'public, max-age=3600');
});

export function createV1App() {
  const app = v1Router();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (emk_…), a user session token (ems_…, from /auth/signup or /auth/login), or an address JWT (scoped to its own mailbox).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'headerKey', { type: 'apiKey', in: 'header', name: 'X-MAILAPI-TOKEN' });

  // The document and its page describe the API and hold no data: public (no key, no site password,
  // see app.ts) and cacheable.
  app.use('/openapi.json', publicDocument);
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Edgemail API',
      version: '1.0.0',
      description:
        'Mailboxes, folders, messages, search, attachments, sending (single, batch, scheduled, idempotent), suppressions, ' +
        'tracking (opens, clicks, replies, unified_status), webhooks (Standard Webhooks), API keys, delivery stats, accounts, domains (DKIM, DNS), permissions and AI writing. Every answer is JSON ' +
        '{ ok, success, data | error, meta: { request_id } }; errors carry a stable code and whether a retry can help.',
    },
    servers: [{ url: '/api/v1' }],
  });
  app.get('/docs', publicDocument, async (c) => {
    c.header('Content-Security-Policy', await docsPolicy());
    return c.html(DOCS_PAGE);
  });

  // Signup and log-in need no credential: they are what hands one out.
  app.route('/', publicAuthRoutes);
  for (const hot of ['/mailboxes/:address/messages', '/mailboxes/:address/messages/:uid', '/mailboxes/:address/search', '/mailboxes/:address/folders']) {
    app.use(hot, credentialCheckedWithData);
  }
  app.use('*', v1Auth, v1RateLimit);
  app.route('/', sessionRoutes);
  app.route('/', domainRoutes);
  app.route('/', permissionRoutes);
  app.route('/', userRoutes);
  app.route('/', keyRoutes);
  app.route('/', mailboxRoutes);
  app.route('/', messageRoutes);
  app.route('/', exportRoutes);
  app.route('/', statsRoutes);
  app.route('/', aiRoutes);
  app.route('/', emailSendRoutes);
  app.route('/', emailManageRoutes);
  app.route('/', suppressionRoutes);
  app.route('/', webhookRoutes);
  return app;
}

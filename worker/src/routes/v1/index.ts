/**
 * /api/v1: the documented, versioned public API. Declared once with zod (@hono/zod-openapi): the
 * same schemas validate requests and produce /api/v1/openapi.json.
 */
import { randomToken } from '../../lib/clock';
import { v1Auth } from '../../middleware/v1-auth';
import { v1RateLimit } from '../../middleware/v1-ratelimit';
import { v1Router } from './common';
import { docsPage } from './docs-page';
import { emailManageRoutes } from './emails-manage';
import { emailSendRoutes } from './emails-send';
import { keyRoutes } from './keys';
import { mailboxRoutes } from './mailboxes';
import { messageRoutes } from './messages';
import { statsRoutes } from './stats';
import { suppressionRoutes } from './suppressions';

export function createV1App() {
  const app = v1Router();
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key (emk_…) or an address JWT (scoped to its own mailbox).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'headerKey', { type: 'apiKey', in: 'header', name: 'X-MAILAPI-TOKEN' });

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Edgemail API',
      version: '1.0.0',
      description:
        'Mailboxes, folders, messages, search, attachments, sending (single, batch, scheduled, idempotent), suppressions, ' +
        'API keys and delivery stats. Every answer is JSON { ok, success, data | error, meta: { request_id } }; errors ' +
        'carry a stable code and whether a retry can help.',
    },
    servers: [{ url: '/api/v1' }],
  });
  app.get('/docs', (c) => {
    const nonce = randomToken(24);
    c.header('Content-Security-Policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'`);
    return c.html(docsPage(nonce));
  });

  app.use('*', v1Auth, v1RateLimit);
  app.route('/', keyRoutes);
  app.route('/', mailboxRoutes);
  app.route('/', messageRoutes);
  app.route('/', statsRoutes);
  app.route('/', emailSendRoutes);
  app.route('/', emailManageRoutes);
  app.route('/', suppressionRoutes);
  return app;
}

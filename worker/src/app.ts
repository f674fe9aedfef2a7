/** Builds the Hono app: global middleware, one router per resource, one error renderer. */
import { Hono } from 'hono';
import { except } from 'hono/combine';
import { HTTPException } from 'hono/http-exception';
import { ConfigError } from './config';
import type { AppEnv } from './env';
import { AppError } from './lib/errors';
import { requireSitePassword } from './middleware/auth';
import { requestContext } from './middleware/context';
import { addressRoutes } from './routes/addresses';
import { BYTESMTP_PREFIX, bytesmtpDialect } from './routes/compat/bytesmtp/dialect';
import { bytesmtpRoutes } from './routes/compat/bytesmtp';
import { createResendDoor, RESEND_PREFIX, resendDialect } from './routes/compat/resend';
import { adminRoutes } from './routes/admin';
import { externalRoutes } from './routes/external';
import { mailRoutes } from './routes/mails';
import { errorRenderer, type ErrorDialect } from './routes/error-dialects';
import { createMailApiApp, mailApiDialect, MAILAPI_PREFIX } from './routes/compat/mailapi';
import { allowedMethodsOf } from './routes/method-not-allowed';
import { createV1App, PUBLIC_V1_PATHS } from './routes/v1';
import { sendRoutes } from './routes/send';
import { trackingRoutes } from './routes/tracking';

export function createApp() {
  const app = new Hono<AppEnv>()
    .use(requestContext)
    .get('/health', (c) => c.json({ ok: true }))
    .use('/api/*', except(PUBLIC_V1_PATHS, requireSitePassword))
    .use('/admin/*', requireSitePassword)
    .use('/external/*', requireSitePassword)
    .route('/api/v1', createV1App())
    .route('/api', addressRoutes)
    .route('/api', mailRoutes)
    .route('/api', sendRoutes)
    .route('/external/api', externalRoutes)
    .route('/admin', adminRoutes)
    .route(MAILAPI_PREFIX, createMailApiApp())
    .route(BYTESMTP_PREFIX, bytesmtpRoutes)
    // Resend's SDKs cannot send the site password (x-custom-auth); the door takes API keys only.
    .route(RESEND_PREFIX, createResendDoor())
    // Open pixels and click redirects: fetched by mail clients, so no credential of any kind.
    .route('/t', trackingRoutes);

  // Compatibility doors (routes/compat/<dialect>/) add their error dialect here when they are mounted.
  const dialects: ErrorDialect[] = [mailApiDialect, bytesmtpDialect, resendDialect];
  // v1 answers carry meta.request_id and error.retryable; the original API keeps its smaller envelope.
  const render = errorRenderer(dialects);

  const allowedMethods = allowedMethodsOf(app.routes);
  app.notFound((c) => {
    const allowed = allowedMethods(c.req.path);
    if (allowed.length === 0) return render(c, new AppError('not_found', `No route for ${c.req.method} ${c.req.path}.`));
    c.header('Allow', allowed.join(', '));
    return render(c, new AppError('method_not_allowed', `Method ${c.req.method} is not allowed on ${c.req.path}; use ${allowed.join(', ')}.`));
  });

  app.onError((err, c) => {
    if (err instanceof AppError) return render(c, err);
    // Hono's own 4xx (e.g. a body that is not JSON) in our envelope.
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? 'payload_too_large' : err.status === 401 ? 'unauthorized' : 'validation_failed';
      return render(c, new AppError(code, err.message || 'Bad request.'));
    }
    const requestId = c.get('requestId') ?? 'unknown';
    // Details go to the log with the request id; clients get a generic message they can quote.
    console.error(JSON.stringify({ level: 'error', requestId, path: c.req.path, error: String(err), stack: (err as Error).stack }));
    const message =
      err instanceof ConfigError
        ? `The server is misconfigured; the operator should check the logs (request ${requestId}).`
        : `Internal error (request ${requestId}).`;
    return render(c, new AppError('internal_error', message));
  });
  return app;
}

export type AppType = ReturnType<typeof createApp>;

/** The Worker's entry points. Wiring only: each delegates to its handler. */
import { createApp } from './app';
import { handleEmail } from './handlers/email';
import { handleQueue } from './handlers/queue';
import { handleScheduled } from './handlers/scheduled';

export { RateLimiter } from './durable/rate-limiter';
export { SendScheduler } from './durable/send-scheduler';

const app = createApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  email: (message, env, ctx) => handleEmail(message, env, ctx),
  queue: (batch, env) => handleQueue(batch, env),
  scheduled: (_controller, env, ctx) => ctx.waitUntil(handleScheduled(env)),
} satisfies ExportedHandler<Env>;

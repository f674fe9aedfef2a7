/**
 * The open pixel and the click redirect (`/t/o/<token>`, `/t/c/<token>`), outside /api: recipients'
 * mail clients fetch them without any credential. A token that does not verify is a 404, so the
 * redirect only ever leads to a URL that was signed into that recipient's message.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env';
import { recordClick, recordOpen, type TrackingClient } from '../services/tracking/record';

// The smallest transparent GIF.
const PIXEL = Uint8Array.from(atob('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'), (c) => c.charCodeAt(0));

const NO_STORE = { 'Cache-Control': 'no-store, private', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

const clientOf = (header: (name: string) => string | undefined): TrackingClient => ({
  userAgent: header('user-agent') ?? '',
  ip: header('cf-connecting-ip') ?? null,
});

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE } });

export const trackingRoutes = new Hono<AppEnv>()
  .get('/o/:token', async (c) => {
    const token = c.req.param('token').replace(/\.gif$/, '');
    if (!(await recordOpen(c.var.deps, token, clientOf((n) => c.req.header(n))))) return notFound();
    return c.body(PIXEL, 200, { 'Content-Type': 'image/gif', ...NO_STORE });
  })
  .get('/c/:token', async (c) => {
    const url = await recordClick(c.var.deps, c.req.param('token'), clientOf((n) => c.req.header(n)));
    if (url === null) return notFound();
    return new Response(null, { status: 302, headers: { Location: url, ...NO_STORE } });
  });

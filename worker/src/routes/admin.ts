/** Admin API (`x-admin-auth`): manage every address, read any mailbox, import mail. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { AppError } from '../lib/errors';
import { idParam, pageQuery, validate } from '../lib/validate';
import { checkAdminPassword, requireAdmin } from '../middleware/auth';
import { createAddress, deleteAddress, findAddress, getAddress, grantSendBalance, listAddresses, rotateToken } from '../services/addresses';
import { activeDomainNames } from '../services/domains/registry';
import { importLimits, importMail } from '../services/import';
import { dashboardCounts } from '../services/stats';
import { listSummaries, listWithRaw } from '../services/mailbox';
import { issueAddressToken, issueAdminSession } from '../services/tokens';
import { newAddressBody } from './addresses';
import { addressInfo, compatMail, mailSummary } from './presenters';

const addressQuery = pageQuery.extend({ query: z.string().trim().max(320).optional() });
const mailboxQuery = pageQuery.extend({ address: z.email().max(320) });
const importQuery = z.object({ to: z.email().max(320) });

// An mbox migration can be large; Workers accept request bodies up to 100 MB on the free plan.
const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

export const adminRoutes = new Hono<AppEnv>()
  /** Exchanges the admin password for a short-lived session token (the web UI never keeps the password). */
  .post('/session', async (c) => {
    if (!(await checkAdminPassword(c, c.req.header('x-admin-auth')))) {
      throw new AppError('unauthorized', 'Admin password missing or wrong (x-admin-auth header).');
    }
    const { token, expiresAt } = await issueAdminSession(c.var.deps);
    return c.json({ token, expires_at: new Date(expiresAt).toISOString() });
  })
  .use(requireAdmin)
  .get('/stats', async (c) => {
    const { day, week } = await dashboardCounts(c.var.deps);
    return c.json({
      addresses: day.addresses,
      received: { last_24h: day.received, last_7d: week.received },
      sent: { last_24h: day.sent, last_7d: week.sent },
      failed: { last_24h: day.failed, last_7d: week.failed },
    });
  })
  /** The effective configuration, never any secret. */
  .get('/config', async (c) => {
    const { config } = c.var.deps;
    return c.json({
      domains: await activeDomainNames(c.var.deps),
      signup: config.signup,
      dkim_encryption_key_set: config.dkimEncryptionKey !== null,
      doh_resolver_url: config.dohResolverUrl,
      catch_all: config.catchAll,
      provider: config.provider.kind,
      max_message_bytes: config.maxMessageBytes,
      blob_threshold_bytes: config.blobThresholdBytes,
      admin_only_create: config.adminOnlyCreate,
      jwt_ttl_seconds: config.jwtTtlSeconds,
      default_send_balance: config.defaultSendBalance,
      send_rate_per_minute: config.sendRatePerMinute,
      max_recipients: config.maxRecipients,
      forward_to: config.forwardTo,
      retention_days: config.retentionDays,
      address_ttl_days: config.addressTtlDays,
      site_password_required: config.sitePasswords.length > 0,
    });
  })
  .post('/new_address', validate('json', newAddressBody), async (c) => {
    const row = await createAddress(c.var.deps, c.req.valid('json'), { anyActiveDomain: true });
    return c.json({ address: row.address, address_id: row.id, jwt: await issueAddressToken(c.var.deps, row) });
  })
  .get('/addresses', validate('query', addressQuery), async (c) => {
    const { rows, total } = await listAddresses(c.var.deps, c.req.valid('query'));
    return c.json({ results: rows.map(addressInfo), count: total });
  })
  .get('/addresses/:id', validate('param', idParam), async (c) => {
    return c.json(addressInfo(await getAddress(c.var.deps, c.req.valid('param').id)));
  })
  .delete('/addresses/:id', validate('param', idParam), async (c) => {
    await deleteAddress(c.var.deps, c.req.valid('param').id);
    return c.json({ ok: true });
  })
  /** A token for the address as it stands (existing tokens keep working). */
  .post('/addresses/:id/token', validate('param', idParam), async (c) => {
    const row = await getAddress(c.var.deps, c.req.valid('param').id);
    return c.json({ address: row.address, address_id: row.id, jwt: await issueAddressToken(c.var.deps, row) });
  })
  /** Revokes every existing token of the address and returns a fresh one. */
  .post('/addresses/:id/rotate_token', validate('param', idParam), async (c) => {
    const row = await rotateToken(c.var.deps, c.req.valid('param').id);
    return c.json({ address: row.address, address_id: row.id, jwt: await issueAddressToken(c.var.deps, row) });
  })
  .put('/addresses/:id/send_balance', validate('param', idParam), validate('json', z.object({ balance: z.number().int().min(0).max(1_000_000_000) })), async (c) => {
    const row = await grantSendBalance(c.var.deps, c.req.valid('param').id, c.req.valid('json').balance);
    return c.json(addressInfo(row));
  })
  .get('/mails', validate('query', mailboxQuery), async (c) => {
    const { address, ...page } = c.req.valid('query');
    const mailbox = await findAddress(c.var.deps, address);
    const { rows, count } = await listWithRaw(c.var.deps, mailbox, page);
    return c.json({ results: rows.map(compatMail), count });
  })
  .get('/parsed_mails', validate('query', mailboxQuery), async (c) => {
    const { address, ...page } = c.req.valid('query');
    const mailbox = await findAddress(c.var.deps, address);
    const { rows, count } = await listSummaries(c.var.deps, mailbox, page);
    return c.json({ results: rows.map(mailSummary), count });
  })
  // What one import may hold, so a client can split a large mbox into requests that fit.
  .get('/mails/import', (c) => c.json({ ok: true, ...importLimits(c.var.deps), max_bytes: MAX_IMPORT_BYTES }))
  .post(
    '/mails/import',
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES,
      onError: () => {
        throw new AppError('payload_too_large', `Import bodies are limited to ${MAX_IMPORT_BYTES} bytes.`);
      },
    }),
    validate('query', importQuery),
    async (c) => {
      const data = new Uint8Array(await c.req.arrayBuffer());
      if (data.byteLength === 0) throw new AppError('validation_failed', 'The body must be a raw message or an mbox file.');
      const report = await importMail(c.var.deps, c.req.valid('query').to, data);
      return c.json({ ok: true, ...report });
    },
  );


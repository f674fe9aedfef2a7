/** A mailbox reading its own mail with its address token. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { idParam, pageQuery, validate } from '../lib/validate';
import { mailboxReader, requireAddress, requireMailboxReader } from '../middleware/auth';
import { deleteMessage, getAttachmentContent, getFullMessage, getRawMessage, listSummariesFor, listWithRawFor } from '../services/mailbox';
import { compatMail, contentDisposition, DOWNLOAD_HEADERS, fullMail, mailSummary, safeContentType } from './presenters';

const attachmentParams = idParam.extend({ index: z.coerce.number().int().min(0) });
const searchQuery = pageQuery.extend({ q: z.string().trim().max(200).optional().transform((v) => v || undefined) });

/** Downloads are inert: never sniffed, never rendered as a page of our origin. */
// requireAddress is attached per route, not with .use(): this router shares the /api prefix, and an
// unknown /api path must stay a 404 rather than become a 401.
export const mailRoutes = new Hono<AppEnv>()
  // The two first-page reads check the token against its address in the same D1 round trip as the page.
  .get('/mails', requireMailboxReader, validate('query', pageQuery), async (c) => {
    const { mailbox, rows, count } = await listWithRawFor(c.var.deps, mailboxReader(c), c.req.valid('query'));
    c.set('mailbox', mailbox);
    return c.json({ results: rows.map(compatMail), count });
  })
  .get('/parsed_mails', requireMailboxReader, validate('query', searchQuery), async (c) => {
    const { q, ...page } = c.req.valid('query');
    const { mailbox, rows, count } = await listSummariesFor(c.var.deps, mailboxReader(c), page, q);
    c.set('mailbox', mailbox);
    return c.json({ results: rows.map(mailSummary), count });
  })
  .get('/mail/:id', requireAddress, validate('param', idParam), async (c) => {
    const { mail, raw } = await getRawMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.json(compatMail({ ...mail, raw }));
  })
  .get('/parsed_mail/:id', requireAddress, validate('param', idParam), async (c) => {
    return c.json(fullMail(await getFullMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id)));
  })
  .get('/mails/:id/raw', requireAddress, validate('param', idParam), async (c) => {
    const { mail, raw } = await getRawMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.body(raw, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': 'message/rfc822',
      'Content-Disposition': contentDisposition(`${mail.id}.eml`, 'message.eml'),
    });
  })
  .get('/mails/:id/attachments/:index', requireAddress, validate('param', attachmentParams), async (c) => {
    const { id, index } = c.req.valid('param');
    const { meta, body } = await getAttachmentContent(c.var.deps, c.var.mailbox, id, index);
    return c.body(body, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': safeContentType(meta.contentType),
      'Content-Length': String(meta.size),
      'Content-Disposition': contentDisposition(meta.filename, `attachment-${index}`),
    });
  })
  .delete('/mails/:id', requireAddress, validate('param', idParam), async (c) => {
    await deleteMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.json({ ok: true });
  });

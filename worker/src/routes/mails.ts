/** A mailbox reading its own mail with its address token. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env';
import { idParam, pageQuery, validate } from '../lib/validate';
import { requireAddress } from '../middleware/auth';
import { deleteMessage, getAttachmentContent, getFullMessage, getRawMessage, listSummaries, listWithRaw } from '../services/mailbox';
import { compatMail, contentDisposition, fullMail, mailSummary, safeContentType } from './presenters';

const attachmentParams = idParam.extend({ index: z.coerce.number().int().min(0) });

/** Downloads are inert: never sniffed, never rendered as a page of our origin. */
const DOWNLOAD_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'" };

export const mailRoutes = new Hono<AppEnv>()
  .use(requireAddress)
  .get('/mails', validate('query', pageQuery), async (c) => {
    const { rows, count } = await listWithRaw(c.var.deps, c.var.mailbox, c.req.valid('query'));
    return c.json({ results: rows.map(compatMail), count });
  })
  .get('/parsed_mails', validate('query', pageQuery), async (c) => {
    const { rows, count } = await listSummaries(c.var.deps, c.var.mailbox, c.req.valid('query'));
    return c.json({ results: rows.map(mailSummary), count });
  })
  .get('/mail/:id', validate('param', idParam), async (c) => {
    const { mail, raw } = await getRawMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.json(compatMail({ ...mail, raw }));
  })
  .get('/parsed_mail/:id', validate('param', idParam), async (c) => {
    return c.json(fullMail(await getFullMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id)));
  })
  .get('/mails/:id/raw', validate('param', idParam), async (c) => {
    const { mail, raw } = await getRawMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.body(raw, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': 'message/rfc822',
      'Content-Disposition': contentDisposition(`${mail.id}.eml`, 'message.eml'),
    });
  })
  .get('/mails/:id/attachments/:index', validate('param', attachmentParams), async (c) => {
    const { id, index } = c.req.valid('param');
    const { meta, body } = await getAttachmentContent(c.var.deps, c.var.mailbox, id, index);
    return c.body(body, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': safeContentType(meta.contentType),
      'Content-Length': String(meta.size),
      'Content-Disposition': contentDisposition(meta.filename, `attachment-${index}`),
    });
  })
  .delete('/mails/:id', validate('param', idParam), async (c) => {
    await deleteMessage(c.var.deps, c.var.mailbox, c.req.valid('param').id);
    return c.json({ ok: true });
  });

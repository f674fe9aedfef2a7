/** /api/v1/mailboxes/{address}/messages: list, read, download, flag, move, trash. */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../lib/errors';
import { settlePrincipal } from '../../middleware/v1-auth';
import { findMessage, findMessageFor, listMessagesFor, parseFolder, trashOrDelete, updateFlagsAndFolder } from '../../services/folders';
import { mailboxFor } from '../../services/mailbox-access';
import { getAttachmentContent, getFullMessage, getRawMessage } from '../../services/mailbox';
import { contentDisposition, DOWNLOAD_HEADERS, safeContentType } from '../presenters';
import { addressParam, etagFor, limitParam, meta, offsetParam, security, uidParam, v1Router } from './common';
import { fullMessage, messageSummary } from './presenters';
import { commonErrors, envelope, Flag, FolderName, listEnvelope, Message, MessageSummary, ok } from './schemas';

const base = '/mailboxes/{address}/messages';
const params = z.object({ address: addressParam, uid: uidParam });
const binary = (type: string, description: string) => ({ 200: { description, content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } } } });

const list = createRoute({
  method: 'get',
  path: base,
  tags: ['Messages'],
  security,
  summary: 'List messages in a folder, newest first',
  request: {
    params: z.object({ address: addressParam }),
    query: z.object({
      folder: z.string().default('INBOX').openapi({ param: { name: 'folder', in: 'query' }, example: 'INBOX' }),
      limit: limitParam,
      offset: offsetParam,
      cursor: z.string().optional().openapi({ param: { name: 'cursor', in: 'query' }, description: 'meta.next_cursor of the previous page' }),
      unread: z.enum(['true', 'false']).optional().openapi({ param: { name: 'unread', in: 'query' } }),
    }),
  },
  responses: { ...ok(listEnvelope(MessageSummary), 'A page of messages'), ...commonErrors },
});

const get = createRoute({
  method: 'get',
  path: `${base}/{uid}`,
  tags: ['Messages'],
  security,
  summary: 'One message: headers, body, attachments, flags (weak ETag; If-None-Match answers 304)',
  request: { params },
  responses: { ...ok(envelope(Message), 'The message'), 304: { description: 'Not modified' }, ...commonErrors },
});

const raw = createRoute({
  method: 'get',
  path: `${base}/{uid}/raw`,
  tags: ['Messages'],
  security,
  summary: 'The message exactly as received (RFC 822)',
  request: { params },
  responses: { ...binary('message/rfc822', 'The raw message'), ...commonErrors },
});

const attachment = createRoute({
  method: 'get',
  path: `${base}/{uid}/attachments/{index}`,
  tags: ['Messages'],
  security,
  summary: 'One attachment, decoded, with its Content-Type',
  request: { params: params.extend({ index: z.coerce.number().int().min(0).openapi({ param: { name: 'index', in: 'path' } }) }) },
  responses: { ...binary('application/octet-stream', 'The attachment bytes'), ...commonErrors },
});

const patch = createRoute({
  method: 'patch',
  path: `${base}/{uid}`,
  tags: ['Messages'],
  security,
  summary: 'Set flags (the full list, or flags to add and to remove) and/or move to another folder',
  request: {
    params,
    body: {
      content: {
        'application/json': {
          schema: z.object({
            flags: z.array(Flag).optional().openapi({ description: 'The full list: a flag left out is cleared' }),
            add_flags: z.array(Flag).optional().openapi({ description: 'Set these, keep the others (IMAP +FLAGS)' }),
            remove_flags: z.array(Flag).optional().openapi({ description: 'Clear these, keep the others (IMAP -FLAGS)' }),
            folder: FolderName.optional(),
          }),
        },
      },
    },
  },
  responses: { ...ok(envelope(MessageSummary), 'The updated message'), ...commonErrors },
});

const remove = createRoute({
  method: 'delete',
  path: `${base}/{uid}`,
  tags: ['Messages'],
  security,
  summary: 'Move to Trash; a message already in Trash is deleted for good',
  request: { params },
  responses: { ...ok(envelope(z.object({ uid: z.string(), result: z.enum(['trashed', 'deleted']) })), 'What happened'), ...commonErrors },
});

export const messageRoutes = v1Router()
  .openapi(list, async (c) => {
    const { address } = c.req.valid('param');
    const q = c.req.valid('query');
    const folder = parseFolder(q.folder);
    const unread = q.unread === undefined ? undefined : q.unread === 'true';
    const { rows, total, nextCursor, confirmed } = await listMessagesFor(c.var.deps, c.var.principal, address, { folder, limit: q.limit, offset: q.offset, cursor: q.cursor, unread });
    await settlePrincipal(c, confirmed);
    return c.json({ ok: true as const, success: true as const, data: rows.map(messageSummary), meta: { ...meta(c), total, limit: q.limit, offset: q.cursor ? 0 : q.offset, next_cursor: nextCursor } }, 200);
  })
  .openapi(get, async (c) => {
    const { address, uid } = c.req.valid('param');
    const { mailbox, row, confirmed } = await findMessageFor(c.var.deps, c.var.principal, address, uid);
    await settlePrincipal(c, confirmed);
    const detail = await getFullMessage(c.var.deps, mailbox, row.id, { markSeen: false });
    const data = fullMessage(detail.mail, detail);
    if ((await etagFor(c, data)).notModified) return c.body(null, 304);
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(raw, async (c) => {
    const { address, uid } = c.req.valid('param');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const row = await findMessage(c.var.deps, mailbox, uid);
    const { raw: bytes } = await getRawMessage(c.var.deps, mailbox, row.id);
    return c.body(bytes, 200, { ...DOWNLOAD_HEADERS, 'Content-Type': 'message/rfc822', 'Content-Disposition': contentDisposition(`${uid}.eml`, 'message.eml') });
  })
  .openapi(attachment, async (c) => {
    const { address, uid, index } = c.req.valid('param');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const row = await findMessage(c.var.deps, mailbox, uid);
    const { meta: info, body } = await getAttachmentContent(c.var.deps, mailbox, row.id, index);
    return c.body(body, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': safeContentType(info.contentType),
      'Content-Length': String(info.size),
      'Content-Disposition': contentDisposition(info.filename, `attachment-${index}`),
    });
  })
  .openapi(patch, async (c) => {
    const { address, uid } = c.req.valid('param');
    const body = c.req.valid('json');
    const changes = body.add_flags !== undefined || body.remove_flags !== undefined;
    if (body.flags === undefined && !changes && body.folder === undefined) throw new AppError('validation_failed', 'Give flags (or add_flags, remove_flags) and/or folder.', 'flags');
    if (body.flags !== undefined && changes) throw new AppError('validation_failed', 'Give either flags (the full list) or add_flags and remove_flags, not both.', 'flags');
    const both = body.add_flags?.find((flag) => body.remove_flags?.includes(flag));
    if (both) throw new AppError('validation_failed', `${both} is both added and removed.`, 'add_flags');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const updated = await updateFlagsAndFolder(c.var.deps, await findMessage(c.var.deps, mailbox, uid), body);
    return c.json({ ok: true as const, success: true as const, data: messageSummary(updated), meta: meta(c) }, 200);
  })
  .openapi(remove, async (c) => {
    const { address, uid } = c.req.valid('param');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const result = await trashOrDelete(c.var.deps, await findMessage(c.var.deps, mailbox, uid));
    return c.json({ ok: true as const, success: true as const, data: { uid, result }, meta: meta(c) }, 200);
  });

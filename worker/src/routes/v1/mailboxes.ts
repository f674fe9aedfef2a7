/** /api/v1/mailboxes/{address}: folders (and emptying one), full-text search, drafts. */
import { createRoute, z } from '@hono/zod-openapi';
import { settlePrincipal } from '../../middleware/v1-auth';
import { AppError } from '../../lib/errors';
import { deleteAddress } from '../../services/addresses';
import { emptyFolder } from '../../services/empty-folder';
import { createDraft, findMessage, listFoldersFor, parseFolder, searchMessagesFor, updateDraft, type DraftInput } from '../../services/folders';
import { mailboxFor } from '../../services/mailbox-access';
import { addressParam, meta, security, uidParam, v1Router } from './common';
import { messageSummary } from './presenters';
import { commonErrors, envelope, Folder, FolderName, listEnvelope, MessageSummary, ok, SearchHit } from './schemas';

const folders = createRoute({
  method: 'get',
  path: '/mailboxes/{address}/folders',
  tags: ['Mailboxes'],
  security,
  summary: 'Folders with message, unread and size totals',
  request: { params: z.object({ address: addressParam }) },
  responses: { ...ok(envelope(z.array(Folder)), 'The five folders'), ...commonErrors },
});

const search = createRoute({
  method: 'get',
  path: '/mailboxes/{address}/search',
  tags: ['Mailboxes'],
  security,
  summary: 'Search subject, sender, recipients and body text (any language)',
  request: {
    params: z.object({ address: addressParam }),
    query: z.object({
      // Control characters match nothing a person types, and NUL breaks the FTS5 query outright.
      q: z
        .string()
        .trim()
        .min(2)
        .max(200)
        .refine((q) => !/[\x00-\x1f\x7f]/.test(q), 'q must not contain control characters')
        .openapi({ param: { name: 'q', in: 'query' }, example: 'invoice' }),
      folder: z.string().optional().openapi({ param: { name: 'folder', in: 'query' } }),
      limit: z.coerce.number().int().min(1).max(200).default(20).openapi({ param: { name: 'limit', in: 'query' } }),
    }),
  },
  responses: {
    ...ok(listEnvelope(SearchHit), 'Matches, newest first'),
    ...commonErrors,
  },
});

const DraftBody = z
  .object({
    to: z.array(z.email()).default([]),
    cc: z.array(z.email()).default([]),
    subject: z.string().max(998).refine((v) => !/[\r\n]/.test(v), 'subject must be one line').default(''),
    text: z.string().optional(),
    html: z.string().optional(),
  })
  .openapi('DraftInput');

const createDraftRoute = createRoute({
  method: 'post',
  path: '/mailboxes/{address}/drafts',
  tags: ['Drafts'],
  security,
  summary: 'Save a new draft (in Drafts)',
  request: { params: z.object({ address: addressParam }), body: { content: { 'application/json': { schema: DraftBody } } } },
  responses: { 201: { description: 'The draft', content: { 'application/json': { schema: envelope(MessageSummary) } } }, ...commonErrors },
});

const updateDraftRoute = createRoute({
  method: 'put',
  path: '/mailboxes/{address}/drafts/{uid}',
  tags: ['Drafts'],
  security,
  summary: 'Replace a draft\'s content',
  request: { params: z.object({ address: addressParam, uid: uidParam }), body: { content: { 'application/json': { schema: DraftBody } } } },
  responses: { ...ok(envelope(MessageSummary), 'The draft'), ...commonErrors },
});

const emptyFolderRoute = createRoute({
  method: 'delete',
  path: '/mailboxes/{address}/folders/{folder}/messages',
  tags: ['Mailboxes'],
  security,
  summary: 'Empty a folder: its messages deleted for good, up to 400 a call (call again while `more` is true)',
  request: { params: z.object({ address: addressParam, folder: z.string().openapi({ param: { name: 'folder', in: 'path' }, example: 'Trash' }) }) },
  responses: { ...ok(envelope(z.object({ folder: FolderName, deleted: z.number().int(), more: z.boolean() })), 'How many went, and whether more remain'), ...commonErrors },
});

const deleteMailboxRoute = createRoute({
  method: 'delete',
  path: '/mailboxes/{address}',
  tags: ['Mailboxes'],
  security,
  summary: 'Delete the address with all its mail, for good (its own token, or an admin)',
  description: 'Every message, attachment and R2 object of the mailbox goes, and every token of the address stops working. An API key of the mailbox or an account session cannot do it: only the address token (its password) or an admin (key, password or session).',
  request: { params: z.object({ address: addressParam }) },
  responses: { ...ok(envelope(z.object({ address: z.string(), deleted: z.literal(true) })), 'Deleted'), ...commonErrors },
});

const toDraft = (b: z.infer<typeof DraftBody>): DraftInput => ({
  to: b.to.map((address) => ({ address })),
  cc: b.cc.map((address) => ({ address })),
  subject: b.subject,
  text: b.text,
  html: b.html,
});

export const mailboxRoutes = v1Router()
  .openapi(folders, async (c) => {
    const { folders: data, confirmed } = await listFoldersFor(c.var.deps, c.var.principal, c.req.valid('param').address);
    await settlePrincipal(c, confirmed);
    return c.json({ ok: true as const, success: true as const, data, meta: meta(c) }, 200);
  })
  .openapi(search, async (c) => {
    const { q, folder, limit } = c.req.valid('query');
    const { hits, confirmed } = await searchMessagesFor(c.var.deps, c.var.principal, c.req.valid('param').address, { query: q, folder, limit });
    await settlePrincipal(c, confirmed);
    const data = hits.map((h) => ({ ...messageSummary(h.mail), match: h.snippet }));
    return c.json({ ok: true as const, success: true as const, data, meta: { ...meta(c), total: data.length, limit, offset: 0, next_cursor: null } }, 200);
  })
  .openapi(deleteMailboxRoute, async (c) => {
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, c.req.valid('param').address);
    const p = c.var.principal;
    if (p.kind !== 'admin' && !(p.kind === 'mailbox' && p.keyId === null)) {
      throw new AppError('access_denied', "Only the address's own token (its password) or an admin deletes a mailbox.");
    }
    await deleteAddress(c.var.deps, mailbox.id);
    return c.json({ ok: true as const, success: true as const, data: { address: mailbox.address, deleted: true as const }, meta: meta(c) }, 200);
  })
  .openapi(emptyFolderRoute, async (c) => {
    const { address, folder: name } = c.req.valid('param');
    const folder = parseFolder(name);
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const { deleted, more } = await emptyFolder(c.var.deps, mailbox, folder);
    return c.json({ ok: true as const, success: true as const, data: { folder, deleted, more }, meta: meta(c) }, 200);
  })
  .openapi(createDraftRoute, async (c) => {
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, c.req.valid('param').address);
    const row = await createDraft(c.var.deps, mailbox, toDraft(c.req.valid('json')));
    return c.json({ ok: true as const, success: true as const, data: messageSummary(row), meta: meta(c) }, 201);
  })
  .openapi(updateDraftRoute, async (c) => {
    const { address, uid } = c.req.valid('param');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
    const row = await updateDraft(c.var.deps, mailbox, await findMessage(c.var.deps, mailbox, uid), toDraft(c.req.valid('json')));
    return c.json({ ok: true as const, success: true as const, data: messageSummary(row), meta: meta(c) }, 200);
  });

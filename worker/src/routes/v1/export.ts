/** /api/v1/mailboxes/{address}/export: the mailbox as mbox, in parts (services/mailbox-export.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { parseFolder } from '../../services/folders';
import { mailboxFor } from '../../services/mailbox-access';
import { exportMailbox } from '../../services/mailbox-export';
import { contentDisposition, DOWNLOAD_HEADERS } from '../presenters';
import { addressParam, security, v1Router } from './common';
import { commonErrors } from './schemas';

const exportRoute = createRoute({
  method: 'get',
  path: '/mailboxes/{address}/export',
  tags: ['Mailboxes'],
  security,
  summary: 'The mailbox as an mbox file (mboxrd), oldest first, in parts',
  description:
    'Every message exactly as stored, for a backup or another mail program (Thunderbird, mutt; `POST /admin/mails/import` takes it back). ' +
    'A part holds up to `limit` messages, 64 MiB of them, 40 stored in R2 and 40 reads of those in D1; when more remain, the `Edgemail-Next-Cursor` header (and a `Link: rel="next"`) ' +
    'gives the cursor of the next part. Concatenated, the parts are one mbox file.',
  request: {
    params: z.object({ address: addressParam }),
    query: z.object({
      folder: z.string().optional().openapi({ param: { name: 'folder', in: 'query' }, description: 'One folder; all of them when absent', example: 'INBOX' }),
      limit: z.coerce.number().int().min(1).max(1000).default(200).openapi({ param: { name: 'limit', in: 'query' } }),
      cursor: z.string().optional().openapi({ param: { name: 'cursor', in: 'query' }, description: 'Edgemail-Next-Cursor of the previous part' }),
    }),
  },
  responses: {
    200: {
      description: 'A part of the mbox file',
      headers: {
        'Edgemail-Next-Cursor': { description: 'The next part\'s cursor; absent on the last part', schema: { type: 'string' } },
        'Edgemail-Message-Count': { description: 'Messages in this part', schema: { type: 'integer' } },
      },
      content: { 'application/mbox': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...commonErrors,
  },
});

export const exportRoutes = v1Router().openapi(exportRoute, async (c) => {
  const { address } = c.req.valid('param');
  const { folder, limit, cursor } = c.req.valid('query');
  const mailbox = await mailboxFor(c.var.deps, c.var.principal, address);
  const part = await exportMailbox(c.var.deps, mailbox, { folder: folder === undefined ? null : parseFolder(folder), cursor, limit });
  const headers: Record<string, string> = {
    ...DOWNLOAD_HEADERS,
    'Content-Type': 'application/mbox',
    'Content-Disposition': contentDisposition(`${mailbox.address}${folder ? `-${parseFolder(folder)}` : ''}.mbox`, 'mailbox.mbox'),
    'Edgemail-Message-Count': String(part.count),
    'Cache-Control': 'no-store',
  };
  if (part.nextCursor) {
    headers['Edgemail-Next-Cursor'] = part.nextCursor;
    const next = new URL(c.req.url);
    next.searchParams.set('cursor', part.nextCursor);
    headers.Link = `<${next.pathname}${next.search}>; rel="next"`;
  }
  return c.body(part.body, 200, headers);
});

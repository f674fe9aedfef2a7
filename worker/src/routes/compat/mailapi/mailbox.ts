/**
 * /mailbox/{email}: folders, messages by folder, one message, an attachment, search. A mailbox the
 * token may not read answers MAILBOX_NOT_FOUND, exactly like one that does not exist.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { validate } from '../../../lib/validate';
import { countSearchMatches, findMessageInFolder, listFolders, listMessages, searchMessages } from '../../../services/folders';
import { mailboxFor } from '../../../services/mailbox-access';
import { getAttachmentContent, getFullMessage } from '../../../services/mailbox';
import { contentDisposition, safeContentType } from '../../presenters';
import { folderFromMailApi, folderToMailApi, fullMessage, messageSummary, searchHit } from './presenters';
import { AttachmentParam, FolderQuery, MailboxParam, MessageParam, MessagesQuery, SearchQuery } from './schemas';

/** The guide shows a phrase around the match ("...discuss the meeting agenda..."): about 40 characters. */
const SNIPPET_TOKENS = 40;

const DOWNLOAD_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'" };

/** Search totals are exact up to here; beyond, they read 10000. */
const TOTAL_CAP = 10_000;

export const mailboxRoutes = new Hono<AppEnv>()
  .get('/mailbox/:email/folders', validate('param', MailboxParam), async (c) => {
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, c.req.valid('param').email);
    const folders = await listFolders(c.var.deps, mailbox);
    return c.json({ success: true, mailbox: mailbox.address, folders: folders.map((f) => ({ ...f, name: folderToMailApi(f.name) })) }, 200);
  })
  .get('/mailbox/:email/messages', validate('param', MailboxParam), validate('query', MessagesQuery), async (c) => {
    const q = c.req.valid('query');
    const folder = folderFromMailApi(q.folder);
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, c.req.valid('param').email);
    const { rows, total } = await listMessages(c.var.deps, mailbox, { folder, limit: q.limit, offset: q.offset });
    return c.json({ success: true, mailbox: mailbox.address, folder: folderToMailApi(folder), total, messages: rows.map(messageSummary) }, 200);
  })
  // Reading a message marks it \Seen, as fetching it over IMAP does.
  .get('/mailbox/:email/messages/:uid', validate('param', MessageParam), validate('query', FolderQuery), async (c) => {
    const { email, uid } = c.req.valid('param');
    const folder = folderFromMailApi(c.req.valid('query').folder);
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, email);
    const row = await findMessageInFolder(c.var.deps, mailbox, uid, folder);
    return c.json(fullMessage(await getFullMessage(c.var.deps, mailbox, row.id)), 200);
  })
  .get('/mailbox/:email/messages/:uid/attachment/:index', validate('param', AttachmentParam), validate('query', FolderQuery), async (c) => {
    const { email, uid, index } = c.req.valid('param');
    const folder = folderFromMailApi(c.req.valid('query').folder);
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, email);
    const row = await findMessageInFolder(c.var.deps, mailbox, uid, folder);
    const { meta, body } = await getAttachmentContent(c.var.deps, mailbox, row.id, index);
    return c.body(body, 200, {
      ...DOWNLOAD_HEADERS,
      'Content-Type': safeContentType(meta.contentType),
      'Content-Length': String(meta.size),
      'Content-Disposition': contentDisposition(meta.filename, `attachment-${index}`),
    });
  })
  .get('/mailbox/:email/search', validate('param', MailboxParam), validate('query', SearchQuery), async (c) => {
    const { q, folder, limit } = c.req.valid('query');
    const mailbox = await mailboxFor(c.var.deps, c.var.principal, c.req.valid('param').email);
    const search = { query: q, folder: folderFromMailApi(folder) };
    const hits = await searchMessages(c.var.deps, mailbox, { ...search, limit, snippetTokens: SNIPPET_TOKENS });
    // total is every match, as the guide shows it: counted only when the page is full, and up to
    // TOTAL_CAP, so a common word in a huge mailbox is not counted hit by hit.
    const total = hits.length < limit ? hits.length : await countSearchMatches(c.var.deps, mailbox, search, TOTAL_CAP);
    return c.json({ success: true, query: q, total, messages: hits.map(searchHit) }, 200);
  });

/**
 * The ByteSMTP door at /compat/bytesmtp: ByteSMTP's AI Email API (send, inbox by folder and page,
 * read, delete with trash semantics, AI writing) for clients written against it, as a thin adapter
 * over the sending, mailbox and AI services. Credentials are those of /api/v1 (API keys, address
 * tokens, sessions); errors are written in ByteSMTP's dialect (dialect.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../../env';
import { validate } from '../../../lib/validate';
import { sendableBodyLimit } from '../../../middleware/body-limit';
import { v1Auth } from '../../../middleware/v1-auth';
import { domainById } from '../../../services/ai/context';
import { generate } from '../../../services/ai/generate';
import { findMessageById, listMessages, parseFolder, trashOrDelete } from '../../../services/folders';
import { getFullMessage } from '../../../services/mailbox';
import { acceptEmail } from '../../../services/sending';
import { actingMailbox, hourlyLimit } from './middleware';
import { inboxItem, messageView } from './presenters';
import { GenerateBody, InboxQuery, SendBody, toDraft, UidParam } from './schemas';

/** Messages per inbox page (ByteSMTP does not say; `per_page` in the answer tells clients). */
export const PAGE_SIZE = 50;

// JSON escaping and the other fields on top of the largest sendable body.
const jsonLimit = sendableBodyLimit('Request bodies', 1024 * 1024, 'JSON');

export const bytesmtpRoutes = new Hono<AppEnv>()
  .use('/api/*', v1Auth)
  .post('/api/send', hourlyLimit('send'), jsonLimit, validate('json', SendBody), async (c) => {
    const accepted = await acceptEmail(c.var.deps, c.var.principal, toDraft(c.req.valid('json')));
    // Stored and queued: delivery is the queue's job from here, as with every door.
    return c.json({ ok: true as const, message: 'Email sent successfully', id: accepted.id }, 200);
  })
  .get('/api/inbox', hourlyLimit('inbox'), validate('query', InboxQuery), actingMailbox, async (c) => {
    const { folder, page } = c.req.valid('query');
    const { rows, total } = await listMessages(c.var.deps, c.var.mailbox, { folder: parseFolder(folder), limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return c.json({ ok: true as const, messages: rows.map(inboxItem), page, total, per_page: PAGE_SIZE }, 200);
  })
  .get('/api/message/:uid', hourlyLimit('read'), validate('param', UidParam), actingMailbox, async (c) => {
    // Reading a message marks it seen, as opening it in a mail client does.
    const message = await getFullMessage(c.var.deps, c.var.mailbox, c.req.valid('param').uid);
    return c.json({ ok: true as const, message: messageView(message) }, 200);
  })
  .delete('/api/message/:uid', hourlyLimit('delete'), validate('param', UidParam), actingMailbox, async (c) => {
    const { deps, mailbox } = c.var;
    await trashOrDelete(deps, await findMessageById(deps, mailbox, c.req.valid('param').uid));
    return c.json({ ok: true as const, message: 'Message deleted' }, 200);
  })
  .post('/api/ai/generate', jsonLimit, validate('json', GenerateBody), async (c) => {
    const { deps, principal } = c.var;
    const body = c.req.valid('json');
    const { result } = await generate(deps, {
      feature: body.feature,
      prompt: body.prompt,
      sender: {
        address: principal.kind === 'mailbox' ? principal.address : undefined,
        domain: body.domain_id === undefined ? undefined : await domainById(deps, body.domain_id),
      },
      provider: body.provider,
      // The AI service counts AI_RATE_PER_HOUR per caller (the seed's 50/hour by default), for every door alike.
      rateKey: principal.rateKey,
    });
    return c.json({ ok: true as const, result }, 200);
  });

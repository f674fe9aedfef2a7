/** /mail: send through the queued sending service, a message's per-recipient status, the sent list. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../../../env';
import { AppError } from '../../../lib/errors';
import { validate } from '../../../lib/validate';
import { acceptEmail, getSentEmail, listSentEmails, senderAddresses } from '../../../services/sending';
import { messageStatus, sendAccepted, sentMessage } from './presenters';
import { MessageIdParam, PageQuery, SendBody, toDraft } from './schemas';

/**
 * The guide sends attachments base64 inside the JSON, so this door takes more than /api/v1's 1 MiB
 * JSON: about 7.5 MB of attachments. Larger files go through /api/v1/emails/send/multipart.
 */
export const SEND_BODY_LIMIT = 10 * 1024 * 1024;

const sendLimit = bodyLimit({
  maxSize: SEND_BODY_LIMIT,
  onError: () => {
    throw new AppError('payload_too_large', `Request bodies are limited to ${SEND_BODY_LIMIT} bytes; send larger attachments through /api/v1/emails/send/multipart.`);
  },
});

export const mailRoutes = new Hono<AppEnv>()
  .post('/mail/send', sendLimit, validate('json', SendBody), async (c) => {
    const accepted = await acceptEmail(c.var.deps, c.var.principal, toDraft(c.req.valid('json')));
    return c.json(sendAccepted(accepted), 202);
  })
  .get('/mail/sent', validate('query', PageQuery), async (c) => {
    const { limit, offset } = c.req.valid('query');
    const { deps, principal } = c.var;
    const { items, total } = await listSentEmails(deps, principal, { limit, offset });
    const senders = await senderAddresses(deps, items);
    return c.json({ success: true, total, messages: items.map((view) => sentMessage(view, senders.get(view.email.addressId) ?? '')) }, 200);
  })
  .get('/mail/:message_id/status', validate('param', MessageIdParam), async (c) => {
    const view = await getSentEmail(c.var.deps, c.var.principal, c.req.valid('param').message_id);
    return c.json(messageStatus(view), 200);
  });

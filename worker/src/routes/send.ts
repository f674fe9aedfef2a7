/** Sending with the address token in the Authorization header, and the Sent box. */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { z } from 'zod';
import type { AppEnv } from '../env';
import type { SendResponse } from './api-types';
import { AppError } from '../lib/errors';
import { idParam, pageQuery, validate } from '../lib/validate';
import { requireAddress, requireSender } from '../middleware/auth';
import type { AddressRow } from '../db/schema';
import type { EmailRecipientRow } from '../db/schema-sending';
import type { Deps } from '../services/deps';
import { sendComposed, sendRawMessage } from '../services/send';
import { deliverFailureNotice, undelivered } from '../services/sending/failure-notice';
import type { SyncResult } from '../services/sending/sync';
import { getSent, listSent } from '../services/sentbox';
import { recipientState, sentMail, sentSummary } from './presenters';
import { sendMailBody, toComposeRequest } from './send-body';

// Base64 attachments in JSON grow by a third; the built message is checked against the real limit.
const MAX_SEND_BODY_BYTES = 36 * 1024 * 1024;

/** Request bodies over the limit answer 413 in our envelope. */
export const sendBodyLimit = bodyLimit({
  maxSize: MAX_SEND_BODY_BYTES,
  onError: () => {
    throw new AppError('payload_too_large', `Request bodies are limited to ${MAX_SEND_BODY_BYTES} bytes.`);
  },
});

// `?to=` repeats, which the validator's flat query object cannot express, so it is parsed here.
const rawRecipients = z.array(z.string().trim().toLowerCase().pipe(z.email())).min(1);

/** The success body: `status: "ok"` as existing clients expect, plus what happened per recipient. */
export function sendResponse(result: SyncResult): SendResponse {
  return {
    ok: true as const,
    status: 'ok' as const,
    sent_id: result.rowId,
    message_id: result.messageId,
    delivery_status: result.status === 'partially_failed' ? 'partial' : 'sent',
    recipients: result.recipients.map(recipientState),
  };
}

export const sendRoutes = new Hono<AppEnv>()
  .post('/send_mail', requireSender, sendBodyLimit, validate('json', sendMailBody), async (c) => {
    const result = await sendComposed(c.var.deps, c.var.mailbox, toComposeRequest(c.req.valid('json')));
    return c.json(sendResponse(result));
  })
  /**
   * A complete RFC 5322 message as the body; envelope recipients as repeated `?to=`. With
   * `notify=failures` (the SMTP proxy's), recipients that could not be reached while others were are
   * reported to the sender's inbox as a non-delivery notice, since an SMTP client only sees its 250.
   */
  .post('/send_raw', requireSender, sendBodyLimit, async (c) => {
    const recipients = rawRecipients.safeParse(c.req.queries('to') ?? []);
    if (!recipients.success) throw new AppError('validation_failed', 'Give one or more valid recipients as ?to=…', 'to');
    // Checked before sending: a misspelt value would otherwise send without the notice asked for.
    const notify = c.req.query('notify');
    if (notify !== undefined && notify !== 'failures') throw new AppError('validation_failed', 'notify takes one value: failures.', 'notify');
    const raw = new Uint8Array(await c.req.arrayBuffer());
    if (raw.byteLength === 0) throw new AppError('validation_failed', 'The body must be the raw message.', 'body');
    const result = await sendRawMessage(c.var.deps, c.var.mailbox, raw, recipients.data);
    if (notify === 'failures') await noticeOfFailures(c.var.deps, c.var.mailbox, raw, result.recipients);
    return c.json(sendResponse(result));
  })
  .get('/sendbox', requireAddress, validate('query', pageQuery), async (c) => {
    const { rows, count } = await listSent(c.var.deps, c.var.mailbox, c.req.valid('query'));
    return c.json({ results: rows.map(sentSummary), count });
  })
  .get('/sendbox/:id', requireAddress, validate('param', idParam), async (c) => {
    return c.json(sentMail(await getSent(c.var.deps, c.var.mailbox, c.req.valid('param').id)));
  });

/** The message went out: a notice that cannot be stored is logged, not turned into a failed send. */
async function noticeOfFailures(deps: Deps, mailbox: AddressRow, raw: Uint8Array<ArrayBuffer>, recipients: EmailRecipientRow[]): Promise<void> {
  try {
    await deliverFailureNotice(deps, mailbox, raw, undelivered(recipients));
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'failure_notice_failed', mailbox: mailbox.id, error: String(err) }));
  }
}

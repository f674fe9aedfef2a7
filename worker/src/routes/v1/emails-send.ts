/** Sending through /api/v1: single, multipart and batch. Each answers 202 once the messages are stored and queued. */
import { createRoute, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { AppError, type ItemError } from '../../lib/errors';
import { sendableBodyLimit } from '../../middleware/body-limit';
import { acceptEmail } from '../../services/sending/accept';
import { acceptMany } from '../../services/sending/batch';
import { expandTemplate } from '../../services/sending/template';
import type { EmailDraft } from '../../services/sending/types';
import { meta, security, v1Router } from './common';
import { acceptedEmail } from './email-presenters';
import { multipartToJson, templateParts, toDraft } from './email-input';
import { AcceptedEmail, BatchAccepted, BatchInput, EmailInput, ItemErrorSchema, MultipartInput, TemplateBatchInput } from './email-schemas';
import { idempotency } from './idempotency';
import { commonErrors, envelope, ErrorEnvelope, Meta } from './schemas';

const JSON_BODY_LIMIT = 1024 * 1024;

const jsonLimit = bodyLimit({
  maxSize: JSON_BODY_LIMIT,
  onError: () => {
    throw new AppError('payload_too_large', 'JSON bodies are limited to 1 MiB; send large attachments to POST /api/v1/emails/send/multipart.');
  },
});

// Form fields, part headers and boundaries on top of the files themselves.
const MULTIPART_OVERHEAD = 1024 * 1024;

/** A form larger than any message we could send is refused before it is read. */
const multipartLimit = sendableBodyLimit('Multipart bodies', MULTIPART_OVERHEAD, 'form');

const idempotencyHeader = z.object({
  'idempotency-key': z.string().max(256).optional().openapi({ param: { name: 'idempotency-key', in: 'header' }, description: 'Replays the first response for 24 h.' }),
});

const sendErrors = {
  ...commonErrors,
  403: { description: 'sender_not_allowed, domain_not_allowed, send_quota_exhausted (insufficient_credits on /emails/send and /emails/send/batch), access_denied', content: { 'application/json': { schema: ErrorEnvelope } } },
  409: { description: 'invalid_idempotent_request, concurrent_idempotent_requests', content: { 'application/json': { schema: ErrorEnvelope } } },
  413: { description: 'payload_too_large', content: { 'application/json': { schema: ErrorEnvelope } } },
} as const;

const accepted = (schema: z.ZodType, description: string) => ({ 202: { description, content: { 'application/json': { schema } } } });

const sendRoute = (path: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['Sending'],
    security,
    summary: 'Send one email (queued, or scheduled with scheduled_at)',
    request: { headers: idempotencyHeader, body: { required: true, content: { 'application/json': { schema: EmailInput } } } },
    responses: { ...accepted(envelope(AcceptedEmail), 'Accepted: stored and queued'), ...sendErrors },
  });

const multipart = createRoute({
  method: 'post',
  path: '/emails/send/multipart',
  tags: ['Sending'],
  security,
  summary: 'Send one email with file uploads (multipart/form-data)',
  request: { headers: idempotencyHeader, body: { required: true, content: { 'multipart/form-data': { schema: MultipartInput } } } },
  responses: { ...accepted(envelope(AcceptedEmail), 'Accepted: stored and queued'), ...sendErrors },
});

const BatchEnvelope = z.object({
  ok: z.literal(true),
  success: z.literal(true),
  data: z.array(BatchAccepted),
  errors: z.array(ItemErrorSchema).openapi({ description: 'Invalid items (x-batch-validation: permissive).' }),
  meta: Meta.extend({ total: z.number().int() }),
});

const batchRoute = (path: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['Sending'],
    security,
    summary: 'Send up to 100 emails, or one template to up to 100 recipients (one request for rate limits)',
    request: {
      headers: idempotencyHeader.extend({
        'x-batch-validation': z.enum(['strict', 'permissive']).optional().openapi({
          param: { name: 'x-batch-validation', in: 'header' },
          description: 'strict (default): any invalid item rejects the batch; permissive: valid items go, invalid ones are listed.',
        }),
      }),
      body: { required: true, content: { 'application/json': { schema: BatchInput } } },
    },
    responses: { ...accepted(BatchEnvelope, 'Accepted messages, and the invalid ones'), ...sendErrors },
  });

/** Each item validated on its own (so permissive batches can report them by index). */
function itemsOf(body: z.infer<typeof BatchInput>): (EmailDraft | ItemError)[] {
  if (!Array.isArray(body) && !('emails' in body)) {
    const template = TemplateBatchInput.parse(body);
    const { base, recipients } = templateParts(template);
    return expandTemplate(base, recipients);
  }
  const list = Array.isArray(body) ? body : body.emails;
  return list.map((item, index) => {
    const parsed = EmailInput.safeParse(item);
    if (parsed.success) return toDraft(parsed.data);
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join('.');
    return { index, code: 'validation_failed' as const, message: `${param ? `${param}: ` : ''}${issue.message}`, ...(param ? { param } : {}) };
  });
}

export const emailSendRoutes = v1Router();
for (const path of ['/emails', '/emails/send', '/emails/batch', '/emails/send/batch']) emailSendRoutes.use(path, jsonLimit);
emailSendRoutes.use('/emails/send/multipart', multipartLimit);
for (const path of ['/emails', '/emails/send', '/emails/send/multipart', '/emails/batch', '/emails/send/batch']) emailSendRoutes.use(path, idempotency);

for (const path of ['/emails', '/emails/send']) {
  emailSendRoutes.openapi(sendRoute(path), async (c) => {
    const email = await acceptEmail(c.var.deps, c.var.principal, { ...toDraft(c.req.valid('json')), origin: new URL(c.req.url).origin });
    return c.json({ ok: true as const, success: true as const, data: acceptedEmail(email), meta: meta(c) }, 202);
  });
}

emailSendRoutes.openapi(multipart, async (c) => {
  const { deps } = c.var;
  const form = await c.req.parseBody({ all: true });
  const parsed = EmailInput.safeParse(await multipartToJson(form, deps.config.maxMessageBytes));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.join('.') || undefined;
    throw new AppError('validation_failed', `${param ? `${param}: ` : ''}${issue.message}`, param);
  }
  const email = await acceptEmail(deps, c.var.principal, { ...toDraft(parsed.data), origin: new URL(c.req.url).origin });
  return c.json({ ok: true as const, success: true as const, data: acceptedEmail(email), meta: meta(c) }, 202);
});

for (const path of ['/emails/batch', '/emails/send/batch']) {
  emailSendRoutes.openapi(batchRoute(path), async (c) => {
    const mode = c.req.valid('header')['x-batch-validation'] ?? 'strict';
    // Tracking URLs point at the origin the batch came in on, unless PUBLIC_URL says otherwise.
    const origin = new URL(c.req.url).origin;
    const items = itemsOf(c.req.valid('json')).map((item) => ('to' in item ? { ...item, origin } : item));
    const { accepted: sent, errors } = await acceptMany(c.var.deps, c.var.principal, items, mode);
    const data = sent.map((a) => ({ index: a.index, id: a.id, message_id: a.messageId, to: a.to.map((m) => m.address).join(', '), status: a.status }));
    return c.json(
      { ok: true as const, success: true as const, data, errors: errors.map((e) => ({ ...e, index: e.index ?? 0 })), meta: { ...meta(c), total: data.length } },
      202,
    );
  });
}

/**
 * zod schemas of the sending endpoints: the union of request shapes clients of the common send APIs
 * use, and the answers. Kept free of transforms so they document exactly what is accepted; routes
 * turn validated input into the service's EmailDraft (email-input.ts).
 */
import { z } from '@hono/zod-openapi';
import { hasLineBreak, parseMailbox } from '../../lib/address';
import { customHeaders } from '../custom-headers';
import { isBase64 } from '../../services/mime';
import { EMAIL_STATUSES, RECIPIENT_STATUSES } from '../../services/sending';
import { Address } from './schemas';
import { UNIFIED_STATUSES } from '../../services/tracking/unified';

const oneLine = (field: string, max: number) => z.string().max(max).refine((v) => !hasLineBreak(v), `${field} must not contain line breaks`);

const MailboxString = z
  .string()
  .refine((v) => parseMailbox(v) !== null, 'must be an address: "a@example.com" or "Name <a@example.com>"')
  .openapi({ example: 'Alice <alice@example.com>' });
const MailboxObject = z.object({
  email: z.string().refine((v) => parseMailbox(v) !== null && !v.includes('<'), 'must be an email address'),
  name: oneLine('name', 200).optional(),
});
export const MailboxInput = z.union([MailboxString, MailboxObject]).openapi('MailboxInput', {
  description: '"a@b", "Name <a@b>" or { "email": "a@b", "name": "Name" }',
});
export const RecipientsInput = z.union([MailboxInput, z.array(MailboxInput).max(50)]).openapi('RecipientsInput', {
  description: 'One mailbox or an array of them.',
});

const mediaType = (name: string) => z.string().regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, `${name} must be type/subtype`);

export const AttachmentInput = z
  .object({
    filename: oneLine('filename', 255).pipe(z.string().min(1)),
    content: z.string().refine(isBase64, 'content must be base64'),
    content_type: mediaType('content_type').optional().openapi({ example: 'application/pdf' }),
    contentType: mediaType('contentType').optional().openapi({ description: 'The same as content_type, as some clients name it.' }),
    content_id: oneLine('content_id', 200)
      .regex(/^<?[\x21-\x3b\x3d\x3f-\x7e]+>?$/, 'content_id must be printable ASCII without spaces or angle brackets inside')
      .optional()
      .openapi({ description: 'Makes it an inline part referenced as cid:…' }),
  })
  .openapi('AttachmentInput');

export const HeadersInput = customHeaders.openapi({
  description:
    'Custom headers. Headers the server sets (From, To, Cc, Bcc, Subject, Date, Message-ID…), Content-*, Resent-*, ' +
    'trace and authentication headers (Received, Authentication-Results, DKIM-Signature, ARC-*) and read-receipt requests are refused.',
});

const Tag = z.union([z.string().min(1).max(256), z.object({ name: z.string().min(1).max(256), value: z.string().max(256) })]);

const bodyFields = {
  subject: oneLine('subject', 998).openapi({ example: 'Welcome!' }),
  html: z.string().optional(),
  html_body: z.string().optional().openapi({ description: 'Alias of html.' }),
  text: z.string().optional().openapi({ description: 'Generated from html when missing.' }),
  text_body: z.string().optional().openapi({ description: 'Alias of text.' }),
  reply_to: z.union([MailboxInput, z.array(MailboxInput).max(1)]).optional(),
  headers: HeadersInput.optional(),
  attachments: z.array(AttachmentInput).max(50).optional(),
  tags: z.array(Tag).max(20).optional().openapi({ description: 'Strings, or { name, value } (stored as "name:value").' }),
  scheduled_at: z.iso
    .datetime({ offset: true })
    .optional()
    .openapi({ description: 'RFC 3339; at most 30 days ahead. Omitted or past: send now.', example: '2026-12-01T09:00:00Z' }),
  track_opens: z.boolean().optional().openapi({ description: 'Add a 1×1 pixel per recipient to the HTML (default: TRACK_OPENS). Needs html.' }),
  track_clicks: z.boolean().optional().openapi({ description: 'Route HTML links through signed redirects (default: TRACK_CLICKS). Needs html.' }),
};

const hasBody = (b: { html?: string; html_body?: string; text?: string; text_body?: string }) =>
  [b.html, b.html_body, b.text, b.text_body].some((v) => v !== undefined);
const bodyRequired = { message: 'Give html (or html_body) and/or text (or text_body).', path: ['html'] };

const EmailFields = z.object({
  from: MailboxInput.optional().openapi({ description: 'Required with an admin key; a mailbox key sends as its own address.' }),
  to: RecipientsInput,
  cc: RecipientsInput.optional(),
  bcc: RecipientsInput.optional().openapi({ description: 'Delivered, but never shown in any delivered header.' }),
  ...bodyFields,
});
export const EmailInput = EmailFields.refine(hasBody, bodyRequired).openapi('EmailInput');
export type EmailInputBody = z.infer<typeof EmailInput>;

export const TemplateBatchInput = EmailFields.omit({ to: true, cc: true, bcc: true })
  .extend({
    recipients: z
      .array(
        z.object({
          to: RecipientsInput,
          variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
        }),
      )
      .min(1)
      .max(100),
  })
  .refine(hasBody, bodyRequired)
  .openapi('TemplateBatchInput', {
    description: 'One message for many recipients: {{name}} in subject, text and html is replaced by each recipient\'s variables (HTML-escaped in html).',
  });
export type TemplateBatchBody = z.infer<typeof TemplateBatchInput>;

const BatchItem = z.record(z.string(), z.unknown()).openapi({ description: 'A message with the fields of EmailInput, validated one by one.' });
export const BatchInput = z
  .union([z.array(BatchItem).min(1).max(100), z.object({ emails: z.array(BatchItem).min(1).max(100) }), TemplateBatchInput])
  .openapi('BatchInput');

/** Documents the form; the route validates it itself (fields may repeat, file fields have any name). */
const formField = (description?: string) => z.union([z.string(), z.array(z.string())]).optional().openapi(description ? { description } : {});
export const MultipartInput = z
  .object({
    from: formField(),
    to: formField('Repeat the field, or separate addresses with commas.'),
    cc: formField(),
    bcc: formField(),
    subject: formField(),
    html: formField(),
    text: formField(),
    reply_to: formField(),
    headers: formField('A JSON object.'),
    tags: formField('Repeat the field, or a JSON array.'),
    scheduled_at: formField('RFC 3339'),
    track_opens: formField('true or false'),
    track_clicks: formField('true or false'),
    attachments: z
      .any()
      .optional()
      .openapi({ type: 'array', items: { type: 'string', format: 'binary' }, description: 'Every file part is an attachment, whatever its field name (at most 10).' }),
  })
  .openapi('MultipartEmailInput');

export const EmailStatusEnum = z.enum(EMAIL_STATUSES).openapi('EmailStatus');

export const AcceptedEmail = z
  .object({
    id: z.string().openapi({ example: 'em_3k4j5h6g7f8d9s0a1q2w3e4r' }),
    message_id: z.string().openapi({ example: '<x1y2z3@example.com>' }),
    status: EmailStatusEnum,
    to: z.string().openapi({ description: 'The To addresses, comma-separated.', example: 'user@example.com' }),
    subject: z.string(),
    scheduled_at: z.string().nullable(),
  })
  .openapi('AcceptedEmail');

export const BatchAccepted = z
  .object({ index: z.number().int(), id: z.string(), message_id: z.string(), to: z.string(), status: EmailStatusEnum })
  .openapi('BatchAcceptedEmail');

export const ItemErrorSchema = z
  .object({ index: z.number().int(), code: z.string(), message: z.string(), param: z.string().optional() })
  .openapi('BatchItemError');

export const RecipientResult = z
  .object({
    email: z.string(),
    name: z.string(),
    type: z.enum(['to', 'cc', 'bcc']),
    status: z.enum(RECIPIENT_STATUSES),
    via: z.string().nullable().openapi({ description: 'internal, cloudflare, resend or smtp' }),
    smtp_code: z.number().int().nullable(),
    dsn_code: z.string().nullable().openapi({ example: '5.1.1' }),
    smtp_response: z.string().nullable(),
    updated_at: z.string(),
    first_opened_at: z.string().nullable(),
    first_clicked_at: z.string().nullable(),
    open_count: z.number().int(),
    click_count: z.number().int(),
  })
  .openapi('EmailRecipient');

export const UnifiedStatusEnum = z.enum(UNIFIED_STATUSES).openapi('UnifiedStatus', {
  description: 'The furthest step reached: scheduled, queued, sent, delivered, opened, clicked, replied; or bounced, failed, suppressed, cancelled.',
});

export const EmailEvent = z
  .object({ type: z.string(), recipient: z.string().nullable(), detail: z.string().nullable(), created_at: z.string() })
  .openapi('EmailEvent');

export const Email = z
  .object({
    id: z.string(),
    message_id: z.string(),
    from: Address,
    to: z.string().openapi({ description: 'The To addresses, comma-separated.' }),
    cc: z.array(z.string()),
    bcc: z.array(z.string()),
    subject: z.string(),
    status: EmailStatusEnum,
    unified_status: UnifiedStatusEnum,
    tags: z.array(z.string()),
    attachments: z.array(
      z.object({
        id: z.string().openapi({ example: 'att_3k4j5h6g7f8d9s0a1q2w3e4r_0' }),
        filename: z.string(),
        content_type: z.string(),
        size: z.number().int(),
        contentType: z.string().openapi({ description: 'content_type, under the name the transactional send API (seed 002) uses.' }),
        sizeBytes: z.number().int().openapi({ description: 'size, under the name the transactional send API (seed 002) uses.' }),
      }),
    ),
    attempts: z.number().int(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    scheduled_at: z.string().nullable(),
    sent_at: z.string().nullable(),
    delivered_at: z.string().nullable(),
    first_opened_at: z.string().nullable(),
    first_clicked_at: z.string().nullable(),
    first_replied_at: z.string().nullable(),
    read_at: z.string().nullable().openapi({ description: 'When one of our own mailboxes that received it marked it seen.' }),
    open_count: z.number().int(),
    click_count: z.number().int(),
    track_opens: z.boolean(),
    track_clicks: z.boolean(),
    recipients: z.array(RecipientResult),
    events: z.array(EmailEvent).optional().openapi({ description: 'The timeline (single-email answers only).' }),
  })
  .openapi('Email');

export const Suppression = z
  .object({
    email: z.string(),
    domain: z.string(),
    reason: z.enum(['hard_bounce']),
    smtp_code: z.number().int().nullable(),
    dsn_code: z.string().nullable(),
    smtp_response: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi('Suppression');

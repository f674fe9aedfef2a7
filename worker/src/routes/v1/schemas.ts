/**
 * zod schemas of /api/v1: they validate requests and, through @hono/zod-openapi, are the OpenAPI
 * document, so the spec cannot drift from the code.
 */
import { z } from '@hono/zod-openapi';
import { ERROR_STATUS } from '../../lib/errors';

export const ERROR_CODES = Object.keys(ERROR_STATUS) as [keyof typeof ERROR_STATUS, ...(keyof typeof ERROR_STATUS)[]];

export const Meta = z.object({ request_id: z.string().openapi({ example: 'req_3f9a0c1d2e4b5a6c7d8e' }) }).openapi('Meta');

export const ListMeta = Meta.extend({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_cursor: z.string().nullable(),
}).openapi('ListMeta');

export const ErrorEnvelope = z
  .object({
    ok: z.literal(false),
    success: z.literal(false).openapi({ description: 'Same as ok, for clients that read `success`.' }),
    error: z.object({
      code: z.enum(ERROR_CODES).openapi({ description: 'Stable snake_case code.' }),
      message: z.string(),
      param: z.string().optional(),
      doc_url: z.string().openapi({ description: "Where this code is explained: its row in the docs page's error table.", example: 'https://mail.example.org/api/v1/docs#error-validation_failed' }),
      retryable: z.boolean(),
      errors: z
        .array(z.object({ index: z.number().int().optional(), code: z.enum(ERROR_CODES), message: z.string(), param: z.string().optional() }))
        .optional()
        .openapi({ description: 'Every problem, when there are several (a strict batch: each invalid item by index).' }),
    }),
    meta: Meta,
  })
  .openapi('Error');

export const envelope = <T extends z.ZodType>(data: T) => z.object({ ok: z.literal(true), success: z.literal(true), data, meta: Meta });
export const listEnvelope = <T extends z.ZodType>(item: T) =>
  z.object({ ok: z.literal(true), success: z.literal(true), data: z.array(item), meta: ListMeta });

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });

/** The error answers every authenticated route can give. */
export const commonErrors = {
  400: errorResponse('Invalid request (validation_failed, invalid_folder)'),
  401: errorResponse('Missing, invalid, revoked or expired key (missing_token, invalid_token, token_expired)'),
  403: errorResponse('The key may not do this (access_denied)'),
  404: errorResponse('Not found (mailbox_not_found, message_not_found, key_not_found)'),
  429: errorResponse('Rate limited (rate_limited); see Retry-After'),
} as const;

export const ok = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
});

export const Address = z.object({ name: z.string(), email: z.string() }).openapi('EmailAddress');

export const Flag = z.enum(['\\Seen', '\\Flagged']).openapi('Flag');
export const FolderName = z.enum(['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk']).openapi('FolderName');

export const Folder = z
  .object({ name: FolderName, messages: z.number().int(), unread: z.number().int(), size: z.number().int() })
  .openapi('Folder');

export const MessageSummary = z
  .object({
    uid: z.string().openapi({ example: 'msg_k2j4h5g6f7d8s9a0q1w2' }),
    message_id: z.string().nullable(),
    folder: FolderName,
    from: Address.nullable(),
    to: z.array(Address),
    subject: z.string().nullable(),
    date: z.string().nullable().openapi({ description: 'RFC 3339 UTC; the Date header, else the time received.' }),
    size: z.number().int(),
    flags: z.array(Flag),
    has_attachments: z.boolean(),
    snippet: z.string(),
    verification_code: z.string().nullable().openapi({ description: 'One-time code found in the message on arrival.', example: '482913' }),
    verification_link: z
      .string()
      .nullable()
      .openapi({ description: 'Primary sign-in / confirmation link found on arrival (never unsubscribe or legal links).', example: 'https://app.example/verify?t=…' }),
    verification_confidence: z.number().min(0).max(1).nullable().openapi({ description: '0–1 for the strongest finding; null when nothing was found.' }),
  })
  .openapi('MessageSummary');

export const Attachment = z
  .object({
    index: z.number().int(),
    filename: z.string().nullable(),
    content_type: z.string(),
    size: z.number().int(),
    content_id: z.string().nullable(),
    disposition: z.string().nullable(),
  })
  .openapi('Attachment');

export const Message = MessageSummary.extend({
  cc: z.array(Address),
  reply_to: z.array(Address),
  in_reply_to: z.string().nullable(),
  references: z.string().nullable(),
  headers: z.array(z.object({ name: z.string(), value: z.string() })),
  body: z.object({ text: z.string().nullable(), html: z.string().nullable() }),
  attachments: z.array(Attachment),
  received_at: z.string(),
}).openapi('Message');

export const SearchHit = MessageSummary.extend({ match: z.string().openapi({ description: 'Text around the match, the match in «».' }) }).openapi(
  'SearchHit',
);

export const ApiKey = z
  .object({
    id: z.string().openapi({ example: 'key_a1b2c3d4e5f6g7h8i9j0' }),
    prefix: z.string().openapi({ example: 'emk_Ab3dE6gH' }),
    type: z.enum(['admin', 'mailbox']),
    mailbox: z.string().nullable(),
    name: z.string(),
    active: z.boolean(),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
  })
  .openapi('ApiKey');

export const CreatedApiKey = ApiKey.extend({ key: z.string().openapi({ description: 'The secret. Shown only in this response.' }) }).openapi(
  'CreatedApiKey',
);

const Counters = {
  inbound_accepted: z.number().int(),
  inbound_rejected: z.number().int(),
  outbound_sent: z.number().int(),
  outbound_failed: z.number().int(),
};
const DomainCount = z.object({ domain: z.string(), count: z.number().int() });

export const DeliveryStats = z
  .object({
    start_date: z.string(),
    end_date: z.string(),
    group_by: z.enum(['day', 'hour', 'domain']).nullable(),
    totals: z.object(Counters),
    groups: z.array(z.object({ key: z.string(), ...Counters })),
    top_sender_domains: z.array(DomainCount),
    top_recipient_domains: z.array(DomainCount),
  })
  .openapi('DeliveryStats');

export const DomainStats = z
  .object({ domain: z.string(), start_date: z.string(), end_date: z.string(), ...Counters, top_sender_domains: z.array(DomainCount), top_recipient_domains: z.array(DomainCount) })
  .openapi('DomainStats');

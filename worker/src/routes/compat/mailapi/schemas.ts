/**
 * The Mail API's request shapes, validated at the door. Addresses, custom headers and attachments
 * reuse the /api/v1 field schemas, so both doors accept and refuse exactly the same values.
 */
import { z } from 'zod';
import { hasLineBreak } from '../../../lib/address';
import type { EmailDraft } from '../../../services/sending';
import { toAttachments, toMailbox, toMailboxes } from '../../v1/email-input';
import { AttachmentInput, HeadersInput, MailboxInput, RecipientsInput } from '../../v1/email-schemas';

export const SendBody = z.object({
  from: MailboxInput,
  to: RecipientsInput,
  cc: RecipientsInput.optional(),
  bcc: RecipientsInput.optional(),
  subject: z
    .string()
    .max(998)
    .refine((v) => !hasLineBreak(v), 'subject must not contain line breaks')
    .default(''),
  body: z
    .object({ text: z.string().optional(), html: z.string().optional() })
    .refine((b) => b.text !== undefined || b.html !== undefined, 'body needs text and/or html'),
  reply_to: MailboxInput.optional(),
  headers: HeadersInput.optional(),
  attachments: z.array(AttachmentInput).max(50).optional(),
});

/** The guide's send request as the sending service's draft. */
export function toDraft(body: z.infer<typeof SendBody>): EmailDraft {
  return {
    from: toMailbox(body.from),
    to: toMailboxes(body.to),
    cc: toMailboxes(body.cc),
    bcc: toMailboxes(body.bcc),
    replyTo: body.reply_to === undefined ? undefined : toMailbox(body.reply_to),
    subject: body.subject,
    text: body.body.text,
    html: body.body.html,
    headers: body.headers ?? {},
    attachments: toAttachments(body.attachments),
    tags: [],
  };
}

const limit = (max: number) => z.coerce.number().int().min(1).max(max).default(50);
const offset = z.coerce.number().int().min(0).max(1_000_000_000).default(0);

export const MessageIdParam = z.object({ message_id: z.string().min(1).max(100) });
export const PageQuery = z.object({ limit: limit(200), offset });
export const MailboxParam = z.object({ email: z.string().trim().min(3).max(320) });
export const MessageParam = MailboxParam.extend({ uid: z.coerce.number().int().positive() });
export const AttachmentParam = MessageParam.extend({ index: z.coerce.number().int().min(0) });
export const FolderQuery = z.object({ folder: z.string().max(100).default('INBOX') });
export const MessagesQuery = FolderQuery.extend({ limit: limit(200), offset });
export const SearchQuery = FolderQuery.extend({
  // Control characters match nothing a person types, and NUL breaks the full-text query outright.
  q: z
    .string()
    .trim()
    .min(2)
    .max(200)
    .refine((q) => !/[\x00-\x1f\x7f]/.test(q), 'q must not contain control characters'),
  limit: limit(200),
});

const dates = { start_date: z.string().max(40).optional(), end_date: z.string().max(40).optional() };
export const DeliveryStatsQuery = z.object({
  ...dates,
  sender: z.string().trim().toLowerCase().min(1).max(320).optional(),
  group_by: z.enum(['day', 'hour', 'domain']).default('day'),
});
export const DomainParam = z.object({ domain: z.string().trim().toLowerCase().min(1).max(253) });
export const DomainStatsQuery = z.object(dates);

/**
 * ByteSMTP's request fields, validated at the edge, and the one translation of a send request into
 * the sending service's EmailDraft. Nothing here decides who may send or what is sendable.
 */
import { z } from 'zod';
import { AI_PROVIDERS } from '../../../config';
import { hasLineBreak, parseMailbox, splitMailboxList } from '../../../lib/address';
import { looksLikeHtml } from '../../../lib/looks-like-html';
import { AI_FEATURES } from '../../../services/ai/prompts';
import type { EmailDraft, Mailbox } from '../../../services/sending/types';

const ADDRESS = 'must be an address: "a@example.com" or "Name <a@example.com>"';

const mailbox = z.string().refine((v) => parseMailbox(v) !== null, ADDRESS);
/** `a@b.com, Name <c@d.com>`: ByteSMTP's `cc` is comma-separated; `to` takes the same. */
const mailboxList = z
  .string()
  .refine((v) => splitMailboxList(v).length > 0, 'must name at least one address')
  .refine((v) => splitMailboxList(v).every((part) => parseMailbox(part) !== null), `each address ${ADDRESS}`);

export const SendBody = z.object({
  from: mailbox,
  to: mailboxList,
  subject: z.string().max(998).refine((v) => !hasLineBreak(v), 'subject must not contain line breaks'),
  body: z.string(),
  // Optional: clients that fill every field send "" (or null) for no Cc.
  cc: z.preprocess((v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v), mailboxList.optional()),
});
export type SendBodyInput = z.infer<typeof SendBody>;

const mailboxes = (list: string | undefined): Mailbox[] => (list === undefined ? [] : splitMailboxList(list).map((part) => parseMailbox(part)!));

/** ByteSMTP has one `body` for "plain text or HTML": markup goes as HTML (the builder derives the text part), anything else as text. */
export function toDraft(body: SendBodyInput): EmailDraft {
  const html = looksLikeHtml(body.body);
  return {
    from: parseMailbox(body.from)!,
    to: mailboxes(body.to),
    cc: mailboxes(body.cc),
    bcc: [],
    subject: body.subject,
    ...(html ? { html: body.body } : { text: body.body }),
    headers: {},
    attachments: [],
    tags: [],
  };
}

// `?folder=&page=` as some clients send them: empty means the default.
const emptyAsMissing = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const InboxQuery = z.object({
  folder: z.preprocess(emptyAsMissing, z.string().default('INBOX')),
  page: z.preprocess(emptyAsMissing, z.coerce.number().int().min(1).max(1_000_000).default(1)),
  /** Admin keys and sessions only: which mailbox (see middleware.ts). */
  mailbox: z.string().optional(),
});

export const UidParam = z.object({
  uid: z
    .string()
    .regex(/^[1-9]\d{0,14}$/, 'uid must be a positive integer')
    .transform(Number),
});

export const GenerateBody = z.object({
  feature: z.enum(AI_FEATURES),
  prompt: z.string(),
  domain_id: z.number().int().min(1).optional(),
  provider: z.enum(AI_PROVIDERS).optional(),
});

/**
 * Resend's request shapes in, the sending service's EmailDraft out. Resend's own names for what is
 * wrong (`missing_required_field`, `invalid_from_address`, `invalid_attachment`, `validation_error`)
 * come from here; the rules (who may send, limits, schedule horizon) stay in the service.
 */
import { lookup as typeOfExtension } from 'mrmime';
import { z } from 'zod';
import { hasLineBreak, parseMailbox } from '../../../lib/address';
import { bytesToBase64 } from '../../../lib/bytes';
import { AppError, type ErrorCode } from '../../../lib/errors';
import { parseWhen } from '../../../lib/when';
import { customHeaderProblem, customHeaderValueProblem, isBase64 } from '../../../services/mime';
import type { DraftAttachment, EmailDraft, Mailbox, RemoteAttachment } from '../../../services/sending';

const ADDRESS_FORMAT = 'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
const CONTENT_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;
const MAX_TO = 50;

const Addresses = z.union([z.string(), z.array(z.string())]);
const Byte = z.number().int().min(0).max(255);
/** Base64, the bytes as a number array (Python's `list(f.read())`), or a Node Buffer as JSON.stringify writes it. */
const Content = z.union([z.string(), z.array(Byte), z.object({ type: z.literal('Buffer'), data: z.array(Byte) })]);
const Attachment = z.object({
  content: Content.optional(),
  path: z.string().optional(),
  filename: z.string().optional(),
  content_type: z.string().optional(),
  content_id: z.string().optional(),
});

const EmailBody = z.object({
  from: z.string(),
  to: Addresses,
  subject: z.string(),
  cc: Addresses.optional(),
  bcc: Addresses.optional(),
  reply_to: Addresses.optional(),
  html: z.string().optional(),
  text: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  attachments: z.array(Attachment).max(100).optional(),
  tags: z.array(z.object({ name: z.string(), value: z.string() })).max(50).optional(),
  scheduled_at: z.string().optional(),
  template: z.unknown().optional(),
  // Topics scope broadcasts to contacts' subscriptions; without contacts here, every recipient gets it.
  topic_id: z.string().optional(),
});
type EmailBody = z.infer<typeof EmailBody>;

const REQUIRED = new Set(['from', 'to', 'subject']);

/** A Resend-named refusal of the request (or of one batch item). */
export const invalid = (code: ErrorCode, message: string, param?: string) => new AppError(code, message, param);

/** One email of the request: the draft and, apart, the attachments to fetch by URL (in draft order). */
export interface DoorEmail {
  draft: EmailDraft;
  /** Indexes into draft.attachments still to be replaced by the fetched file. */
  remote: { index: number; ref: RemoteAttachment }[];
}

/** Validates one Resend email object; `now` anchors natural-language `scheduled_at`. */
export function readEmail(raw: unknown, now: number): DoorEmail {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid('validation_failed', 'The email must be a JSON object.');
  // Clients in languages with null (Python's None) send it for "not given".
  const given = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
  const parsed = EmailBody.safeParse(given);
  if (!parsed.success) throw fromIssue(parsed.error.issues[0]!, given);
  const body = parsed.data;
  if (body.template !== undefined) {
    throw invalid('validation_failed', 'Templates are not available on this server; send `html` and/or `text` instead.', 'template');
  }
  const from = parseMailbox(body.from);
  if (!from) throw invalid('invalid_from_address', `Invalid \`from\` field. ${ADDRESS_FORMAT}`, 'from');
  const to = mailboxes(body.to, 'to');
  if (to.length === 0) throw invalid('missing_required_field', 'Missing `to` field.', 'to');
  if (to.length > MAX_TO) throw invalid('validation_failed', `Invalid \`to\` field. At most ${MAX_TO} recipients.`, 'to');
  if (hasLineBreak(body.subject) || body.subject.length > 998) {
    throw invalid('validation_failed', 'Invalid `subject` field. It must be one line of at most 998 characters.', 'subject');
  }
  if (body.html === undefined && body.text === undefined) throw invalid('missing_required_field', 'Missing `html` or `text` field.', 'html');
  const { attachments, remote } = readAttachments(body.attachments ?? []);
  const draft: EmailDraft = {
    from,
    to,
    cc: mailboxes(body.cc, 'cc'),
    bcc: mailboxes(body.bcc, 'bcc'),
    ...(body.reply_to === undefined ? {} : { replyTo: mailboxes(body.reply_to, 'reply_to') }),
    subject: body.subject,
    ...(body.html === undefined ? {} : { html: body.html }),
    ...(body.text === undefined ? {} : { text: body.text }),
    headers: readHeaders(body.headers ?? {}),
    attachments,
    tags: readTags(body.tags ?? []),
    ...(body.scheduled_at === undefined ? {} : { scheduledAt: readWhen(body.scheduled_at, now) }),
  };
  return { draft, remote };
}

/** Resend's list parameters: `limit` 1–100 (default 20) and at most one of the `after`/`before` cursors. */
export function readPage(query: Record<string, string | undefined>) {
  const { limit, after, before } = query;
  const n = limit === undefined ? 20 : Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw invalid('validation_failed', 'Invalid `limit` parameter. It must be a number between 1 and 100.', 'limit');
  if (after !== undefined && before !== undefined) throw invalid('validation_failed', 'Use either `after` or `before`, not both.', 'after');
  return { limit: n, after, before };
}

/** A send time in ISO 8601 or natural language, as `scheduled_at` takes it (also PATCH /emails/{id}). */
export function readWhen(text: string, now: number): number {
  const at = parseWhen(text, now);
  if (at === null) {
    throw invalid(
      'validation_failed',
      'Invalid `scheduled_at` field. Use ISO 8601 (e.g. `2026-08-05T11:52:01.858Z`) or natural language such as `in 1 min`, `tomorrow at 9am` or `Friday at 3pm ET`.',
      'scheduled_at',
    );
  }
  return at;
}

function fromIssue(issue: z.core.$ZodIssue, given: Record<string, unknown>): AppError {
  const field = String(issue.path[0] ?? '');
  if (REQUIRED.has(field) && given[field] === undefined) return invalid('missing_required_field', `Missing \`${field}\` field.`, field);
  const where = issue.path.join('.');
  if (field === 'from') return invalid('invalid_from_address', `Invalid \`from\` field. ${ADDRESS_FORMAT}`, 'from');
  if (field === 'attachments') return invalid('invalid_attachment', `Invalid \`${where}\` field: ${issue.message}.`, where);
  return invalid('validation_failed', `Invalid \`${where || 'body'}\` field: ${issue.message}.`, where || undefined);
}

function mailboxes(value: string | string[] | undefined, field: string): Mailbox[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((text) => {
    const m = parseMailbox(text);
    if (!m) throw invalid('validation_failed', `Invalid \`${field}\` field. ${ADDRESS_FORMAT}`, field);
    return m;
  });
}

function readHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    const problem = customHeaderProblem(name) ?? customHeaderValueProblem(value);
    if (problem) throw invalid('validation_failed', `Invalid \`headers\` field: ${problem}.`, `headers.${name}`);
  }
  return headers;
}

/** Tags as the service stores them, `name:value`. */
function readTags(tags: { name: string; value: string }[]): string[] {
  return tags.map(({ name, value }, i) => {
    if (!TAG_PART.test(name) || !TAG_PART.test(value)) {
      throw invalid(
        'validation_failed',
        'Invalid `tags` field. Tag names and values may only contain ASCII letters, numbers, underscores and dashes, and at most 256 of them.',
        `tags.${i}`,
      );
    }
    return `${name}:${value}`;
  });
}

function readAttachments(list: z.infer<typeof Attachment>[]): { attachments: DraftAttachment[]; remote: DoorEmail['remote'] } {
  const attachments: DraftAttachment[] = [];
  const remote: DoorEmail['remote'] = [];
  list.forEach((a, i) => {
    const param = `attachments.${i}`;
    if ((a.content === undefined) === (a.path === undefined)) throw invalid('invalid_attachment', 'Attachment must have either a `content` or `path`.', param);
    if (a.content_type !== undefined && !CONTENT_TYPE.test(a.content_type)) {
      throw invalid('invalid_attachment', 'Attachment `content_type` must be a MIME type such as `application/pdf`.', `${param}.content_type`);
    }
    if (a.filename !== undefined && (a.filename === '' || hasLineBreak(a.filename) || a.filename.length > 255)) {
      throw invalid('invalid_attachment', 'Attachment `filename` must be one line of 1 to 255 characters.', `${param}.filename`);
    }
    const cid = a.content_id?.replace(/^<|>$/g, '');
    if (cid !== undefined && !/^[\x21-\x3b\x3d\x3f-\x7e]{1,200}$/.test(cid)) {
      throw invalid('invalid_attachment', 'Attachment `content_id` must be printable ASCII without spaces or angle brackets.', `${param}.content_id`);
    }
    if (a.path !== undefined) {
      remote.push({ index: i, ref: { url: a.path, filename: a.filename, contentType: a.content_type, contentId: cid } });
      // A placeholder until the file is fetched.
      attachments.push({ filename: a.filename ?? '', contentType: a.content_type ?? '', contentBase64: '' });
      return;
    }
    if (a.filename === undefined) throw invalid('invalid_attachment', 'Attachment with `content` must have a `filename`.', `${param}.filename`);
    attachments.push({
      filename: a.filename,
      contentType: a.content_type ?? typeOfExtension(a.filename) ?? 'application/octet-stream',
      contentBase64: contentBase64(a.content!, param),
      ...(cid ? { contentId: `<${cid}>`, inline: true } : {}),
    });
  });
  return { attachments, remote };
}

function contentBase64(content: z.infer<typeof Content>, param: string): string {
  if (typeof content === 'string') {
    if (!isBase64(content)) throw invalid('invalid_attachment', 'Attachment `content` must be base64, or the bytes as an array of numbers.', `${param}.content`);
    return content;
  }
  return bytesToBase64(new Uint8Array(Array.isArray(content) ? content : content.data));
}

/** From validated request shapes to the sending service's EmailDraft; multipart forms to the JSON shape. */
import { parseMailbox, splitMailboxList } from '../../lib/address';
import { bytesToBase64 } from '../../lib/bytes';
import { AppError } from '../../lib/errors';
import type { DraftAttachment, EmailDraft, Mailbox } from '../../services/sending/types';
import type { EmailInputBody, TemplateBatchBody } from './email-schemas';

type MailboxIn = string | { email: string; name?: string };

export function toMailbox(m: MailboxIn): Mailbox {
  if (typeof m !== 'string') return { address: m.email.trim().toLowerCase(), ...(m.name ? { name: m.name } : {}) };
  return parseMailbox(m)!;
}

export const toMailboxes = (v: MailboxIn | MailboxIn[] | undefined): Mailbox[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]).map(toMailbox);

/** Validated attachments as the draft's: a content_id makes an inline part. */
export function toAttachments(list: EmailInputBody['attachments']): DraftAttachment[] {
  return (list ?? []).map((a) => ({
    filename: a.filename,
    contentType: a.content_type ?? a.contentType ?? 'application/octet-stream',
    contentBase64: a.content,
    ...(a.content_id ? { contentId: `<${a.content_id.replace(/^<|>$/g, '')}>`, inline: true } : {}),
  }));
}

/** Everything but the recipients, shared by single sends and templates. */
export function toDraftBase(body: Omit<EmailInputBody, 'to' | 'cc' | 'bcc'>): Omit<EmailDraft, 'to' | 'cc' | 'bcc'> {
  const replyTo = toMailboxes(body.reply_to)[0];
  return {
    from: body.from === undefined ? undefined : toMailbox(body.from),
    replyTo,
    subject: body.subject,
    html: body.html ?? body.html_body,
    text: body.text ?? body.text_body,
    headers: body.headers ?? {},
    attachments: toAttachments(body.attachments),
    tags: (body.tags ?? []).map((t) => (typeof t === 'string' ? t : `${t.name}:${t.value}`)),
    scheduledAt: body.scheduled_at === undefined ? undefined : Date.parse(body.scheduled_at),
    ...(body.track_opens !== undefined || body.track_clicks !== undefined ? { track: { opens: body.track_opens, clicks: body.track_clicks } } : {}),
  };
}

export function toDraft(body: EmailInputBody): EmailDraft {
  return { ...toDraftBase(body), to: toMailboxes(body.to), cc: toMailboxes(body.cc), bcc: toMailboxes(body.bcc) };
}

export function templateParts(body: TemplateBatchBody) {
  const { recipients, ...base } = body;
  return {
    base: toDraftBase(base),
    recipients: recipients.map((r) => ({
      to: toMailboxes(r.to),
      variables: Object.fromEntries(Object.entries(r.variables ?? {}).map(([k, v]) => [k, String(v)])),
    })),
  };
}

const LIST_FIELDS = new Set(['to', 'cc', 'bcc', 'to[]', 'cc[]', 'bcc[]']);
export const MAX_MULTIPART_FILES = 10;

/**
 * A multipart form as the JSON door's shape: address fields may repeat or hold comma-separated
 * lists, `headers` and `tags` may be JSON, and every file part is an attachment whatever its name.
 */
export async function multipartToJson(form: Record<string, string | File | (string | File)[]>, maxFileBytes: number): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const attachments: { filename: string; content: string; content_type: string }[] = [];
  for (const [name, raw] of Object.entries(form)) {
    for (const value of Array.isArray(raw) ? raw : [raw]) {
      if (typeof value !== 'string') {
        if (attachments.length >= MAX_MULTIPART_FILES) throw new AppError('validation_failed', `At most ${MAX_MULTIPART_FILES} files per message.`, 'attachments');
        if (value.size > maxFileBytes) throw new AppError('payload_too_large', `${value.name} is larger than ${maxFileBytes} bytes.`, 'attachments');
        attachments.push({
          filename: value.name || 'attachment',
          content: bytesToBase64(new Uint8Array(await value.arrayBuffer())),
          content_type: value.type || 'application/octet-stream',
        });
        continue;
      }
      const field = name.replace(/\[\]$/, '');
      if (LIST_FIELDS.has(name)) out[field] = [...((out[field] as string[]) ?? []), ...splitMailboxList(value)];
      else if (field === 'headers') out.headers = parseJson(value, 'headers');
      else if (field === 'track_opens' || field === 'track_clicks') out[field] = /^(1|true|yes|on)$/i.test(value.trim()) ? true : /^(0|false|no|off)$/i.test(value.trim()) ? false : value;
      else if (field === 'tags') out.tags = [...((out.tags as unknown[]) ?? []), ...(value.trim().startsWith('[') ? (parseJson(value, 'tags') as unknown[]) : [value])];
      else out[field] = value;
    }
  }
  if (attachments.length) out.attachments = attachments;
  return out;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError('validation_failed', `${field} must be JSON.`, field);
  }
}

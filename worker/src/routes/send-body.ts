/**
 * The send_mail request body, as existing clients send it (`from_name`, `to_name`, `to_mail`,
 * `subject`, `is_html`, `content`), extended compatibly. Anything that could inject a header is refused.
 */
import { z } from 'zod';
import { customHeaders } from './custom-headers';
import { isBase64 } from '../services/mime';
import type { ComposeRequest } from '../services/send';

const noLineBreaks = (field: string) => (v: string) => !/[\r\n\0]/.test(v) || `${field} must not contain line breaks`;
const singleLine = (field: string, max: number) =>
  z.string().max(max).refine((v) => noLineBreaks(field)(v) === true, `${field} must not contain line breaks`);
const email = z.string().trim().toLowerCase().pipe(z.email());

export const sendMailBody = z
  .object({
    from_name: singleLine('from_name', 200).default(''),
    to_name: singleLine('to_name', 200).default(''),
    to_mail: z.union([email, z.array(email).min(1)]),
    subject: singleLine('subject', 998).default(''),
    is_html: z.boolean().default(false),
    content: z.string().optional(),
    text: z.string().optional(),
    html: z.string().optional(),
    cc: z.array(email).default([]),
    bcc: z.array(email).default([]),
    reply_to: email.optional(),
    headers: customHeaders.default({}),
    attachments: z
      .array(
        z.object({
          filename: singleLine('filename', 255).pipe(z.string().min(1)),
          content: z.string().refine(isBase64, 'content must be base64'),
          content_type: z
            .string()
            .regex(/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i, 'content_type must be type/subtype')
            .default('application/octet-stream'),
          content_id: z
            .string()
            .max(200)
            .regex(/^<?[\x21-\x3b\x3d\x3f-\x7e]+>?$/, 'content_id must be printable ASCII without spaces or angle brackets inside')
            .optional(),
        }),
      )
      .max(50)
      .default([]),
    in_reply_to: z.coerce.number().int().positive().optional(),
  })
  .refine((b) => b.content !== undefined || b.text !== undefined || b.html !== undefined, {
    message: 'Give the body as content (with is_html), or text and/or html.',
    path: ['content'],
  });

export type SendMailBody = z.infer<typeof sendMailBody>;

export function toComposeRequest(body: SendMailBody): ComposeRequest {
  const to = Array.isArray(body.to_mail)
    ? body.to_mail.map((address) => ({ address }))
    : [{ address: body.to_mail, name: body.to_name || undefined }];
  // `content` + `is_html` is the original shape; `text`/`html` win when given.
  const text = body.text ?? (body.content !== undefined && !body.is_html ? body.content : undefined);
  const html = body.html ?? (body.content !== undefined && body.is_html ? body.content : undefined);
  return {
    fromName: body.from_name,
    to,
    cc: body.cc.map((address) => ({ address })),
    bcc: body.bcc,
    replyTo: body.reply_to ? { address: body.reply_to } : undefined,
    subject: body.subject,
    text,
    html,
    headers: body.headers,
    attachments: body.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.content_type,
      contentBase64: a.content,
      contentId: a.content_id ? `<${a.content_id.replace(/^<|>$/g, '')}>` : undefined,
      inline: a.content_id !== undefined,
    })),
    inReplyToId: body.in_reply_to,
  };
}

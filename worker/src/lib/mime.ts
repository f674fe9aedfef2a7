/**
 * Building outgoing RFC 5322 messages with mimetext, plus the header hygiene mimetext leaves to us:
 * wrapped base64 bodies, RFC 2047 for non-ASCII attachment names and custom header values.
 */
import { createMimeMessage, Mailbox } from 'mimetext/browser';
import { bytesToBase64 } from './bytes';

export interface MimeMailbox {
  name?: string;
  address: string;
}

export interface MimeAttachment {
  filename: string;
  contentType: string;
  /** Base64, as received from the API (whitespace allowed). */
  contentBase64: string;
  contentId?: string;
  inline?: boolean;
}

export interface MimeInput {
  from: MimeMailbox;
  to: MimeMailbox[];
  cc: MimeMailbox[];
  replyTo?: MimeMailbox;
  subject: string;
  text?: string;
  html?: string;
  messageId: string;
  date: Date;
  inReplyTo?: string;
  references?: string;
  /** Extra headers, already validated (names are tokens, values have no line breaks). */
  headers: Record<string, string>;
  attachments: MimeAttachment[];
}

/** Headers the builder owns; callers may not set them through `headers`. */
export const RESERVED_HEADERS = new Set([
  'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
  'mime-version', 'content-type', 'content-transfer-encoding', 'content-disposition', 'sender',
  'return-path', 'received', 'dkim-signature', 'arc-seal', 'arc-message-signature', 'arc-authentication-results',
]);

const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);

export function base64Utf8(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Base64 in 76-character lines, as RFC 2045 requires. */
export function wrap76(b64: string): string {
  return b64.replace(/\s+/g, '').replace(/.{76}(?=.)/g, '$&\r\n');
}

/** An RFC 2047 encoded word when the text is not plain ASCII. */
export function encodeWord(text: string): string {
  return ascii(text) ? text : `=?utf-8?B?${base64Utf8(text)}?=`;
}

export function buildMime(input: MimeInput): string {
  const msg = createMimeMessage();
  msg.setSender({ name: input.from.name ?? '', addr: input.from.address });
  if (input.to.length) msg.setTo(input.to.map((m) => ({ name: m.name ?? '', addr: m.address })));
  if (input.cc.length) msg.setCc(input.cc.map((m) => ({ name: m.name ?? '', addr: m.address })));
  // Bcc recipients exist only in the envelope; a Bcc header would disclose them.
  if (input.replyTo) msg.setHeader('Reply-To', new Mailbox({ name: input.replyTo.name ?? '', addr: input.replyTo.address }));
  msg.setSubject(input.subject);
  msg.setHeader('Message-ID', input.messageId);
  msg.setHeader('Date', input.date.toUTCString().replace('GMT', '+0000'));
  if (input.inReplyTo) msg.setHeader('In-Reply-To', input.inReplyTo);
  if (input.references) msg.setHeader('References', input.references);
  for (const [name, value] of Object.entries(input.headers)) msg.setHeader(name, encodeWord(value));

  // mimetext needs at least one body part; an empty text part is what mail clients send.
  const text = input.text === undefined && input.html === undefined ? '' : input.text;
  if (text !== undefined) msg.addMessage({ contentType: 'text/plain', encoding: 'base64', data: wrap76(base64Utf8(text)) });
  if (input.html !== undefined) msg.addMessage({ contentType: 'text/html', encoding: 'base64', data: wrap76(base64Utf8(input.html)) });
  for (const a of input.attachments) {
    msg.addAttachment({
      filename: encodeWord(a.filename.replace(/["\\\r\n]/g, '_')),
      contentType: a.contentType,
      data: wrap76(a.contentBase64),
      inline: a.inline,
      headers: a.contentId ? { 'Content-ID': a.contentId } : {},
    });
  }
  return msg.asRaw();
}

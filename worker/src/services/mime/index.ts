/**
 * The one MIME builder: every door that composes mail (send_mail, external send_mail, v1 drafts and
 * sends) turns its fields into a message here. Raw messages (SMTP proxy, send_raw) never come here.
 *
 * What it produces: ASCII stays ASCII in headers and only words that need it become RFC 2047
 * encoded-words (≤ 75 characters); header lines are folded at 78; Date, Message-ID and MIME-Version
 * are always present; text is 7bit when plain ASCII, else quoted-printable; attachments are base64
 * in 76-column lines; no line exceeds 998 octets. HTML is sent as a full document with a text/plain
 * alternative (derived from the HTML when none is given), in multipart/related with inline images
 * and multipart/mixed with attachments.
 */
import type { Bytes } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';
import { AppError } from '../../lib/errors';
import { foldHeader, type HeaderToken } from './fold';
import { formatDate, mailboxList, messageIds, unstructured, type MimeMailbox } from './header-values';
import { htmlDocument, textFromHtml } from './html';
import { attachmentPart, multipart, textPart, type RenderedPart } from './structure';

export type { MimeMailbox } from './header-values';
export { customHeaderProblem, customHeaderValueProblem } from './header-policy';
export { isBase64 } from './transfer-encoding';

export interface MimeAttachment {
  filename: string;
  /** `type/subtype`, e.g. `application/pdf`. */
  contentType: string;
  /** Base64, as received from an API caller (whitespace allowed). */
  contentBase64: string;
  /** `<id>` for an image the HTML references as `cid:id`. */
  contentId?: string;
  /** Shown in the body (with `contentId`) rather than listed as an attachment. */
  inline?: boolean;
}

export interface MessageInput {
  from: MimeMailbox;
  to: MimeMailbox[];
  cc?: MimeMailbox[];
  /** One address, or several (Reply-To is an address list). */
  replyTo?: MimeMailbox | MimeMailbox[];
  subject: string;
  /** Plain text body. Without it, an HTML body's text alternative is derived from the HTML. */
  text?: string;
  /** HTML body, a fragment or a whole document. */
  html?: string;
  /** `<id@domain>`; by default a random id on the sender's domain. */
  messageId?: string;
  date: Date;
  inReplyTo?: string;
  references?: string;
  /**
   * Extra headers, validated by the caller with `customHeaderProblem` (names) and
   * `customHeaderValueProblem` (values). Non-ASCII values are encoded.
   */
  headers?: Record<string, string>;
  attachments?: MimeAttachment[];
}

/** Kept for callers written against the previous builder's name. */
export type MimeInput = MessageInput;

/** A fresh Message-ID on the domain of `address`. */
export function newMessageId(address: string): string {
  return `<${randomToken(24)}@${address.slice(address.lastIndexOf('@') + 1)}>`;
}

/**
 * Builds a complete RFC 5322 message from API fields. The result is 7-bit ASCII with CRLF line
 * breaks, ready for any provider. Throws `AppError('validation_failed')` for an attachment whose
 * content is not base64; other malformed input (an address with spaces, a bad Message-ID) is the
 * caller's bug and throws a plain Error.
 */
export function buildMessage(input: MessageInput): Bytes {
  const messageId = input.messageId ?? newMessageId(input.from.address);
  if (!/^<[^<>\s]+@[^<>\s]+>$/.test(messageId)) throw new Error(`not a Message-ID: ${JSON.stringify(messageId)}`);
  const cc = input.cc ?? [];

  const fields: [string, HeaderToken[]][] = [
    ['From', mailboxList([input.from])],
    // With no To recipient (a Cc- or Bcc-only send) this is the empty group `undisclosed-recipients:;`.
    ['To', mailboxList(input.to)],
  ];
  if (cc.length) fields.push(['Cc', mailboxList(cc)]);
  // Bcc recipients exist only in the envelope; a Bcc header would disclose them.
  const replyTo = input.replyTo === undefined ? [] : Array.isArray(input.replyTo) ? input.replyTo : [input.replyTo];
  if (replyTo.length) fields.push(['Reply-To', mailboxList(replyTo)]);
  fields.push(['Subject', unstructured(input.subject)]);
  const lines = fields.map(([name, tokens]) => foldHeader(name, tokens));
  lines.push(`Date: ${formatDate(input.date)}`, `Message-ID: ${messageId}`);
  for (const [name, value] of [['In-Reply-To', input.inReplyTo], ['References', input.references]] as const) {
    const ids = value ? messageIds(value) : [];
    if (ids.length) lines.push(foldHeader(name, ids));
  }
  lines.push('MIME-Version: 1.0');
  for (const [name, value] of Object.entries(input.headers ?? {})) lines.push(foldHeader(name, unstructured(value)));

  const root = bodyStructure(input);
  // A message ends with a line break; a text body that already ends with one gets no second one.
  const end = root.body === '' || root.body.endsWith('\r\n') ? '' : '\r\n';
  return new TextEncoder().encode(`${[...lines, ...root.headers].join('\r\n')}\r\n\r\n${root.body}${end}`) as Bytes;
}

function bodyStructure(input: MessageInput): RenderedPart {
  const html = input.html === undefined ? undefined : htmlDocument(input.html);
  const text = input.text ?? (html === undefined ? '' : textFromHtml(html));
  let root = html === undefined ? textPart('plain', text) : multipart('alternative', [textPart('plain', text), textPart('html', html)]);

  const attachments = input.attachments ?? [];
  // Inline images belong with the HTML that shows them; without HTML they are plain attachments.
  const isInline = (a: MimeAttachment) => html !== undefined && a.inline === true && a.contentId !== undefined;
  const part = (a: MimeAttachment, index: number) => {
    const rendered = attachmentPart({ ...a, disposition: isInline(a) ? 'inline' : 'attachment' });
    if (!rendered) throw new AppError('validation_failed', `Attachment ${index} is not valid base64.`, `attachments.${index}.content`);
    return rendered;
  };
  const inline = attachments.flatMap((a, i) => (isInline(a) ? [part(a, i)] : []));
  const files = attachments.flatMap((a, i) => (isInline(a) ? [] : [part(a, i)]));
  if (inline.length) root = multipart('related', [root, ...inline], [['type', 'multipart/alternative']]);
  if (files.length) root = multipart('mixed', [root, ...files]);
  return root;
}

/**
 * The MIME tree of a message and its serialisation: leaf parts (text, HTML, attachments) nested in
 * multipart/alternative, multipart/related and multipart/mixed, each with a fresh random boundary.
 */
import { randomToken } from '../../lib/clock';
import { foldHeader, type HeaderToken } from './fold';
import { withParams, type Param } from './params';
import { encodeText, rewrapBase64 } from './transfer-encoding';

/** A part's header fields, already laid out, and its encoded body (CRLF line breaks). */
export interface RenderedPart {
  headers: string[];
  body: string;
}

export type Multipart = 'mixed' | 'alternative' | 'related';

const field = (name: string, tokens: HeaderToken[]) => foldHeader(name, tokens);

/** A text/plain or text/html part: 7bit when the text allows it, quoted-printable otherwise. */
export function textPart(subtype: 'plain' | 'html', text: string): RenderedPart {
  const { encoding, body } = encodeText(text);
  return {
    headers: [field('Content-Type', withParams(`text/${subtype}`, [['charset', 'utf-8']])), `Content-Transfer-Encoding: ${encoding}`],
    body,
  };
}

export interface AttachmentSpec {
  filename: string;
  contentType: string;
  contentBase64: string;
  contentId?: string;
  disposition: 'attachment' | 'inline';
}

/** An attachment: base64 in 76-column lines, its name in both Content-Type and Content-Disposition. */
export function attachmentPart(a: AttachmentSpec): RenderedPart | null {
  const body = rewrapBase64(a.contentBase64);
  if (body === null) return null;
  const filename = a.filename.replace(/[\r\n]/g, ' ');
  const headers = [
    field('Content-Type', withParams(a.contentType.toLowerCase(), [['name', filename]])),
    'Content-Transfer-Encoding: base64',
    field('Content-Disposition', withParams(a.disposition, [['filename', filename]])),
  ];
  if (a.contentId !== undefined) {
    if (!/^<[\x21-\x3b\x3d\x3f-\x7e]+>$/.test(a.contentId)) throw new Error(`not a Content-ID: ${JSON.stringify(a.contentId)}`);
    headers.push(`Content-ID: ${a.contentId}`);
  }
  return { headers, body };
}

/** A multipart part around `parts`, with a boundary that occurs in none of them. */
export function multipart(subtype: Multipart, parts: readonly RenderedPart[], params: readonly Param[] = []): RenderedPart {
  const serialised = parts.map((p) => `${p.headers.join('\r\n')}\r\n\r\n${p.body}`);
  let boundary: string;
  // `=_` cannot occur in quoted-printable or base64 output; only 7bit text could hold it, by chance.
  do boundary = `=_edgemail_${randomToken(24)}`;
  while (serialised.some((s) => s.includes(boundary)));
  const body = `${serialised.map((s) => `--${boundary}\r\n${s}\r\n`).join('')}--${boundary}--`;
  return { headers: [field('Content-Type', withParams(`multipart/${subtype}`, [...params, ['boundary', boundary]]))], body };
}

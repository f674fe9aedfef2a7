/**
 * Body transfer encodings (RFC 2045): text that is plain ASCII in lines of at most 998 octets goes
 * as 7bit, other text as quoted-printable (soft-wrapped at 76), binary as base64 in 76-column lines.
 * Base64 text bodies and over-long lines are what spam filters and strict relays object to.
 */

export type TextTransferEncoding = '7bit' | 'quoted-printable';

/** RFC 5322 §2.1.1: no line may exceed 998 octets, CRLF excluded. */
export const MAX_LINE_OCTETS = 998;
// RFC 2045 §6.7 (5): encoded lines are at most 76 characters, the soft break's `=` included.
const QP_LINE = 76;

/** Every line break (CRLF, lone LF, lone CR) as CRLF, as MIME text requires. */
export function toCrlf(text: string): string {
  return text.replace(/\r\n|\r|\n/g, '\r\n');
}

/** Text ready to put in a part: the encoding to declare and the encoded body (CRLF line breaks). */
export function encodeText(text: string): { encoding: TextTransferEncoding; body: string } {
  const crlf = toCrlf(text);
  const sevenBit = /^[\t\x20-\x7e\r\n]*$/.test(crlf) && crlf.split('\r\n').every((line) => line.length <= MAX_LINE_OCTETS);
  return sevenBit ? { encoding: '7bit', body: crlf } : { encoding: 'quoted-printable', body: quotedPrintable(crlf) };
}

const hex = (byte: number) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Quoted-printable of the text's UTF-8 bytes; CRLF in the text stays a hard line break. */
export function quotedPrintable(text: string): string {
  const utf8 = new TextEncoder();
  return text
    .split('\r\n')
    .map((line) => {
      const bytes = utf8.encode(line);
      const out: string[] = [];
      let current = '';
      bytes.forEach((byte, i) => {
        const last = i === bytes.length - 1;
        // Printable ASCII stays literal except `=`; space and tab only when a character follows,
        // because relays may strip trailing whitespace.
        const literal = (byte >= 33 && byte <= 126 && byte !== 61) || ((byte === 32 || byte === 9) && !last);
        const piece = literal ? String.fromCharCode(byte) : hex(byte);
        // Room is kept for the `=` of a soft break, except on the line's final piece.
        const room = last ? QP_LINE : QP_LINE - 1;
        if (current.length + piece.length > room) {
          out.push(`${current}=`);
          current = '';
        }
        current += piece;
      });
      out.push(current);
      return out.join('\r\n');
    })
    .join('\r\n');
}

/** Whether an API caller's base64 (whitespace allowed) decodes: the check every door makes on attachments. */
export const isBase64 = (text: string): boolean => rewrapBase64(text) !== null;

/**
 * Base64 (as given by an API caller, whitespace allowed) re-cut into 76-column lines. Returns null
 * for text that is not base64, so the caller can refuse it.
 */
export function rewrapBase64(base64: string): string | null {
  const compact = base64.replace(/[\t\n\r ]+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  const unpadded = compact.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return null;
  const padded = unpadded + '='.repeat((4 - (unpadded.length % 4)) % 4);
  const lines: string[] = [];
  for (let i = 0; i < padded.length; i += 76) lines.push(padded.slice(i, i + 76));
  return lines.join('\r\n');
}

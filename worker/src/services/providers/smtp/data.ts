/** The DATA section of an SMTP transaction: CRLF line endings, dot-stuffing, the final `.` line. */

const CR = 13;
const LF = 10;
const DOT = 46;

/**
 * The message as it must go after DATA (RFC 5321 §4.5.2): every line ends in CRLF (bare LFs are
 * fixed), a line starting with "." gets one more, and the terminating CRLF.CRLF is appended.
 */
export function smtpDataBytes(raw: Uint8Array): Uint8Array<ArrayBuffer> {
  let extra = 5;
  for (let i = 0; i < raw.length; i++) {
    const lineStart = i === 0 || raw[i - 1] === LF;
    if (lineStart && raw[i] === DOT) extra++;
    if (raw[i] === LF && (i === 0 || raw[i - 1] !== CR)) extra++;
  }
  const out = new Uint8Array(raw.length + extra);
  let o = 0;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i]!;
    const lineStart = i === 0 || raw[i - 1] === LF;
    if (lineStart && byte === DOT) out[o++] = DOT;
    if (byte === LF && (i === 0 || raw[i - 1] !== CR)) out[o++] = CR;
    out[o++] = byte;
  }
  const endsWithNewline = raw.length > 0 && raw[raw.length - 1] === LF;
  const tail = endsWithNewline ? [DOT, CR, LF] : [CR, LF, DOT, CR, LF];
  for (const b of tail) out[o++] = b;
  return out.subarray(0, o) as Uint8Array<ArrayBuffer>;
}

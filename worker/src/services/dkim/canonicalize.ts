/**
 * DKIM "relaxed" canonicalisation (RFC 6376 §3.4.2 and §3.4.4) over a message held as a latin1
 * string (one char per byte, so nothing is re-encoded). Line endings are CRLF by the time these run.
 */

/** A message split into its header fields (folds kept) and its body. */
export interface SplitMessage {
  /** Each field as it appears, continuation lines included, without its final CRLF. */
  fields: string[];
  body: string;
}

/** Turns every bare LF into CRLF: what SMTP puts on the wire, so what a verifier will see. */
export function toCrlf(text: string): string {
  return text.includes('\n') ? text.replace(/\r?\n/g, '\r\n') : text;
}

export function splitMessage(text: string): SplitMessage {
  const end = text.startsWith('\r\n') ? 0 : text.indexOf('\r\n\r\n');
  const head = end < 0 ? text : text.slice(0, end);
  const body = end < 0 ? '' : text.slice(end + (end === 0 ? 2 : 4));
  const fields: string[] = [];
  for (const line of head.split('\r\n')) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) fields[fields.length - 1] += `\r\n${line}`;
    else fields.push(line);
  }
  return { fields, body };
}

export function fieldName(field: string): string {
  return field.slice(0, Math.max(0, field.indexOf(':'))).trim().toLowerCase();
}

/** `name:value\r\n`: name lowercased, value unfolded, runs of WSP as one space, no WSP at either end. */
export function relaxedHeader(field: string): string {
  const colon = field.indexOf(':');
  const value = field
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');
  return `${fieldName(field)}:${value}\r\n`;
}

/** Runs of WSP as one space, none at line ends, no empty lines at the end; CRLF after the last line. */
export function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}

/**
 * The top-level header block of a raw message, read field by field with each field's byte range.
 * MIME parsers smooth over duplicates and odd lines; rules about what a header says (who a message
 * is from, what recipients may see) need the fields exactly as a receiving MTA would find them.
 */
import { concat } from './bytes';

export interface HeaderField {
  /** Field name, lower-cased, without the whitespace an obsolete syntax allows before the colon. */
  name: string;
  /** Unfolded value (line breaks removed), decoded as UTF-8 (RFC 6532). */
  value: string;
  /** Byte offsets of the whole field, continuation lines and line endings included. */
  start: number;
  end: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Byte offset where the body starts (after the empty line), or the length when there is none. */
  bodyStart: number;
  /**
   * What makes the block ambiguous: a bare CR or NUL, a line that is neither a field nor a
   * continuation. Different parsers split such blocks differently, so rules cannot be checked on them.
   */
  problems: string[];
}

const LF = 0x0a;
const CR = 0x0d;
const FIELD_START = /^([!-9;-~]+)[ \t]*:/;
const decoder = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

export function readHeaderBlock(raw: Uint8Array): HeaderBlock {
  const fields: HeaderField[] = [];
  const problems: string[] = [];
  let pos = 0;
  let lineNo = 0;
  let current: { start: number; end: number; parts: Uint8Array[] } | null = null;
  const close = () => {
    if (!current) return;
    const text = decoder.decode(concat(current.parts));
    const match = FIELD_START.exec(text)!;
    fields.push({ name: match[1]!.toLowerCase(), value: text.slice(match[0].length).trim(), start: current.start, end: current.end });
    current = null;
  };

  while (pos < raw.length) {
    lineNo++;
    const lf = raw.indexOf(LF, pos);
    const next = lf < 0 ? raw.length : lf + 1;
    const contentEnd = lf < 0 ? raw.length : lf > pos && raw[lf - 1] === CR ? lf - 1 : lf;
    const line = raw.subarray(pos, contentEnd);
    if (line.length === 0) {
      close();
      return { fields, bodyStart: next, problems };
    }
    if (line.includes(CR) || line.includes(0)) problems.push(`line ${lineNo} holds a bare CR or NUL`);
    if (line[0] === 0x20 || line[0] === 0x09) {
      if (current) {
        current.parts.push(line);
        current.end = next;
      } else {
        problems.push(`line ${lineNo} continues a field that does not exist`);
      }
    } else {
      close();
      // Field names are ASCII, so the first bytes can be tested without decoding the line.
      if (FIELD_START.test(latin1.decode(line.subarray(0, 128)))) current = { start: pos, end: next, parts: [line] };
      else problems.push(`line ${lineNo} is not a header field`);
    }
    pos = next;
  }
  close();
  return { fields, bodyStart: raw.length, problems };
}

/** The message without the named fields (lower-case names); the same array when none is present. */
export function withoutFields(raw: Uint8Array<ArrayBuffer>, names: ReadonlySet<string>): Uint8Array<ArrayBuffer> {
  const dropped = readHeaderBlock(raw).fields.filter((f) => names.has(f.name));
  if (dropped.length === 0) return raw;
  const removed = dropped.reduce((n, f) => n + (f.end - f.start), 0);
  const out = new Uint8Array(raw.length - removed);
  let from = 0;
  let at = 0;
  for (const field of dropped) {
    out.set(raw.subarray(from, field.start), at);
    at += field.start - from;
    from = field.end;
  }
  out.set(raw.subarray(from), at);
  return out;
}

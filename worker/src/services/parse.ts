/** Turns raw MIME into the fields we store, tolerating anything postal-mime cannot make sense of. */
import { decodeHTML } from 'entities';
import PostalMime, { type Address, type Email } from 'postal-mime';
import { latin1Decode, type Bytes } from '../lib/bytes';

export interface MailboxAddress {
  name: string;
  address: string;
}

export interface ParsedAttachment {
  filename: string | null;
  contentType: string;
  disposition: string | null;
  contentId: string | null;
  content: Bytes;
}

export interface ParsedMessage {
  messageId: string | null;
  subject: string | null;
  from: MailboxAddress | null;
  to: MailboxAddress[];
  cc: MailboxAddress[];
  replyTo: MailboxAddress[];
  /** Date header in ms since epoch, null when missing or unparseable. */
  date: number | null;
  inReplyTo: string | null;
  references: string | null;
  text: string | null;
  html: string | null;
  headers: { key: string; value: string }[];
  attachments: ParsedAttachment[];
  /** Set when the MIME could not be parsed; the other fields then hold what the header scan found. */
  parseError: string | null;
}

export async function parseMessage(raw: Bytes): Promise<ParsedMessage> {
  let email: Email;
  try {
    // postal-mime copies a typed array it is given, but reads an ArrayBuffer in place: for a 25 MiB
    // message that copy is 25 MiB of the isolate's 128 MB.
    const input = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw.buffer : raw;
    email = await PostalMime.parse(input, { attachmentEncoding: 'arraybuffer' });
  } catch (err) {
    return scanHeaders(raw, err instanceof Error ? err.message : String(err));
  }
  return {
    messageId: clean(email.messageId),
    subject: clean(email.subject),
    from: email.from ? (flatten([email.from])[0] ?? null) : null,
    to: flatten(email.to),
    cc: flatten(email.cc),
    replyTo: flatten(email.replyTo),
    date: toEpoch(email.date),
    inReplyTo: clean(email.inReplyTo),
    references: clean(email.references),
    text: email.text ?? null,
    html: email.html ?? null,
    headers: email.headers.map((h) => ({ key: h.key, value: h.value })),
    attachments: email.attachments.map((a) => ({
      filename: a.filename || null,
      contentType: a.mimeType || 'application/octet-stream',
      disposition: a.disposition ?? null,
      contentId: a.contentId ?? null,
      content: toBytes(a.content),
    })),
    parseError: null,
  };
}

/**
 * Readable text of an HTML body, for previews and the search index (not for display): style and
 * script elements are dropped, tags of inline elements vanish ("<b>Ann</b>," reads "Ann,") and
 * every other tag becomes a space, and entities are decoded (named and numeric, "&#39;" and
 * "&rsquo;" alike, so a search for "don't" finds "Don&#39;t"). One pass, linear in the input
 * whatever it holds: the regex this replaces rescanned to the end of the text for every unclosed
 * "<style" or "<", so a 1 MB wall of them cost seconds of CPU and failed the delivery.
 *
 * `maxChars` stops once that much text (before entities are decoded, so the result may be a little
 * shorter) is gathered: callers need the start of a body, and converting all of a 24 MiB HTML part
 * held about 100 MiB more than the isolate's 128 MB allows. Markup is skipped whatever its length,
 * so a body that opens with megabytes of inline images still yields its text.
 */
export function htmlToText(html: string, maxChars = Infinity): string {
  const out: string[] = [];
  let gathered = 0;
  // Where the next closer is, from the last place it was looked for (-1: there is none after it).
  const nextClose = { style: { from: -1, at: -2 }, script: { from: -1, at: -2 } };
  let nextGt = { from: -1, at: -2 };
  let copied = 0;
  for (let lt = html.indexOf('<'); lt !== -1; ) {
    let end = -1;
    RAW_TEXT_OPEN.lastIndex = lt;
    const raw = RAW_TEXT_OPEN.exec(html)?.[1]?.toLowerCase() as 'style' | 'script' | undefined;
    if (raw) {
      const close = (nextClose[raw] = nextAfter(nextClose[raw], lt, (from) => indexOfIgnoringCase(html, `</${raw}>`, from)));
      if (close.at !== -1) end = close.at + raw.length + 3;
    }
    if (end === -1) {
      nextGt = nextAfter(nextGt, lt, (from) => html.indexOf('>', from));
      // A tag has at least one character between its brackets: "<>" stays text.
      if (nextGt.at > lt + 1) end = nextGt.at + 1;
    }
    if (end === -1) {
      lt = html.indexOf('<', lt + 1);
      continue;
    }
    const before = html.slice(copied, lt);
    const separator = raw || !isInlineTag(html, lt) ? ' ' : '';
    out.push(before, separator);
    gathered += before.length + separator.length;
    copied = end;
    lt = gathered >= maxChars ? -1 : html.indexOf('<', end);
  }
  out.push(html.slice(copied, copied + Math.max(0, maxChars - gathered)));
  const text = out.join('');
  // A non-breaking space is a space to a preview and to search.
  return text.includes('&') ? decodeHTML(text).replace(/\u00a0/g, ' ') : text;
}

/** Elements that sit inside a line of text: their tags separate nothing. */
const INLINE_ELEMENTS = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr']);

/** Whether the tag at `lt` opens or closes an inline element ("<b>", "</span >", "<a href=…>"). */
function isInlineTag(html: string, lt: number): boolean {
  let i = html.charCodeAt(lt + 1) === 0x2f ? lt + 2 : lt + 1;
  const start = i;
  // Letters only (no inline element has a digit), at most 6 of them ("strike", "strong").
  while (i - start <= 6 && ((html.charCodeAt(i) | 0x20) - 0x61) >>> 0 < 26) i++;
  if (i === start || i - start > 6) return false;
  const after = html.charCodeAt(i);
  // The name ends at whitespace, "/" or ">": "<bx>" and "<h1>" are other elements.
  if (after !== 0x3e && after !== 0x2f && after !== 0x20 && after !== 0x09 && after !== 0x0a && after !== 0x0d && after !== 0x0c) return false;
  return INLINE_ELEMENTS.has(html.slice(start, i).toLowerCase());
}

const RAW_TEXT_OPEN = /<(style|script)/iy;

/**
 * The first match after `pos`, reusing the last search when it still answers (its match lies after
 * `pos`, or it found none from an earlier point). Every character is searched at most once.
 */
function nextAfter(last: { from: number; at: number }, pos: number, search: (from: number) => number): { from: number; at: number } {
  if (last.from !== -1 && last.from <= pos + 1 && (last.at === -1 || last.at > pos)) return last;
  return { from: pos + 1, at: search(pos + 1) };
}

function indexOfIgnoringCase(text: string, needle: string, from: number): number {
  const pattern = new RegExp(needle.replace(/[/]/g, '\\/'), 'gi');
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

/**
 * The readable text of a message: its text part, else its HTML part as text (at least the first
 * `maxChars` of it when given; a text part is returned whole, as it is already in memory).
 */
export function plainTextOf(message: Pick<ParsedMessage, 'text' | 'html'>, maxChars?: number): string {
  return message.text ?? (message.html ? htmlToText(message.html, maxChars) : '');
}

/** A short plain-text preview for lists. */
export function snippetOf(message: Pick<ParsedMessage, 'text' | 'html'>, max = 200): string {
  return snippetOfText(plainTextOf(message), max);
}

/** The preview of already-readable text; only its start is looked at, whatever its length. */
export function snippetOfText(text: string, max = 200): string {
  const head = text.length > max * 16 ? text.slice(0, max * 16) : text;
  let collapsed = readable(head);
  // A start that is nearly all whitespace: fall back to the whole text.
  if (collapsed.length <= max && head.length < text.length) collapsed = readable(text);
  return collapsed.length > max ? `${collapsed.slice(0, max - 1)}…` : collapsed;
}

// Zero-width and soft-hyphen characters: newsletters pad their preview text with hundreds of them
// ("&zwnj;&nbsp;" after the preheader) to keep the body out of the inbox preview.
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2060-\u2064\u3164\ufeff]/g;

const readable = (text: string) => text.replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();

function flatten(list: Address[] | undefined): MailboxAddress[] {
  const out: MailboxAddress[] = [];
  for (const entry of list ?? []) {
    if (entry.group) out.push(...entry.group.map((m) => ({ name: m.name, address: m.address })));
    else if (entry.address !== undefined) out.push({ name: entry.name, address: entry.address });
  }
  return out;
}

function clean(value: string | undefined | null): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function toEpoch(date: string | undefined): number | null {
  if (!date) return null;
  const ms = Date.parse(date);
  return Number.isNaN(ms) ? null : ms;
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Bytes {
  // TextEncoder always allocates a fresh ArrayBuffer; the DOM typings just do not say so.
  if (typeof content === 'string') return new TextEncoder().encode(content) as Bytes;
  return content instanceof Uint8Array ? Uint8Array.from(content) : new Uint8Array(content);
}

/** Last resort for MIME the parser rejects: pull the few headers we index out of the header block. */
function scanHeaders(raw: Bytes, parseError: string): ParsedMessage {
  const head = latin1Decode(raw.subarray(0, 64 * 1024)).split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const headers = [...unfolded.matchAll(/^([!-9;-~]+):[ \t]*(.*)$/gm)].map((m) => ({ key: m[1]!.toLowerCase(), value: m[2]! }));
  const first = (key: string) => clean(headers.find((h) => h.key === key)?.value);
  return {
    messageId: first('message-id'),
    subject: first('subject'),
    from: null,
    to: [],
    cc: [],
    replyTo: [],
    date: toEpoch(first('date') ?? undefined),
    inReplyTo: first('in-reply-to'),
    references: first('references'),
    text: null,
    html: null,
    headers,
    attachments: [],
    parseError,
  };
}

/** The mbox format: splitting a file (mboxo/mboxrd, as Thunderbird, Gmail Takeout and mutt export it) into messages, and writing one (mboxrd). */
import { latin1Decode, latin1Encode, type Bytes } from './bytes';

/** True when the data starts with an mbox "From " separator line rather than a message header. */
export function isMbox(data: Uint8Array): boolean {
  return data.length >= 5 && latin1Decode(data.subarray(0, 5)) === 'From ';
}

/**
 * Each message's bytes, separator line removed and `>From ` quoting undone (mboxrd). Works on a
 * one-char-per-byte view so 8-bit bodies pass through unchanged.
 */
export function splitMbox(data: Uint8Array): Bytes[] {
  const text = latin1Decode(data);
  const messages: Bytes[] = [];
  // The newline consumed by the split is the blank line mbox puts before each separator.
  const chunks = text.split(/\r?\n(?=From )/);
  for (const [i, chunk] of chunks.entries()) {
    const newline = chunk.indexOf('\n');
    if (!chunk.startsWith('From ') || newline < 0) continue;
    // Lines start after LF only: a multiline `^` would also start one after a bare CR.
    let body = chunk.slice(newline + 1).replace(/(^|\n)>(>*From )/g, '$1$2');
    if (i === chunks.length - 1) body = body.replace(/(\r?\n)\r?\n$/, '$1');
    if (!body.trim()) continue;
    if (!body.endsWith('\n')) body += body.includes('\r\n') ? '\r\n' : '\n';
    messages.push(latin1Encode(body));
  }
  return messages;
}

const NEWLINE = 0x0a;
const GT = 0x3e;
const FROM_ = [0x46, 0x72, 0x6f, 0x6d, 0x20]; // "From "

/**
 * One message as an mboxrd entry, in pieces (no copy of the message): the "From " separator line,
 * the bytes with every line that reads `>*From ` given one more `>` (what splitMbox takes off), a
 * final newline if the message lacks one (mbox cannot keep a message without it), and the blank
 * line before the next separator.
 */
export function mboxEntry(envelopeFrom: string, receivedAt: number, raw: Bytes): Bytes[] {
  const pieces: Bytes[] = [latin1Encode(`From ${separatorSender(envelopeFrom)} ${asctime(receivedAt)}\n`)];
  let copied = 0;
  for (let lineStart = 0; lineStart < raw.length; ) {
    if (readsFrom(raw, lineStart)) {
      pieces.push(raw.subarray(copied, lineStart), QUOTE);
      copied = lineStart;
    }
    const newline = raw.indexOf(NEWLINE, lineStart);
    if (newline < 0) break;
    lineStart = newline + 1;
  }
  pieces.push(raw.subarray(copied));
  pieces.push(raw.length > 0 && raw[raw.length - 1] === NEWLINE ? BLANK_LINE : FINAL_NEWLINE_AND_BLANK_LINE);
  return pieces.filter((piece) => piece.length > 0);
}

const QUOTE = Uint8Array.of(GT);
const BLANK_LINE = Uint8Array.of(NEWLINE);
const FINAL_NEWLINE_AND_BLANK_LINE = Uint8Array.of(NEWLINE, NEWLINE);

/** Whether the line at `at` is `>*From `. */
function readsFrom(raw: Bytes, at: number): boolean {
  let i = at;
  while (raw[i] === GT) i++;
  return FROM_.every((byte, k) => raw[i + k] === byte);
}

/** The envelope sender as the separator names it: one word, or MAILER-DAEMON when there is none. */
function separatorSender(envelopeFrom: string): string {
  const sender = envelopeFrom.trim();
  return sender && !/[\s\x00-\x1f\x7f-\uffff]/.test(sender) ? sender : 'MAILER-DAEMON';
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The separator's date, in UTC: `Sun Nov 29 17:03:05 2026`. */
function asctime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

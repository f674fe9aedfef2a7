/** Splitting an mbox file (mboxo/mboxrd, as exported by Thunderbird, Gmail Takeout, mutt) into messages. */
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
    let body = chunk.slice(newline + 1).replace(/^>(>*From )/gm, '$1');
    if (i === chunks.length - 1) body = body.replace(/(\r?\n)\r?\n$/, '$1');
    if (!body.trim()) continue;
    if (!body.endsWith('\n')) body += body.includes('\r\n') ? '\r\n' : '\n';
    messages.push(latin1Encode(body));
  }
  return messages;
}

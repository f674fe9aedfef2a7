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
  for (const chunk of text.split(/\r?\n(?=From )/)) {
    const newline = chunk.indexOf('\n');
    if (!chunk.startsWith('From ') || newline < 0) continue;
    const body = chunk
      .slice(newline + 1)
      .replace(/^>(>*From )/gm, '$1')
      // mbox puts a blank line between messages; it belongs to the format, not the message.
      .replace(/\r?\n$/, '');
    if (body.trim()) messages.push(latin1Encode(body.endsWith('\n') ? body : `${body}\n`));
  }
  return messages;
}

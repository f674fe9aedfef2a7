/**
 * RFC 2047 encoded-words for header text that is not plain ASCII. Only text that needs it is encoded
 * (spam filters score needless encoding), as Q for mostly-Latin text and B for other scripts, and
 * split on character boundaries so that no encoded-word exceeds 75 characters.
 */
import { bytesToBase64 } from '../../lib/bytes';

/** RFC 2047 §2: an encoded-word is at most 75 characters long. */
export const MAX_ENCODED_WORD = 75;

export type EncodedWordMode = 'Q' | 'B';

const utf8 = new TextEncoder();
// `=?utf-8?Q?` + `?=`
const OVERHEAD = 12;
// Q text limited to what RFC 2047 §5(3) allows in every context, a phrase included.
const Q_LITERAL = /^[A-Za-z0-9!*+\-/]$/;

/** True when `text` cannot appear in a header as it is: non-ASCII, control characters, or text a decoder would take for an encoded-word. */
export function needsEncoding(text: string): boolean {
  return /[^\t\x20-\x7e]/.test(text) || /=\?[^?]*\?[bq]\?[^?]*\?=/i.test(text);
}

function hexBytes(char: string): string {
  let out = '';
  for (const byte of utf8.encode(char)) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

function qChar(char: string): string {
  if (char === ' ') return '_';
  return Q_LITERAL.test(char) ? char : hexBytes(char);
}

/**
 * Q for mostly-Latin text, which it keeps legible in the raw header, as long as it is at most a third
 * longer than B; B for other scripts, where Q would triple the length.
 */
export function chooseMode(text: string): EncodedWordMode {
  let qLength = 0;
  for (const char of text) qLength += qChar(char).length;
  const bLength = Math.ceil(utf8.encode(text).length / 3) * 4;
  return qLength * 3 <= bLength * 4 ? 'Q' : 'B';
}

/**
 * Takes as many characters of `chars` from `start` as fit in one encoded-word of at most `budget`
 * characters. Returns null when not even one character fits, so the caller can fold first.
 */
export function takeEncodedWord(
  chars: readonly string[],
  start: number,
  mode: EncodedWordMode,
  budget: number,
): { word: string; next: number } | null {
  const limit = Math.min(budget, MAX_ENCODED_WORD) - OVERHEAD;
  let end = start;
  if (mode === 'Q') {
    let text = '';
    while (end < chars.length) {
      const piece = qChar(chars[end]!);
      if (text.length + piece.length > limit) break;
      text += piece;
      end++;
    }
    return end === start ? null : { word: `=?utf-8?Q?${text}?=`, next: end };
  }
  let bytes = 0;
  while (end < chars.length) {
    const size = utf8.encode(chars[end]!).length;
    if (Math.ceil((bytes + size) / 3) * 4 > limit) break;
    bytes += size;
    end++;
  }
  if (end === start) return null;
  return { word: `=?utf-8?B?${bytesToBase64(utf8.encode(chars.slice(start, end).join('')))}?=`, next: end };
}

/** `text` as encoded-words of at most 75 characters each (joined by a space when laid out). */
export function encodeWords(text: string, mode: EncodedWordMode = chooseMode(text)): string[] {
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; ) {
    const taken = takeEncodedWord(chars, i, mode, MAX_ENCODED_WORD);
    // One code point is at most 4 bytes (12 characters as Q, 8 as B): it always fits in 75.
    if (!taken) throw new Error('unreachable: a character does not fit in an encoded-word');
    words.push(taken.word);
    i = taken.next;
  }
  return words;
}

/**
 * Lays a header field out on lines (RFC 5322 §2.2.3): lines of at most 78 characters where the
 * content allows it, never more than 998. A fold is a CRLF inserted before existing whitespace, so
 * unfolding gives back exactly the value that was folded. Encoded-words are cut to fit the line.
 */
import { chooseMode, takeEncodedWord } from './encoded-words';

export const SOFT_LIMIT = 78;
export const HARD_LIMIT = 998;
// An encoded-word squeezed into the end of a line is legal but hard to read: below this length,
// the text starts on a new line instead.
const MIN_USEFUL_WORD = 24;

/**
 * A header value as layout tokens: `atom` is ASCII text that must stay on one line, `space` is
 * whitespace a fold may go before, `encoded` is text to write as encoded-words (which adjacent
 * whitespace separates from their neighbours, so it is always between `space` tokens or at the ends).
 */
export type HeaderToken =
  | { kind: 'atom'; text: string }
  | { kind: 'space'; text: string }
  | { kind: 'encoded'; text: string };

export const atom = (text: string): HeaderToken => ({ kind: 'atom', text });
export const space = (text = ' '): HeaderToken => ({ kind: 'space', text });
export const encoded = (text: string): HeaderToken => ({ kind: 'encoded', text });

/** The folded `Name: value` field, without the final CRLF. */
export function foldHeader(name: string, tokens: readonly HeaderToken[]): string {
  const lines: string[] = [];
  let line = `${name}:`;
  // Whitespace waiting to be written before the next token: the fold point, if one is needed.
  let gap = ' ';
  // Folding right after `Name:` would leave an empty first line; only do it when nothing else fits.
  const hasContent = () => lines.length > 0 || line.length > name.length + 1;
  const fold = () => {
    lines.push(line);
    line = '';
  };

  for (const token of tokens) {
    if (token.kind === 'space') {
      gap += token.text;
      continue;
    }
    if (token.kind === 'atom') {
      const width = gap.length + token.text.length;
      const overflows = line.length + width > SOFT_LIMIT;
      if (overflows && gap && (hasContent() || line.length + width > HARD_LIMIT)) fold();
      if (line.length + width > HARD_LIMIT) throw new Error(`header ${name}: a ${token.text.length}-character word cannot be folded under ${HARD_LIMIT}`);
      line += gap + token.text;
      gap = '';
      continue;
    }
    if (!gap && line.length > 0) throw new Error(`header ${name}: an encoded-word must follow whitespace`);
    const chars = [...token.text];
    const mode = chooseMode(token.text);
    for (let i = 0; i < chars.length; ) {
      let taken = takeEncodedWord(chars, i, mode, SOFT_LIMIT - line.length - gap.length);
      const fragment = taken !== null && taken.next < chars.length && taken.word.length < MIN_USEFUL_WORD;
      if (!taken || (fragment && hasContent())) {
        fold();
        taken = takeEncodedWord(chars, i, mode, SOFT_LIMIT - gap.length);
      }
      if (!taken) throw new Error('unreachable: an encoded-word does not fit on an empty line');
      line += gap + taken.word;
      i = taken.next;
      // Whitespace between two encoded-words is dropped by decoders: a safe fold point.
      gap = ' ';
    }
    gap = '';
  }
  // Trailing whitespace carries no meaning in a field body.
  lines.push(line);
  return lines.join('\r\n');
}

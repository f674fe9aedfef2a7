/**
 * Header values as layout tokens: unstructured text (Subject, custom headers), mailbox lists
 * (From, To, Cc, Reply-To), message-id lists and dates. ASCII stays readable ASCII; only words that
 * need it become encoded-words, and a display name is quoted only when RFC 5322 requires it.
 */
import { needsEncoding } from './encoded-words';
import { atom, encoded, space, type HeaderToken } from './fold';

export interface MimeMailbox {
  /** Display name, any language; empty or missing for a bare address. */
  name?: string;
  address: string;
}

// An ASCII word longer than this could not share a line with a long header name under the 998
// limit, so it is written as encoded-words, which can be split.
const MAX_ATOM = 900;

/** Unstructured text (RFC 5322 §3.2.5): words that need encoding become encoded-words, the rest stays as is. */
export function unstructured(value: string): HeaderToken[] {
  const parts = value.trim().split(/([\t ]+)/).filter((p) => p !== '');
  const tokens: HeaderToken[] = [];
  // Consecutive words that need encoding go in one run, with the whitespace between them inside it:
  // whitespace between two encoded-words is not part of the decoded text.
  let run: string[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const trailing = /^[\t ]+$/.test(run.at(-1)!) ? run.pop()! : '';
    tokens.push(encoded(run.join('')));
    if (trailing) tokens.push(space(trailing));
    run = [];
  };
  for (const part of parts) {
    const isSpace = /^[\t ]+$/.test(part);
    if (!isSpace && (needsEncoding(part) || part.length > MAX_ATOM)) {
      if (run.length === 0 && tokens.at(-1)?.kind === 'space') {
        // The first whitespace character stays the separator; the rest belong to the decoded text.
        const gap = tokens.pop()!.text;
        tokens.push(space(gap.slice(0, 1)));
        run.push(gap.slice(1));
      }
      run.push(part);
    } else if (isSpace && run.length > 0) {
      run.push(part);
    } else {
      flush();
      tokens.push(isSpace ? space(part) : atom(part));
    }
  }
  flush();
  return tokens;
}

// RFC 5322 atext: a display name made of these words (single spaces between) needs no quotes.
const PHRASE_OF_ATOMS = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(?: [A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/;
const ADDR_SPEC = /^[\x21-\x7e]+@[\x21-\x7e]+$/;

function displayName(name: string): HeaderToken[] {
  if (needsEncoding(name)) return [encoded(name)];
  if (PHRASE_OF_ATOMS.test(name)) return name.split(' ').flatMap((word, i) => (i ? [space(), atom(word)] : [atom(word)]));
  return [atom(`"${name.replace(/(["\\])/g, '\\$1')}"`)];
}

/** One mailbox list; an empty `To` becomes the empty group `undisclosed-recipients:;`. */
export function mailboxList(mailboxes: readonly MimeMailbox[]): HeaderToken[] {
  if (mailboxes.length === 0) return [atom('undisclosed-recipients:;')];
  const tokens: HeaderToken[] = [];
  mailboxes.forEach((mailbox, i) => {
    const address = mailbox.address.trim();
    if (!ADDR_SPEC.test(address) || /[<>(),;:"\\[\]]/.test(address)) throw new Error(`not a plain ASCII address: ${JSON.stringify(address)}`);
    const comma = i < mailboxes.length - 1 ? ',' : '';
    if (i > 0) tokens.push(space());
    const name = (mailbox.name ?? '').trim();
    if (!name) {
      tokens.push(atom(address + comma));
      return;
    }
    tokens.push(...displayName(name), space(), atom(`<${address}>${comma}`));
  });
  return tokens;
}

/** A list of message ids (In-Reply-To, References); anything that is not `<id>` is dropped. */
export function messageIds(value: string): HeaderToken[] {
  const ids = value.match(/<[^<>\s]+>/g) ?? [];
  return ids.flatMap((id, i) => (i ? [space(), atom(id)] : [atom(id)]));
}

/** RFC 5322 date-time in UTC, e.g. `Tue, 03 Jun 2025 10:00:00 +0000`. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('invalid Date');
  // toUTCString is specified (ECMA-262) as `Tue, 03 Jun 2025 10:00:00 GMT`.
  return date.toUTCString().replace(/GMT$/, '+0000');
}

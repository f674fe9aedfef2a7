/**
 * A strict RFC 5322 address-list parser (section 3.4) for deciding what an originator header
 * really names: comments, quoted strings, groups and angle addresses are all understood, and
 * anything a lenient reader could interpret in more than one way is an error rather than a guess.
 */

export interface ParsedMailbox {
  /** Display name as written (quotes removed, encoded-words left alone). */
  name: string;
  /** local@domain, lower-cased; a quoted local part that needs no quoting is unquoted. */
  address: string;
}

export type AddressListResult =
  | { ok: true; mailboxes: ParsedMailbox[]; groups: number }
  | { ok: false; error: string };

type Token =
  | { kind: 'atom'; text: string }
  | { kind: 'quoted'; text: string }
  | { kind: 'literal'; text: string }
  | { kind: 'special'; text: '<' | '>' | '@' | ',' | ':' | ';' };

class AddressSyntaxError extends Error {}

// atext (RFC 5322 3.2.3) plus "." (dot-atoms, obsolete phrases) and any non-ASCII (RFC 6532).
const ATOM_CHAR = /[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.\u0080-\uffff]/;
const DOT_ATOM = /^[^.]+(\.[^.]+)*$/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
    } else if (c === '(') {
      // Comments nest and may hold quoted pairs; they are whitespace to the grammar.
      let depth = 0;
      do {
        const d = input[i];
        if (d === undefined) throw new AddressSyntaxError('unterminated comment');
        if (d === '\\') i++;
        else if (d === '(') depth++;
        else if (d === ')') depth--;
        i++;
      } while (depth > 0);
    } else if (c === '"') {
      let text = '';
      for (i++; input[i] !== '"'; i++) {
        if (i >= input.length) throw new AddressSyntaxError('unterminated quoted string');
        if (input[i] === '\\') i++;
        if (i >= input.length) throw new AddressSyntaxError('unterminated quoted string');
        text += input[i];
      }
      i++;
      tokens.push({ kind: 'quoted', text });
    } else if (c === '[') {
      const end = input.indexOf(']', i);
      if (end < 0 || input.slice(i + 1, end).includes('[')) throw new AddressSyntaxError('unterminated domain literal');
      tokens.push({ kind: 'literal', text: input.slice(i, end + 1) });
      i = end + 1;
    } else if ('<>@,:;'.includes(c)) {
      tokens.push({ kind: 'special', text: c as '<' });
      i++;
    } else if (ATOM_CHAR.test(c)) {
      let text = '';
      while (i < input.length && ATOM_CHAR.test(input[i]!)) text += input[i++];
      tokens.push({ kind: 'atom', text });
    } else {
      throw new AddressSyntaxError(`unexpected character ${JSON.stringify(c)}`);
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  groups = 0;
  readonly mailboxes: ParsedMailbox[] = [];

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isSpecial(text: string): boolean {
    const t = this.peek();
    return t?.kind === 'special' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isSpecial(text)) throw new AddressSyntaxError(`expected "${text}"`);
    this.pos++;
  }

  /**
   * address-list. The empty elements of the obsolete syntax (",,") are refused: parsers disagree
   * on what a comment next to one belongs to.
   */
  parseList(): void {
    while (this.peek()) {
      this.parseAddress();
      if (!this.peek()) return;
      this.expect(',');
      if (!this.peek()) throw new AddressSyntaxError('empty element in the list');
    }
  }

  private parseAddress(): void {
    const words = this.phrase();
    if (this.isSpecial(':')) {
      // group = display-name ":" [mailbox-list] ";"
      if (words.length === 0) throw new AddressSyntaxError('group without a name');
      this.pos++;
      this.groups++;
      while (!this.isSpecial(';')) {
        this.parseMailbox(this.phrase());
        if (!this.peek()) throw new AddressSyntaxError('group without ";"');
        if (this.isSpecial(',')) this.pos++;
        else if (!this.isSpecial(';')) throw new AddressSyntaxError('expected "," or ";" in a group');
      }
      this.pos++;
      return;
    }
    this.parseMailbox(words);
  }

  /** mailbox = name-addr / addr-spec, given the words already read in front of it. */
  private parseMailbox(words: Token[]): void {
    if (this.isSpecial('<')) {
      this.pos++;
      if (this.isSpecial('@')) throw new AddressSyntaxError('source routes are not accepted');
      const address = this.addrSpec(this.phrase());
      this.expect('>');
      this.mailboxes.push({ name: words.map((w) => w.text).join(' '), address });
      return;
    }
    if (this.isSpecial('@')) {
      this.mailboxes.push({ name: '', address: this.addrSpec(words) });
      return;
    }
    throw new AddressSyntaxError(words.length ? 'a name without an address' : 'an empty address');
  }

  private addrSpec(local: Token[]): string {
    if (local.length !== 1 || local[0]!.kind === 'literal') throw new AddressSyntaxError('invalid local part');
    const part = local[0]!;
    if (part.kind === 'atom' && !DOT_ATOM.test(part.text)) throw new AddressSyntaxError('invalid local part');
    this.expect('@');
    const domain = this.peek();
    if (!domain || (domain.kind !== 'atom' && domain.kind !== 'literal') || (domain.kind === 'atom' && !DOT_ATOM.test(domain.text))) {
      throw new AddressSyntaxError('invalid domain');
    }
    this.pos++;
    const plain = part.kind === 'quoted' && DOT_ATOM.test(part.text) && [...part.text].every((c) => ATOM_CHAR.test(c));
    const localText = part.kind === 'atom' || plain ? part.text : `"${part.text.replace(/(["\\])/g, '\\$1')}"`;
    return `${localText}@${domain.text}`.toLowerCase();
  }

  /** phrase = 1*word; returns what it read (possibly nothing). */
  private phrase(): Token[] {
    const words: Token[] = [];
    for (let t = this.peek(); t && (t.kind === 'atom' || t.kind === 'quoted'); t = this.peek()) {
      words.push(t);
      this.pos++;
    }
    return words;
  }
}

export function parseAddressList(input: string): AddressListResult {
  try {
    const parser = new Parser(tokenize(input));
    parser.parseList();
    return { ok: true, mailboxes: parser.mailboxes, groups: parser.groups };
  } catch (err) {
    if (err instanceof AddressSyntaxError) return { ok: false, error: err.message };
    throw err;
  }
}

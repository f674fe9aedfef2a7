/** Parsing a single mailbox as people write it: `a@b`, `Name <a@b>` or `"Name" <a@b>`. */

const EMAIL = /^[^\s@<>(),;:"\[\]\\]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/i;

export interface ParsedMailbox {
  address: string;
  name?: string;
}

/** The mailbox, with a lowercase address; null when the text is not one address. */
export function parseMailbox(text: string): ParsedMailbox | null {
  const trimmed = text.trim();
  const angle = /^(?:"((?:[^"\\]|\\.)*)"|([^<>"]*?))\s*<([^<>\s]+)>$/.exec(trimmed);
  if (angle) {
    const address = angle[3]!.toLowerCase();
    if (!EMAIL.test(address)) return null;
    const name = (angle[1] ?? angle[2] ?? '').replace(/\\(.)/g, '$1').trim();
    return name ? { address, name } : { address };
  }
  return EMAIL.test(trimmed) ? { address: trimmed.toLowerCase() } : null;
}

/** Splits `a@b, "Doe, Jane" <j@d>` at the commas that separate addresses (not those in quotes or <>). */
export function splitMailboxList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angled = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angled = true;
    else if (ch === '>' && !quoted) angled = false;
    if ((ch === ',' || ch === ';') && !quoted && !angled) {
      if (current.trim()) parts.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** Control characters (line breaks above all) that would let a value escape its header. */
export const hasLineBreak = (value: string) => /[\r\n\0]/.test(value);

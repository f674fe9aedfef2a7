/**
 * MIME header parameters (`Content-Type: …; charset=…`, `Content-Disposition: …; filename=…`).
 * Plain values are RFC 2045 tokens or quoted strings; a filename that is not plain printable ASCII is
 * written RFC 2231 style (`filename*=utf-8''…`, in continuation sections when long) after an ASCII
 * `filename="…"` fallback for the few readers that do not know RFC 2231.
 */
import { atom, SOFT_LIMIT, space, type HeaderToken } from './fold';

// RFC 2045 token: printable ASCII except space and tspecials.
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
// RFC 2231 attribute-char: what may stay unescaped in an extended value.
const ATTRIBUTE_CHAR = /^[!#$&+\-.0-9A-Z^_`a-z|~]$/;

export type Param = readonly [name: string, value: string];

/** `type/subtype; a=b; c="d e"` as layout tokens, with a fold point before each parameter. */
export function withParams(value: string, params: readonly Param[]): HeaderToken[] {
  const rendered = params.flatMap(([name, v]) => renderParam(name, v));
  const tokens: HeaderToken[] = [atom(rendered.length ? `${value};` : value)];
  rendered.forEach((param, i) => tokens.push(space(), atom(i < rendered.length - 1 ? `${param};` : param)));
  return tokens;
}

/** A parameter value only RFC 2231 can carry exactly: non-ASCII, controls, or quote/backslash. */
export function needsExtendedValue(value: string): boolean {
  return /[^\x20-\x7e]|["\\]/.test(value);
}

// File names are quoted even when they are tokens: some readers expect it.
const ALWAYS_QUOTED = new Set(['name', 'filename']);

function renderParam(name: string, value: string): string[] {
  if (!needsExtendedValue(value)) return [`${name}=${TOKEN.test(value) && !ALWAYS_QUOTED.has(name) ? value : `"${value}"`}`];
  const fallback = `${name}="${asciiFallback(value)}"`;
  const single = `${name}*=${CHARSET_PREFIX}${percentEncode([...value])}`;
  // Folded onto its own line it gains a leading space and keeps its `;`.
  if (single.length + 2 <= SOFT_LIMIT) return [fallback, single];
  return [fallback, ...percentSections(name, [...value])];
}

const CHARSET_PREFIX = "utf-8''";

function percentEncode(chars: readonly string[]): string {
  const utf8 = new TextEncoder();
  return chars
    .map((char) => (ATTRIBUTE_CHAR.test(char) ? char : [...utf8.encode(char)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')))
    .join('');
}

/** RFC 2231 continuations (`name*0*=utf-8''…`, `name*1*=…`), cut between characters so each section's line fits in 78. */
function percentSections(name: string, chars: readonly string[]): string[] {
  const sections: string[] = [];
  let current = '';
  const head = () => `${name}*${sections.length}*=${sections.length === 0 ? CHARSET_PREFIX : ''}`;
  for (const char of chars) {
    const piece = percentEncode([char]);
    if (current && 1 + head().length + current.length + piece.length + 1 > SOFT_LIMIT) {
      sections.push(head() + current);
      current = '';
    }
    current += piece;
  }
  sections.push(head() + current);
  return sections;
}

/**
 * A readable ASCII stand-in for readers without RFC 2231: accents dropped (`résumé.txt` →
 * `resume.txt`), other unsafe characters `_`, and `attachment.pdf` when nothing readable is left.
 */
export function asciiFallback(value: string): string {
  const ascii = value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/(?:[^\x20-\x7e]|["\\])+/g, '_');
  const dot = ascii.lastIndexOf('.');
  const stem = dot > 0 ? ascii.slice(0, dot) : ascii;
  return /[A-Za-z0-9]/.test(stem) ? ascii : `attachment${dot > 0 ? ascii.slice(dot) : ''}`;
}

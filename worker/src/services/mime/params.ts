/**
 * MIME header parameters (`Content-Type: …; charset=…`, `Content-Disposition: …; filename=…`).
 * Plain values are RFC 2045 tokens or quoted strings; a filename that is not plain printable ASCII is
 * written RFC 2231 style (`filename*=utf-8''…`, in continuation sections when long) after an ASCII
 * `filename="…"` fallback for the few readers that do not know RFC 2231.
 */
import { atom, space, type HeaderToken } from './fold';

// RFC 2045 token: printable ASCII except space and tspecials.
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
// RFC 2231 attribute-char: what may stay unescaped in an extended value.
const ATTRIBUTE_CHAR = /^[!#$&+\-.0-9A-Z^_`a-z|~]$/;
// Keeps each `name*N*=…;` section of a long extended value on a line of its own under 78 characters.
const SECTION_CHARS = 60;

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
  const sections = percentSections(value);
  if (sections.length === 1) return [fallback, `${name}*=utf-8''${sections[0]}`];
  return [fallback, ...sections.map((s, i) => `${name}*${i}*=${i === 0 ? "utf-8''" : ''}${s}`)];
}

/** The value percent-encoded as UTF-8, cut between characters into sections of bounded length. */
function percentSections(value: string): string[] {
  const utf8 = new TextEncoder();
  const sections: string[] = [];
  let current = '';
  for (const char of value) {
    const piece = ATTRIBUTE_CHAR.test(char)
      ? char
      : [...utf8.encode(char)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (current && current.length + piece.length > SECTION_CHARS) {
      sections.push(current);
      current = '';
    }
    current += piece;
  }
  sections.push(current);
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

/**
 * Whether a body sent without a declared type is HTML, for APIs whose one `body` field takes "plain
 * text or HTML". Markup means a doctype or a tag of a common HTML element; a stray `<`, a comparison
 * ("2 < 3 > 1") or an address in angle brackets (`<bob@example.com>`) is not markup.
 */
const ELEMENTS = [
  'html', 'head', 'body', 'meta', 'style', 'title', 'div', 'span', 'p', 'br', 'hr', 'a', 'img', 'table', 'thead', 'tbody', 'tfoot',
  'tr', 'td', 'th', 'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'b', 'i', 'u', 's', 'em', 'strong',
  'small', 'sub', 'sup', 'font', 'center', 'blockquote', 'pre', 'code', 'section', 'article', 'header', 'footer', 'main', 'nav',
].join('|');

// An opening or self-closing tag (name, then whitespace and attributes, or the end), or a closing tag.
const TAG = new RegExp(`<(?:(?:${ELEMENTS})(?:\\s[^<>]*)?/?|/(?:${ELEMENTS})\\s*)>`, 'i');
const DOCTYPE = /<!doctype\s+html/i;

export function looksLikeHtml(body: string): boolean {
  return DOCTYPE.test(body) || TAG.test(body);
}

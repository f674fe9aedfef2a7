/**
 * The text of an HTML-only mail, for the "Text" view: what a reader sees, one block per line. The
 * document comes from DOMParser, which never runs scripts or loads anything; only its text is used.
 */

const BLOCKS = new Set(['address', 'article', 'aside', 'blockquote', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'thead', 'tfoot', 'tr', 'ul']);
const INVISIBLE = 'head,script,style,noscript,template,title';

export function htmlAsText(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  doc.querySelectorAll(INVISIBLE).forEach((el) => el.remove());
  const out: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      out.push((node.textContent ?? '').replace(/\s+/g, ' '));
      return;
    }
    if (!(node instanceof Element)) return;
    const tag = node.tagName.toLowerCase();
    if (tag === 'br') return void out.push('\n');
    // A link's address matters in a text view: "Verify (https://…)".
    const href = tag === 'a' ? node.getAttribute('href') : null;
    const block = BLOCKS.has(tag);
    if (block) out.push('\n');
    node.childNodes.forEach(walk);
    if (href && /^https?:/i.test(href) && !(node.textContent ?? '').includes(href)) out.push(` (${href})`);
    if (tag === 'td' || tag === 'th') out.push(' ');
    if (block) out.push('\n');
  };
  walk(doc.body);
  return out
    .join('')
    .replace(/[\u200b-\u200d\u2060\ufeff\u00ad\u034f]/g, '')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A mail's text part, or for an HTML-only mail the text of its HTML: what the Text view, a reply's quote and a forward show. */
export function readableText(mail: { text: string | null; html: string | null }): string {
  return mail.text ?? (mail.html ? htmlAsText(mail.html) : '');
}

/**
 * HTML mail → readable text and its links, in one pass of the `html-to-text` package (a real HTML
 * parser; regexes get nested tables, entities and comments wrong). Links are collected with their
 * label (text or image alt) and the text of the block around them.
 */
import { compile, type DomNode, type FormatCallback } from 'html-to-text';

export interface HtmlLink {
  href: string;
  label: string;
  /** Text of the enclosing block, for links labelled "here" or "this link". */
  context: string;
  imageOnly: boolean;
}

// html-to-text runs synchronously, so one collector per isolate is safe to reuse call after call.
let collected: HtmlLink[] = [];

function textOf(node: DomNode, withAlt: boolean, out: string[] = []): string[] {
  if (node.type === 'text' && node.data) out.push(node.data);
  else if (node.name === 'img' && withAlt && node.attribs?.alt) out.push(` ${node.attribs.alt} `);
  else if (node.name === 'br') out.push(' ');
  for (const child of node.children ?? []) textOf(child, withAlt, out);
  return out;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

const BLOCKS = new Set(['p', 'div', 'td', 'li', 'table', 'body', 'section', 'article', 'center', 'blockquote', 'h1', 'h2', 'h3']);

function blockAround(node: DomNode): DomNode {
  let at: DomNode | undefined = node.parent;
  while (at && !BLOCKS.has(at.name ?? '')) at = at.parent;
  return at ?? node;
}

const collectAnchor: FormatCallback = (elem, walk, builder) => {
  const href = String(elem.attribs?.href ?? '').trim();
  if (href) {
    const words = squash(textOf(elem, false).join(''));
    collected.push({
      href,
      label: squash(textOf(elem, true).join('')),
      context: squash(textOf(blockAround(elem), false).join('')).slice(0, 400),
      imageOnly: words === '',
    });
  }
  // The link's text stays in the body text; its URL does not (digits in URLs are not codes).
  walk(elem.children, builder);
};

const convert = compile({
  wordwrap: false,
  formatters: { collectAnchor },
  selectors: [
    { selector: 'a', format: 'collectAnchor' },
    { selector: 'img', format: 'skip' },
    // Codes are often styled as letter-spaced blocks or table cells; keep each on its own line.
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'block' },
    { selector: 'th', format: 'block' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
  ],
});

/** The text a person reads in this HTML, and every link in document order. */
export function readHtml(html: string): { text: string; links: HtmlLink[] } {
  collected = [];
  try {
    const text = convert(html);
    return { text, links: collected };
  } finally {
    collected = [];
  }
}

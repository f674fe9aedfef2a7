/**
 * HTML mail → readable text and its links, in one pass of htmlparser2 (a real, streaming HTML
 * parser: regexes get nested tables, entities and comments wrong). It is the parser html-to-text is
 * built on; html-to-text itself ran fine in workerd but its formatting machinery cost ~5× the CPU
 * (bench/verification.mjs), and ingest runs this on every message that mentions a code or a link.
 */
import { Parser } from 'htmlparser2';

export interface HtmlLink {
  href: string;
  label: string;
  /** The line holding the link and the line before it, for links labelled "here" or "this link". */
  context: string;
  imageOnly: boolean;
}

// Elements that start a new line in what a person sees.
const BLOCKS = new Set([
  'p', 'div', 'br', 'tr', 'td', 'th', 'li', 'ul', 'ol', 'table', 'tbody', 'thead', 'section', 'article', 'header', 'footer',
  'center', 'blockquote', 'pre', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'dt', 'dd', 'form', 'main', 'nav', 'aside',
]);
// Never shown: their text is not part of the message a person reads.
const HIDDEN = new Set(['style', 'script', 'head', 'title', 'template', 'noscript', 'svg', 'object']);

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

interface OpenAnchor {
  href: string;
  start: number;
  label: string[];
  words: string[];
}

/** The text a person reads in this HTML (one line per block), and every http(s) link in document order. */
export function readHtml(html: string): { text: string; links: HtmlLink[] } {
  const out: string[] = [];
  let length = 0;
  let hidden = 0;
  let anchor: OpenAnchor | null = null;
  const found: { href: string; start: number; end: number; label: string; imageOnly: boolean }[] = [];
  const push = (s: string) => {
    out.push(s);
    length += s.length;
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (HIDDEN.has(name)) hidden++;
        if (hidden) return;
        if (BLOCKS.has(name)) push('\n');
        if (name === 'a' && attribs.href) anchor = { href: attribs.href.trim(), start: length, label: [], words: [] };
        if (name === 'img' && attribs.alt && anchor) anchor.label.push(` ${attribs.alt} `);
      },
      ontext(data) {
        if (hidden) return;
        push(data);
        if (anchor) {
          anchor.label.push(data);
          anchor.words.push(data);
        }
      },
      onclosetag(name) {
        if (HIDDEN.has(name)) {
          hidden = Math.max(0, hidden - 1);
          return;
        }
        if (hidden) return;
        if (name === 'a' && anchor) {
          found.push({ href: anchor.href, start: anchor.start, end: length, label: squash(anchor.label.join('')), imageOnly: squash(anchor.words.join('')) === '' });
          anchor = null;
        }
        if (BLOCKS.has(name)) push('\n');
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();

  const raw = out.join('');
  const links = found.map((a) => {
    // The line the link is on, and the one before it (a "Click below to verify:" line above a button).
    const lineStart = raw.lastIndexOf('\n', a.start - 1);
    const prevStart = lineStart > 0 ? raw.lastIndexOf('\n', lineStart - 1) : -1;
    const lineEnd = raw.indexOf('\n', a.end);
    const context = squash(raw.slice(prevStart + 1, lineEnd === -1 ? raw.length : lineEnd)).slice(0, 400);
    return { href: a.href, label: a.label, context, imageOnly: a.imageOnly };
  });
  const text = raw
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0\r\f\v]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { text, links };
}

/**
 * The HTML side of a message: a fragment becomes a minimal document (a bare fragment is a spam
 * signal, HTML_MIME_NO_HTML_TAG), and the text/plain alternative of an HTML-only send is derived
 * from it with html-to-text rather than by stripping tags.
 */
import { compile, type FormatCallback } from 'html-to-text';

// Images contribute their alt text only: a `cid:` or tracking URL means nothing in plain text.
const altText: FormatCallback = (elem, _walk, builder) => {
  const alt = (elem as { attribs?: Record<string, string> }).attribs?.alt ?? '';
  builder.addInline(alt, { noWordTransform: true });
};

const MAX_DEPTH = 200;

// Compiled once per isolate, on first use (not at startup, which every request would pay for):
// compiling the selector tree costs more than converting a message.
let toText: ((html: string) => string) | undefined;

/** Readable plain text for the text/plain alternative of an HTML body. */
export function textFromHtml(html: string): string {
  toText ??= compile({
    // 76 keeps generated text lines short enough to travel as 7bit when they are ASCII.
    wordwrap: 76,
    // The walk recurses per level: 100,000 nested elements overflowed the stack after seconds of
    // CPU. No real message nests this deep; what lies deeper is left out of the text alternative.
    limits: { maxDepth: MAX_DEPTH },
    formatters: { altText },
    selectors: [
      { selector: 'img', format: 'altText' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
    ],
  });
  return toText(html);
}

/**
 * The HTML as a complete document. Markup that already has an `<html>` element is left alone; one
 * with `<head>` or `<body>` only gains the `<html>` element; a fragment gets the minimal document
 * around it, declaring UTF-8 for readers that save the part to a file.
 */
export function htmlDocument(html: string): string {
  if (/<html[\s>]/i.test(html)) return html;
  if (/<(?:head|body)[\s>]/i.test(html)) return `<html>${html}</html>`;
  return `<html><head><meta charset="utf-8"></head><body>${html}</body></html>`;
}

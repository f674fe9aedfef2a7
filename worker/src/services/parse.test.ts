import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText } from './parse';

/** What htmlToText did before it became one pass: the definition it must keep matching. */
const byRegex = (html: string) =>
  html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<[^>]+>/gi, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"');

// Pieces that make tags, unclosed tags, raw-text elements (any case) and entities likely.
const piece = fc.constantFrom('<', '>', '<>', '<b>', '</b>', '<style>', '<STYLE a="1">', '</style>', '</Style>', '<script>', '</SCRIPT>', '</script', 'style', 'x', ' ', '\n', '&amp;', '&lt;', '&nbsp;', 'é', '验证');
const html = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('htmlToText', () => {
  it('drops tags, style and script elements and decodes the common entities', () => {
    expect(htmlToText('<p>Hi&nbsp;<b>Ann</b></p><style>p{color:red}</style><SCRIPT>x()</SCRIPT>&lt;3 &amp; more')).toBe(' Hi  Ann    <3 & more');
  });

  it('keeps text that only looks like markup: "<>", an unclosed "<", an unclosed <style>', () => {
    expect(htmlToText('a <> b < c')).toBe('a <> b < c');
    expect(htmlToText('<style>never closed')).toBe(' never closed');
  });

  it('answers exactly what the tag-stripping regex answers, for any mix of tags, closers and text', () => {
    fc.assert(fc.property(html, (input) => htmlToText(input) === byRegex(input)), { numRuns: 2000 });
  });

  it('reads a wall of unclosed "<style" and "<" (once quadratic: seconds per megabyte)', () => {
    expect(htmlToText('<style'.repeat(200_000)).length).toBe(6 * 200_000);
    expect(htmlToText(`${'<'.repeat(300_000)}x`)).toBe(`${'<'.repeat(300_000)}x`);
    expect(htmlToText('<style>'.repeat(200_000))).toBe(' '.repeat(200_000));
  });
});

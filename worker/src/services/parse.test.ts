import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeHTML } from 'entities';
import { htmlToText, snippetOfText } from './parse';

const INLINE = /^<\/?(?:a|abbr|b|bdi|bdo|big|cite|code|data|del|dfn|em|font|i|ins|kbd|mark|q|s|samp|small|span|strike|strong|sub|sup|time|tt|u|var|wbr)[\s/>]/i;

/**
 * What htmlToText did before it became one pass (a regex per kind of markup), with inline
 * elements' tags removed rather than made spaces: the definition it must keep matching.
 */
const byRegex = (html: string) => {
  const stripped = html.replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<[^>]+>/gi, (tag) => (!/^<(style|script)/i.test(tag) && INLINE.test(tag) ? '' : ' '));
  return decodeHTML(stripped).replace(/\u00a0/g, ' ');
};

// Pieces that make tags, unclosed tags, raw-text elements (any case) and entities likely.
const piece = fc.constantFrom('<', '>', '<>', '<b>', '</b>', '<span class="x">', '</SPAN >', '<br/>', '<h1>', '<bx>', '<style>', '<STYLE a="1">', '</style>', '</Style>', '<script>', '</SCRIPT>', '</script', 'style', 'x', ' ', '\n', '&amp;', '&lt;', '&nbsp;', '&#39;', '&rsquo;', '&', ';', 'é', '验证');
const html = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('htmlToText', () => {
  it('drops tags, style and script elements and decodes the common entities', () => {
    expect(htmlToText('<p>Hi&nbsp;<b>Ann</b></p><style>p{color:red}</style><SCRIPT>x()</SCRIPT>&lt;3 &amp; more')).toBe(' Hi Ann   <3 & more');
  });

  it('joins what inline elements split and keeps blocks apart, as a browser renders them', () => {
    expect(htmlToText('Your code is <b>482913</b>. <a href="https://x.test/v">Verify</a>, <span style="x">S</span>ale')).toBe('Your code is 482913. Verify, Sale');
    expect(htmlToText('<td>one</td><td>two</td>line<br>next<h1>Title</h1>')).toBe(' one  two line next Title ');
  });

  it('decodes every named and numeric entity', () => {
    expect(htmlToText('Don&#39;t miss &ldquo;this&rdquo; &mdash; caf&eacute; &#x1F600; &copy;&nbsp;2026')).toBe('Don\'t miss “this” — café 😀 © 2026');
  });

  it('keeps text that only looks like markup: "<>", an unclosed "<", an unclosed <style>', () => {
    expect(htmlToText('a <> b < c')).toBe('a <> b < c');
    expect(htmlToText('<style>never closed')).toBe(' never closed');
  });

  it('answers exactly what the tag-stripping regex answers, for any mix of tags, closers and text', () => {
    fc.assert(fc.property(html, (input) => htmlToText(input) === byRegex(input)), { numRuns: 2000 });
  });

  it('stops once it has the text asked for, whatever the length of the HTML', () => {
    const newsletter = '<p>Newsletter paragraph with <b>markup</b> and text.</p>\r\n'.repeat(100_000);
    const start = htmlToText(newsletter, 1000);
    expect(start.length).toBeGreaterThanOrEqual(1000);
    expect(start.length).toBeLessThan(1100);
    expect(htmlToText(newsletter).startsWith(start)).toBe(true);
    // Text with no tag at all is cut where asked.
    expect(htmlToText('plain words '.repeat(1000), 50)).toBe('plain words '.repeat(1000).slice(0, 50));
  });

  it('skips markup of any length on the way: the text after a megabyte-long inline image is reached', () => {
    const image = `<img src="data:image/png;base64,${'A'.repeat(3_000_000)}">`;
    expect(htmlToText(`<html><body>${image}<p>Your code is 482913</p></body></html>`, 100).trim()).toBe('Your code is 482913');
  });

  it('gives, when bounded, the start of what it gives unbounded (text without entities)', () => {
    const noEntities = fc.array(piece.filter((p) => !p.includes('&')), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(noEntities, fc.nat({ max: 60 }), (input, max) => {
        const full = htmlToText(input);
        const bounded = htmlToText(input, max);
        return full.startsWith(bounded) && bounded.length >= Math.min(max, full.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a wall of unclosed "<style" and "<" (once quadratic: seconds per megabyte)', () => {
    expect(htmlToText('<style'.repeat(200_000)).length).toBe(6 * 200_000);
    expect(htmlToText(`${'<'.repeat(300_000)}x`)).toBe(`${'<'.repeat(300_000)}x`);
    expect(htmlToText('<style>'.repeat(200_000))).toBe(' '.repeat(200_000));
  });
});

describe('snippetOfText', () => {
  it('reads past the invisible padding newsletters put after their preview text', () => {
    const padded = `Big news inside${'\u200c\u00a0'.repeat(150)}\u034f\u00ad\ufeffHello Ann, here it is.`;
    expect(snippetOfText(padded)).toBe('Big news inside Hello Ann, here it is.');
  });
});

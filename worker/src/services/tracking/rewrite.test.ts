import { describe, expect, it } from 'vitest';
import { addTracking, linkTargets, MAX_TRACKED_URL_BYTES } from './rewrite';

describe('tracking rewrite', () => {
  const html = `<html><body><p><a href="https://shop.test/a?x=1&amp;y=2">A</a> <a class=c href='http://b.test/'>B</a>
<a href=https://c.test/bare>C</a> <a href="mailto:x@y.test">mail</a> <a href="#top">top</a> <a name="n">n</a>
<A HREF="https://shop.test/a?x=1&amp;y=2">again</A></p></body></html>`;

  it('finds http(s) link targets, decoding entities, each once', () => {
    expect(linkTargets(html)).toEqual(['https://shop.test/a?x=1&y=2', 'http://b.test/', 'https://c.test/bare']);
  });

  it('leaves links longer than MAX_TRACKED_URL_BYTES alone: tracked, they would pass Cloudflare\'s 16 KB URL limit', () => {
    const longest = `https://long.test/${'é'.repeat((MAX_TRACKED_URL_BYTES - 18) / 2)}`;
    expect(new TextEncoder().encode(longest).byteLength).toBe(MAX_TRACKED_URL_BYTES);
    const tooLong = `${longest}x`;
    expect(linkTargets(`<a href="${longest}">a</a><a href="${tooLong}">b</a>`)).toEqual([longest]);
  });

  it('rewrites only those links and adds the pixel before </body>', () => {
    const links = new Map([
      ['https://shop.test/a?x=1&y=2', 'https://t.test/c/1?q=a&b'],
      ['http://b.test/', 'https://t.test/c/2'],
      ['https://c.test/bare', 'https://t.test/c/3'],
    ]);
    const out = addTracking(html, links, 'https://t.test/o/px');
    expect(out).toContain('<a href="https://t.test/c/1?q=a&amp;b">A</a>');
    expect(out).toContain(`<a class=c href="https://t.test/c/2">B</a>`);
    expect(out).toContain('<a href="https://t.test/c/3">C</a>');
    expect(out).toContain('<A HREF="https://t.test/c/1?q=a&amp;b">again</A>');
    expect(out).toContain('<a href="mailto:x@y.test">mail</a> <a href="#top">top</a> <a name="n">n</a>');
    expect(out).toMatch(/<img src="https:\/\/t\.test\/o\/px" width="1" height="1" alt=""[^>]*><\/body><\/html>$/);
  });

  it('appends the pixel to a fragment without <body>', () => {
    expect(addTracking('<p>hi</p>', new Map(), 'https://t/o')).toMatch(/^<p>hi<\/p><img src="https:\/\/t\/o"/);
  });
});

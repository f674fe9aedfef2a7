import { describe, expect, it } from 'vitest';
import { linkParts } from '../src/lib/text-links';

describe('linkParts (clickable links in the Text view)', () => {
  it('makes http(s) URLs links, leaving trailing punctuation and everything else as text', () => {
    expect(linkParts('See https://example.org/a?b=1. Or (http://x.test/path), then mailto:a@b.test')).toEqual([
      { text: 'See ' },
      { text: 'https://example.org/a?b=1', url: 'https://example.org/a?b=1' },
      { text: '. Or (' },
      { text: 'http://x.test/path', url: 'http://x.test/path' },
      { text: '), then mailto:a@b.test' },
    ]);
  });

  it('never makes a link of another scheme, and loses no text', () => {
    const text = 'javascript:alert(1) data:text/html,x ftp://f.test <https://ok.test> end';
    const parts = linkParts(text);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.filter((p) => p.url).map((p) => p.url)).toEqual(['https://ok.test']);
  });
});

import { describe, expect, it } from 'vitest';
import { looksLikeHtml } from './looks-like-html';

describe('looksLikeHtml', () => {
  it.each([
    ['<p>Let’s meet at 2pm.</p>'],
    ['Hello<br>world'],
    ['Hello<br/>world'],
    ['<!DOCTYPE html><title>x</title>'],
    ['Read <a href="https://example.com">this</a> first'],
    ['Some <strong>bold</strong> words'],
    ['<div\n  class="x">multi-line tag</div>'],
    ['<TABLE><TR><TD>upper case</TD></TR></TABLE>'],
  ])('takes %j as HTML', (body) => {
    expect(looksLikeHtml(body)).toBe(true);
  });

  it.each([
    ['This is the email body in plain text.'],
    ['if 2 < 3 and 5 > 4 then'],
    ['Write to Bob <bob@example.com> or <alice@example.org>'],
    ['Generics like List<String> and Map<K, V>'],
    ['a <-> b, x <= y'],
    ['<pandas> are not an element'],
    ['<brand new> idea'],
    [''],
  ])('takes %j as plain text', (body) => {
    expect(looksLikeHtml(body)).toBe(false);
  });
});

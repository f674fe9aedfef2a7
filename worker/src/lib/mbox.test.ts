import { describe, expect, it } from 'vitest';
import { latin1Encode } from './bytes';
import { isMbox, splitMbox } from './mbox';

const text = (b: Uint8Array) => new TextDecoder('latin1').decode(b);

describe('mbox', () => {
  it('recognises an mbox by its leading "From " line', () => {
    expect(isMbox(latin1Encode('From a@b Mon Mar  2 10:00:00 2026\nSubject: x\n\nbody\n'))).toBe(true);
    expect(isMbox(latin1Encode('From: a@b\nSubject: x\n\nbody\n'))).toBe(false);
  });

  it('splits messages, drops separators and the blank line between messages', () => {
    const data = latin1Encode('From a Mon\nSubject: 1\n\none\n\nFrom b Tue\nSubject: 2\n\ntwo\n');
    expect(splitMbox(data).map(text)).toEqual(['Subject: 1\n\none\n', 'Subject: 2\n\ntwo\n']);
  });

  it('undoes one level of >From quoting (mboxrd) and keeps 8-bit bytes', () => {
    const data = latin1Encode('From a Mon\r\nSubject: q\r\n\r\n>From here\r\n>>From deeper\r\ncaf\xe9\r\n');
    const [message] = splitMbox(data);
    expect(text(message!)).toBe('Subject: q\r\n\r\nFrom here\r\n>From deeper\r\ncaf\xe9\r\n');
  });

  it('does not split on "From " inside a line', () => {
    const data = latin1Encode('From a Mon\nSubject: s\n\nQuote: From me\n');
    expect(splitMbox(data)).toHaveLength(1);
  });
});

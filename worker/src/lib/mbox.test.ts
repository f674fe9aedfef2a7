import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, latin1Decode, latin1Encode } from './bytes';
import { isMbox, mboxEntry, splitMbox } from './mbox';

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

  it('undoes quoting only at the start of a line: not after a bare CR', () => {
    const [message] = splitMbox(latin1Encode('From a Mon\nSubject: q\n\nx\r>From y\n'));
    expect(text(message!)).toBe('Subject: q\n\nx\r>From y\n');
  });

  it('does not split on "From " inside a line', () => {
    const data = latin1Encode('From a Mon\nSubject: s\n\nQuote: From me\n');
    expect(splitMbox(data)).toHaveLength(1);
  });
});

describe('mboxEntry', () => {
  const entry = (raw: string, from = 'a@sender.test', at = Date.UTC(2026, 10, 29, 7, 3, 5)) => text(concat(mboxEntry(from, at, latin1Encode(raw))));

  it('writes the separator line, the message, and a blank line; a message without a final newline gets one', () => {
    expect(entry('Subject: x\n\nbody\n')).toBe('From a@sender.test Sun Nov 29 07:03:05 2026\nSubject: x\n\nbody\n\n');
    expect(entry('Subject: x\r\n\r\nbody')).toBe('From a@sender.test Sun Nov 29 07:03:05 2026\nSubject: x\r\n\r\nbody\n\n');
    expect(entry('x\n', '', Date.UTC(2026, 0, 5))).toBe('From MAILER-DAEMON Mon Jan  5 00:00:00 2026\nx\n\n');
    expect(entry('x\n', 'two words@x')).toMatch(/^From MAILER-DAEMON /);
  });

  it('quotes every line that reads >*From with one more >, and nothing else', () => {
    expect(entry('From the top\nFrom here\n>From there\n>>From deeper\n From not\nx From not\n\rFrom not a line\n')).toBe(
      'From a@sender.test Sun Nov 29 07:03:05 2026\n>From the top\n>From here\n>>From there\n>>>From deeper\n From not\nx From not\n\rFrom not a line\n\n',
    );
  });

  it('reads back, through the importer, byte for byte: any bytes, ending in a newline, one message or many', () => {
    const line = fc.oneof(fc.constantFrom('From x', '>From y', '>>From z', 'From', '', '\r', 'F', '>'), fc.string({ unit: 'binary-ascii', maxLength: 12 }), fc.uint8Array({ maxLength: 12 }).map(latin1Decode));
    const message = fc.array(line, { minLength: 1, maxLength: 12 }).map((lines) => `Subject: s\n${lines.join('\n')}\n`);
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 4 }), (messages) => {
        const mbox = concat(messages.flatMap((m) => mboxEntry('a@b', 0, latin1Encode(m))));
        expect(splitMbox(mbox).map(latin1Decode)).toEqual(messages);
      }),
      { numRuns: 300 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { latin1Encode } from './bytes';
import { readHeaderBlock, withoutFields } from './header-block';

const bytes = (s: string) => new TextEncoder().encode(s) as Uint8Array<ArrayBuffer>;
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('readHeaderBlock', () => {
  it('lists every field with its unfolded value and byte range, duplicates included', () => {
    const raw = bytes('From: a@example.com\r\nSubject: one\r\n two\r\nfrom : b@example.com\r\nX-U: ü\r\n\r\nFrom: body@example.com\r\n');
    const block = readHeaderBlock(raw);
    expect(block.problems).toEqual([]);
    expect(block.fields.map((f) => [f.name, f.value])).toEqual([
      ['from', 'a@example.com'],
      ['subject', 'one two'],
      ['from', 'b@example.com'],
      ['x-u', 'ü'],
    ]);
    expect(text(raw.subarray(block.fields[1]!.start, block.fields[1]!.end))).toBe('Subject: one\r\n two\r\n');
    expect(text(raw.subarray(block.bodyStart))).toBe('From: body@example.com\r\n');
  });

  it('reads bare-LF messages the same way', () => {
    const block = readHeaderBlock(bytes('From: a@example.com\nSender: b@example.com\n\nbody'));
    expect(block.fields.map((f) => f.name)).toEqual(['from', 'sender']);
    expect(block.bodyStart).toBe('From: a@example.com\nSender: b@example.com\n\n'.length);
  });

  it('reports what makes a block ambiguous', () => {
    expect(readHeaderBlock(bytes('X-A: b\rFrom: c@example.com\r\nFrom: a@example.com\r\n\r\n')).problems).toEqual(['line 1 holds a bare CR or NUL']);
    expect(readHeaderBlock(bytes('From: a@example.com\0\r\n\r\n')).problems).toEqual(['line 1 holds a bare CR or NUL']);
    expect(readHeaderBlock(bytes('From: a@example.com\r\n, c@example.com\r\n\r\n')).problems).toEqual(['line 2 is not a header field']);
    expect(readHeaderBlock(bytes(' From: c@example.com\r\nFrom: a@example.com\r\n\r\n')).problems).toEqual(['line 1 continues a field that does not exist']);
    expect(readHeaderBlock(bytes('From sender@example.com Mon Mar  2 10:00:00 2026\r\nFrom: a@example.com\r\n\r\n')).problems).toEqual(['line 1 is not a header field']);
  });
});

describe('withoutFields', () => {
  it('removes the named fields with their continuation lines and keeps every other byte', () => {
    const raw = latin1Encode('From: a@example.com\r\nBcc: x@example.com,\r\n\ty@example.com\r\nSubject: \xe9t\xe9\r\nBCC: z@example.com\r\n\r\nBcc: in the body\r\n');
    const out = withoutFields(raw, new Set(['bcc']));
    expect(new TextDecoder('latin1').decode(out)).toBe('From: a@example.com\r\nSubject: \xe9t\xe9\r\n\r\nBcc: in the body\r\n');
  });

  it('returns the same array when there is nothing to remove', () => {
    const raw = bytes('From: a@example.com\r\n\r\nbody');
    expect(withoutFields(raw, new Set(['bcc']))).toBe(raw);
  });
});

import { describe, expect, it } from 'vitest';
import { smtpDataBytes } from './data';

const text = (s: string) => new TextDecoder().decode(smtpDataBytes(new TextEncoder().encode(s)));

describe('smtpDataBytes', () => {
  it('doubles a leading dot on any line and ends with CRLF.CRLF', () => {
    expect(text('.hidden\r\nok\r\n..two\r\n')).toBe('..hidden\r\nok\r\n...two\r\n.\r\n');
  });

  it('turns bare LF into CRLF and adds the missing final line break', () => {
    expect(text('a\nb')).toBe('a\r\nb\r\n.\r\n');
    expect(text('a\r\n.\nb\r\n')).toBe('a\r\n..\r\nb\r\n.\r\n');
  });

  it('leaves 8-bit bytes alone', () => {
    const raw = Uint8Array.from([0xc3, 0xa9, 13, 10]);
    expect([...smtpDataBytes(raw)]).toEqual([0xc3, 0xa9, 13, 10, 46, 13, 10]);
  });
});

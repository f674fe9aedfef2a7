import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractVerification } from '.';
import { MAX_CANDIDATES } from './code';
import { findCodeWords, hasCodeWord } from './keywords';

const text = (body: string, subject = 'Hello') => extractVerification({ subject, text: body, html: null });
const html = (body: string, subject = 'Hello') => extractVerification({ subject, text: null, html: body });

describe('verification codes', () => {
  it('finds a code after its keyword, with a high confidence', () => {
    const found = text('Your verification code is 482913.');
    expect(found.code).toBe('482913');
    expect(found.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('finds a code before its keyword ("123456 is your code")', () => {
    expect(text('', '551203 is your Acme login code').code).toBe('551203');
  });

  it('joins grouped digits into the code a person types', () => {
    expect(text('Your security code: 123 456').code).toBe('123456');
    expect(text('Ihr Sicherheitscode: 12 34 56').code).toBe('123456');
  });

  it('finds codes glued to CJK keywords', () => {
    expect(text('验证码123456，请勿泄露').code).toBe('123456');
    expect(text('認証コード：004512').code).toBe('004512');
  });

  it('ignores prices, dates, phone numbers and order numbers even next to the word code', () => {
    expect(text('Your code was sent. Order #558812, total $1299, call 555-0199-2211.').code).toBeNull();
    expect(text('Your code expires on 2026-05-12 at 10:30.').code).toBeNull();
    expect(text('Enter the code we texted to +1 (415) 555-0132.').code).toBeNull();
  });

  it('ignores promo, zip and error codes', () => {
    expect(text('Use promo code SAVE2026 today.').code).toBeNull();
    expect(text('Please enter your zip code 94105 to continue.').code).toBeNull();
    expect(text('The job failed with error code 50113.').code).toBeNull();
    expect(text('Use code WELCOME10 for 10% off.').code).toBeNull();
  });

  it('never reads a code out of a URL', () => {
    expect(text('Your code is ready: https://example.org/c?token=77881234').code).toBeNull();
  });

  it('finds nothing, cheaply, in mail without any code or sign-in word', () => {
    expect(text('Lunch at 12:30? Room 4120.', 'Lunch')).toEqual({ code: null, link: null, confidence: null });
  });

  it('lets a strong code word further up outweigh a weak one nearer the code', () => {
    // "code" right above only makes the standalone token likely (0.72); "verification code" a line
    // earlier makes it near certain (0.92).
    const found = text('Your verification code is below. Keep this code private.\n\n482913');
    expect(found.code).toBe('482913');
    expect(found.confidence).toBe(0.92);
    expect(text('Keep this code private.\n\n482913').confidence).toBe(0.72);
  });

  it('reads a text made of nothing but codes and code words, up to the size cap', () => {
    const wall = 'Your verification code is 482913, your code: 482913. '.repeat(400);
    expect(text(wall, 'Your code')).toMatchObject({ code: '482913', confidence: 0.97 });
    const html = `<p>${'Your verification code is <b>482913</b>. Enter the code 482913 to sign in.</p>\n<p>'.repeat(3800)}</p>`;
    expect(extractVerification({ subject: 'Your code', text: null, html })).toMatchObject({ code: '482913' });
  });

  it('scores the first MAX_CANDIDATES code-shaped tokens of a text and no more', () => {
    // Invoice numbers, far from any code word: candidates that score nothing.
    const figures = (n: number) => Array.from({ length: n }, (_, i) => `Invoice ${10_001 + i}`).join('\n\n\n');
    const codeAfter = (n: number) => `${figures(n)}\n\n\nYour verification code is 482913.`;
    expect(text(codeAfter(MAX_CANDIDATES - 1)).code).toBe('482913');
    expect(text(codeAfter(MAX_CANDIDATES)).code).toBeNull();
    // The subject and each body are texts of their own.
    expect(text(figures(MAX_CANDIDATES), 'Your verification code is 482913').code).toBe('482913');
  });

  it('lowers the confidence when two different codes compete', () => {
    const found = text('Your verification code: 111222\nYour backup verification code: 333444');
    expect(found.code).not.toBeNull();
    expect(found.confidence).toBeLessThan(0.7);
  });
});

describe('verification links', () => {
  it('picks the confirm button, not the logo, privacy or unsubscribe links', () => {
    const found = html(
      '<a href="https://a.example/"><img src="logo.png" alt="Acme"></a><p>Confirm your email:</p>' +
        '<a href="https://a.example/confirm?t=abcdefabcdefabcdefabcdef">Confirm email</a>' +
        '<a href="https://a.example/privacy">Privacy</a><a href="https://a.example/unsubscribe?u=1">Unsubscribe</a>',
    );
    expect(found.link).toBe('https://a.example/confirm?t=abcdefabcdefabcdefabcdef');
  });

  it('never picks an unsubscribe link, whatever it says', () => {
    expect(html('<a href="https://a.example/unsubscribe/confirm?t=abcdefabcdefabcdefabcdef">Confirm unsubscribe</a>').link).toBeNull();
  });

  it('finds a magic link in plain text from the line above it', () => {
    expect(text('Click below to sign in:\n\nhttps://a.example/magic/abcdefghijklmnopqrstuvwxyz.\n').link).toBe('https://a.example/magic/abcdefghijklmnopqrstuvwxyz');
  });

  it('decodes HTML entities in hrefs', () => {
    expect(html('<a href="https://a.example/verify?u=1&amp;t=abcdefabcdefabcdefabcdef">Verify</a>').link).toBe('https://a.example/verify?u=1&t=abcdefabcdefabcdefabcdef');
  });

  it('reports no link for ordinary links ("View your order")', () => {
    expect(html('<p>Thanks for your order!</p><a href="https://shop.example/orders/1">View your order</a>', 'Order confirmed').link).toBeNull();
  });

  it('ignores javascript: and mailto: links', () => {
    expect(html('<a href="javascript:alert(1)">Verify now</a><a href="mailto:x@example.org">Confirm</a>').link).toBeNull();
  });
});

describe('the cheap look for a code word', () => {
  it('agrees with findCodeWords on any text made of code words, false prefixes and filler', () => {
    const pieces = ['code', 'Code', 'verification code', 'promo code', 'zip code', 'pin', 'spin', '验证码', 'коде', 'код', ' ', '\n', 'x', '482913', '-', 'otp'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 12 }), (parts) => {
        const t = parts.join('');
        expect(hasCodeWord(t)).toBe(findCodeWords(t).length > 0);
      }),
      { numRuns: 2000 },
    );
  });
});

/**
 * Finds the one-time code in a piece of text: candidate tokens (digits, grouped digits, short
 * upper-case alphanumerics) scored by how close they sit to a code word, minus what makes a number
 * a price, a date, a phone or an order number.
 */
import { CURRENCY, DECOY_CONTEXT, findCodeWords, type KeywordHit } from './keywords';

export interface CodeCandidate {
  /** The code as a person types it: grouping spaces and dashes between digit groups removed. */
  code: string;
  score: number;
}

// Letters of scripts with word spaces block a token; CJK characters do not ("验证码123456").
const NOT_AFTER = '(?<![\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}_])';
const NOT_BEFORE = '(?![\\p{Script=Latin}\\p{Script=Cyrillic}\\p{Script=Greek}\\p{N}_])';
const CANDIDATE = new RegExp(
  `${NOT_AFTER}(?:\\d{3}[ -]\\d{3}(?![ -]?\\d)|\\d{2} \\d{2} \\d{2}(?! ?\\d)|\\d{4,8}|(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{3,4}-[A-Z0-9]{3,4}|(?=[A-Z0-9]*\\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{5,10})${NOT_BEFORE}`,
  'gu',
);

// Characters that continue a number (phone, date, time, amount) around a token on the same line.
const NUMBER_GLUE = /[\d().+\-/:,·' ]/;
const PROMO_AFTER = /\b(?:off|discount|checkout|save|sale|coupon|promo|deal|free shipping)\b|%|rabatt|descuento|réduction|скидк|折|割引|할인/i;
const UNIT_AFTER = /^\s?(?:%|kg|km|mb|gb|px|items?|pcs|points?|pts|miles|usd|eur|元|円|원|руб|zł|€|\$)/i;

/**
 * How many code-shaped tokens of one text are scored. A code sits near the top of the mail that
 * carries it, and a text with more candidates than this before its code is a newsletter, a receipt
 * or a table of numbers, not a code mail; scoring every one would make a text of figures cost CPU
 * on every delivery for nothing.
 */
export const MAX_CANDIDATES = 30;

/** Scores the first MAX_CANDIDATES candidates in `text`; `inSubject` gives a small bonus (codes put there are deliberate). */
export function scoreCodes(text: string, inSubject: boolean): CodeCandidate[] {
  const words = findCodeWords(text);
  if (words.length === 0) return [];
  const out: CodeCandidate[] = [];
  let seen = 0;
  for (const m of text.matchAll(CANDIDATE)) {
    if (++seen > MAX_CANDIDATES) break;
    const start = m.index;
    const end = start + m[0].length;
    if (overlapsWord(words, start, end)) continue;
    if (/\d/.test(m[0]) && partOfLongerNumber(text, start, end)) continue;
    const closeness = keywordScore(text, words, start, end);
    if (closeness === 0) continue;
    const alnum = /[A-Z]/.test(m[0]);
    // Letters-and-digits tokens (SKUs, model numbers) need a code word right next to them, or to
    // stand alone on the line under one.
    if (alnum && closeness < 7) continue;
    const score = closeness + (inSubject ? 1 : 0) - decoyPenalty(text, start, end, m[0]);
    if (score > 0) out.push({ code: normalise(m[0]), score });
  }
  return out;
}

function normalise(token: string): string {
  return /^\d{2,3}[ -]\d{2,3}(?: \d{2})?$/.test(token) ? token.replace(/[ -]/g, '') : token;
}

/** A token glued to more digits by separators is part of a phone number, date, time or amount. */
function partOfLongerNumber(text: string, start: number, end: number): boolean {
  const extend = (from: number, step: 1 | -1) => {
    let i = from;
    let spaces = 0;
    while (i >= 0 && i < text.length && NUMBER_GLUE.test(text[i]!)) {
      if (/\d/.test(text[i]!)) return true;
      spaces = text[i] === ' ' ? spaces + 1 : 0;
      if (spaces > 1) return false;
      i += step;
    }
    return false;
  };
  // A sentence's full stop ("Your code is 123456.") is not a decimal point.
  const after = text[end] === '.' || text[end] === ',' ? (/\d/.test(text[end + 1] ?? '') ? end : -1) : end;
  return extend(start - 1, -1) || (after >= 0 && extend(after, 1));
}

/**
 * How far before a token (in characters of the text) a code word may sit and still claim it. The
 * scores below allow at most 300 characters once whitespace runs are collapsed; this bounds the
 * characters read per token when long runs of whitespace sit between.
 */
const MAX_REACH = 2_000;
/** How far after a token a code word may sit ("123456 is your code"). */
const MAX_REACH_AFTER = 30;

/** Index of the first word ending at or after `offset` (words are sorted and never overlap). */
function firstWordEndingFrom(words: KeywordHit[], offset: number): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid]!.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function overlapsWord(words: KeywordHit[], start: number, end: number): boolean {
  const w = words[firstWordEndingFrom(words, start + 1)];
  return w !== undefined && w.start < end;
}

// What may surround a code that stands alone on its line ("Your code:\n\n  482913.").
const LINE_DECORATION = /[\s:：.。!！*"'“”«»【】[\]()]/;

/** Nothing but decoration between the token and the ends of its line. */
function standsAlone(text: string, start: number, end: number): boolean {
  for (let i = start - 1; i >= 0 && text[i] !== '\n'; i--) if (!LINE_DECORATION.test(text[i]!)) return false;
  for (let i = end; i < text.length && text[i] !== '\n'; i++) if (!LINE_DECORATION.test(text[i]!)) return false;
  return true;
}

/** How strongly a code word claims this token: 0 (none near) to 10 (right before it). */
function keywordScore(text: string, words: KeywordHit[], start: number, end: number): number {
  // Tokens that overlap a word are skipped before this, so this is the first word after the token.
  const firstAfter = firstWordEndingFrom(words, start + 1);
  let best = 0;
  for (let i = firstAfter; i < words.length && words[i]!.start - end <= MAX_REACH_AFTER; i++) {
    const w = words[i]!;
    const between = text.slice(end, w.start);
    // "123456 is your verification code", "123456 是您的验证码".
    if (!/[.,;!?。，；！？\n]/.test(between)) best = Math.max(best, w.strong ? 9 : 7);
  }
  // Walking back from the token each word is further away, and a further word of the same strength
  // never scores more: after the nearest strong word nothing can, after the nearest weak word only
  // a strong one. That keeps a text full of codes and code words linear.
  let standalone: boolean | undefined;
  let seenWeak = false;
  for (let i = firstAfter - 1; i >= 0 && best < 10; i--) {
    const w = words[i]!;
    if (start - w.end > MAX_REACH) break;
    if (!w.strong && seenWeak) continue;
    const between = text.slice(w.end, start);
    const gap = between.replace(/\s+/g, ' ').length;
    if (gap > 300) break;
    let score = 0;
    // "code: 123456", "code is 123456", or the code on its own line under "Your code:".
    if (gap <= 24 && !/[.!?。！？]\s/.test(between)) score = w.strong ? 10 : 8;
    else if ((standalone ??= standsAlone(text, start, end))) score = w.strong ? 9 : 7;
    else if (gap <= (w.strong ? 80 : 60) && !/\n\s*\n|[.!?。！？]\s/.test(between)) score = w.strong ? 8 : 5;
    else if (gap <= 120 && !/\n\s*\n/.test(between)) score = w.strong ? 6 : 4;
    best = Math.max(best, score);
    if (w.strong) break;
    seenWeak = true;
  }
  return best;
}

/** Subtracts for the signs of a number that is not a code. */
function decoyPenalty(text: string, start: number, end: number, token: string): number {
  // The 32 characters before the token, on its line.
  const window = text.slice(Math.max(0, start - 32), start);
  const before = window.slice(window.lastIndexOf('\n') + 1);
  const after = text.slice(end, end + 12);
  let penalty = 0;
  // Only the words right before count: "Order #12345", "Total: 1234", "Call 0800 …".
  const near = before.split(/[.;!?。！？]/).at(-1) ?? '';
  if (DECOY_CONTEXT.test(near) && !findCodeWords(near).some((w) => w.strong)) penalty += 8;
  if (/#\s*$|\bno\.?\s*$|№\s*$/i.test(before)) penalty += 6;
  if (CURRENCY.test(before.slice(-4)) || UNIT_AFTER.test(after)) penalty += 10;
  // "Use code WELCOME10 at checkout for 10% off": a promotion, whatever word introduced it.
  const rest = (text.slice(end, end + 60).split(/[.!?。！？\n]/)[0] ?? '');
  if (PROMO_AFTER.test(rest)) penalty += 6;
  if (/^(?:19|20)\d{2}$/.test(token)) penalty += 4;
  if (/^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$/.test(token)) penalty += 4;
  return penalty;
}

/**
 * Verification codes and sign-in links, found without AI when a message is stored: the one-time
 * code ("Your code is 482913", "验证码：482913"), the primary confirmation or magic link, and how sure
 * we are. Pure: text in, answer out, so every entry (ingest, import, tests) gets the same result.
 */
import { scoreCodes, type CodeCandidate } from './code';
import { readHtml } from './html';
import { hasCodeWord, LINK_CONTEXT, LINK_ACTION } from './keywords';
import { pickLink, textLinks, type LinkCandidate } from './link';

export interface VerificationInput {
  subject: string | null;
  text: string | null;
  html: string | null;
}

export interface Verification {
  code: string | null;
  link: string | null;
  /** 0–1: how sure the strongest finding is; null when nothing was found. */
  confidence: number | null;
}

export const NO_VERIFICATION: Verification = { code: null, link: null, confidence: null };

// Codes and links sit near the top; reading megabytes of a newsletter would only find decoys.
const MAX_TEXT_CHARS = 20_000;
const MAX_HTML_CHARS = 300_000;
/** A code needs at least this score (a code word close by, no decoy signs) to be reported. */
const CODE_THRESHOLD = 7;

const URLS = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;

/** Replaces URLs with spaces, so digits in a link's query string are never taken for a code. */
const withoutUrls = (text: string) => text.replace(URLS, (url) => ' '.repeat(url.length));

export function extractVerification(input: VerificationInput): Verification {
  const subject = (input.subject ?? '').slice(0, 500);
  const text = input.text?.slice(0, MAX_TEXT_CHARS) ?? null;
  const html = input.html?.slice(0, MAX_HTML_CHARS) ?? null;
  // Most mail has no code: a cheap look for any code word or sign-in word before parsing HTML.
  const haystack = `${subject}\n${text ?? ''}\n${html ?? ''}`;
  if (!hasCodeWord(haystack) && !LINK_CONTEXT.test(haystack) && !LINK_ACTION.test(haystack)) return NO_VERIFICATION;

  const fromHtml = html ? readHtml(html) : null;
  const bodies = [text, fromHtml?.text.slice(0, MAX_TEXT_CHARS)].filter((b): b is string => !!b);

  const code = bestCode([...scoreCodes(withoutUrls(subject), true), ...bodies.flatMap((b) => scoreCodes(withoutUrls(b), false))]);
  const links: LinkCandidate[] = [...(fromHtml?.links ?? []), ...(text ? textLinks(text) : [])];
  const link = pickLink(links, subject);

  const confidences = [code ? codeConfidence(code) : 0, link ? linkConfidence(link.score) : 0];
  const confidence = Math.max(...confidences);
  return { code: code?.code ?? null, link: link?.href ?? null, confidence: confidence > 0 ? round(confidence) : null };
}

interface RankedCode extends CodeCandidate {
  /** Another, different code scored nearly as well. */
  contested: boolean;
}

/** Adds up the evidence per distinct code (the same code in subject and body counts more). */
function bestCode(candidates: CodeCandidate[]): RankedCode | null {
  const byCode = new Map<string, number>();
  for (const c of candidates) byCode.set(c.code, Math.max(byCode.get(c.code) ?? 0, c.score) + (byCode.has(c.code) ? 0.5 : 0));
  const ranked = [...byCode.entries()].sort((a, b) => b[1] - a[1]);
  const [top, runnerUp] = ranked;
  if (!top || top[1] < CODE_THRESHOLD) return null;
  return { code: top[0], score: top[1], contested: runnerUp !== undefined && runnerUp[1] >= top[1] - 1 };
}

function codeConfidence(code: RankedCode): number {
  const base = code.score >= 10 ? 0.97 : code.score >= 9 ? 0.92 : code.score >= 8 ? 0.85 : 0.72;
  return code.contested ? base * 0.6 : base;
}

function linkConfidence(score: number): number {
  return score >= 11 ? 0.95 : score >= 9 ? 0.88 : score >= 7 ? 0.78 : 0.65;
}

const round = (n: number) => Math.round(n * 100) / 100;

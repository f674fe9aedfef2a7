/**
 * Picks the primary sign-in / confirmation link: the one whose label, URL or surrounding words say
 * "verify", "confirm", "sign in"…, never an unsubscribe, legal, help or logo link.
 */
import { DECOY_CONTEXT, LINK_ACTION, LINK_NEGATIVE, LINK_URL_ACTION } from './keywords';

export interface LinkCandidate {
  href: string;
  label: string;
  context: string;
  imageOnly: boolean;
}

export interface ScoredLink {
  href: string;
  score: number;
}

/** The score a link needs to be reported. */
export const LINK_THRESHOLD = 6;

// The link to act on comes early; a newsletter's three hundredth link is not it.
const MAX_LINKS = 80;

/** How many characters before a URL its label is looked for in. */
const LABEL_WINDOW = 600;

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`\])}]+/gi;

/** Links of a plain-text body: each URL with the words on its line (or the line above) as its label. */
export function textLinks(text: string): LinkCandidate[] {
  const out: LinkCandidate[] = [];
  for (const m of text.matchAll(URL_IN_TEXT)) {
    // Only the first links are ever scored (see pickLink).
    if (out.length === MAX_LINKS) break;
    const href = m[0].replace(/[.,;:!?'"]+$/, '');
    const lineStart = text.lastIndexOf('\n', m.index - 1) + 1;
    // The label is the sentence leading up to the URL ("Reset your password: https://…"), or the
    // line above when the URL stands alone ("Click the link below to sign in:\n\nhttps://…").
    // Its last 120 characters are kept, so a long line is read only from LABEL_WINDOW back.
    let label = lastSentence(text.slice(Math.max(lineStart, m.index - LABEL_WINDOW), m.index));
    if (!label) {
      const previous = text.slice(Math.max(0, lineStart - LABEL_WINDOW), lineStart).trimEnd();
      label = lastSentence(previous.slice(previous.lastIndexOf('\n') + 1));
    }
    out.push({ href, label: label.slice(-120), context: text.slice(Math.max(0, m.index - 240), m.index), imageOnly: false });
  }
  return out;
}

const lastSentence = (line: string) => (line.split(/[.!?。！？](?:\s|$)/).filter((s) => s.trim()).at(-1) ?? '').trim();

/** `subjectSaysAction`: the subject itself asks to confirm / sign in, which backs up weaker links. */
// Longer than any real sign-in link; keeps a tracking monster out of the mail row.
const MAX_LINK_CHARS = 4096;

export function scoreLink(link: LinkCandidate, subjectSaysAction = false): ScoredLink | null {
  if (link.href.length > MAX_LINK_CHARS) return null;
  let url: URL;
  try {
    url = new URL(link.href);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const where = `${url.hostname}${url.pathname}${url.search}`;
  const label = link.label.slice(0, 200);
  if (LINK_NEGATIVE.test(label) || LINK_NEGATIVE.test(`${url.pathname}${url.search}`)) return null;
  let score = 0;
  if (LINK_ACTION.test(label)) score += 6;
  if (LINK_URL_ACTION.test(where)) score += 3;
  if (LINK_ACTION.test(link.context)) score += 2;
  if (subjectSaysAction) score += 1;
  // One-time links carry a long random token in the path or query.
  if (/[A-Za-z0-9_-]{20,}/.test(`${url.pathname}${url.search}`) || /[?&](?:token|code|key|t|otp)=/i.test(url.search)) score += 2;
  if (DECOY_CONTEXT.test(label)) score -= 4;
  // A bare homepage or a logo is never the link to act on.
  if (url.pathname.replace(/\/+$/, '') === '' && !url.search) score -= 5;
  if (link.imageOnly) score -= 3;
  return score > 0 ? { href: link.href, score } : null;
}

/** The best-scoring link at or above the threshold; the first one wins a tie. */
export function pickLink(candidates: LinkCandidate[], subject: string): ScoredLink | null {
  let best: ScoredLink | null = null;
  const subjectSaysAction = LINK_ACTION.test(subject);
  for (const candidate of candidates.slice(0, MAX_LINKS)) {
    const scored = scoreLink(candidate, subjectSaysAction);
    if (scored && scored.score >= LINK_THRESHOLD && (!best || scored.score > best.score)) best = scored;
  }
  return best;
}

/**
 * Precision and recall of verification extraction over the test sets, each message built as real
 * MIME and parsed by the same parser ingest uses: corpus.ts (written with the extractor) and
 * holdout.ts (written afterwards, never tuned against). The README reports these figures.
 */
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/services/parse';
import { extractVerification } from '../../src/services/verification';
import { CASES, type Case } from './corpus';
import { HOLDOUT } from './holdout';
import { caseToMime } from './mime';

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}

const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0 });

/** One slot (code or link) of one message: a right answer, a wrong one, a miss, or a correct null. */
function count(t: Tally, expected: string | null, got: string | null) {
  if (got !== null && got === expected) t.tp++;
  else {
    if (got !== null) t.fp++;
    if (expected !== null) t.fn++;
  }
}

const precision = (t: Tally) => (t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp));
const recall = (t: Tally) => (t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn));
const round = (n: number) => Math.round(n * 1000) / 1000;

async function evaluate(cases: Case[], offset: number) {
  const codes = tally();
  const links = tally();
  const misses: string[] = [];
  for (const [i, c] of cases.entries()) {
    const parsed = await parseMessage(caseToMime(c, offset + i));
    expect(parsed.parseError, c.name).toBeNull();
    const found = extractVerification(parsed);
    count(codes, c.code, found.code);
    count(links, c.link, found.link);
    if (found.code !== c.code || found.link !== c.link) misses.push(`${c.name}: expected ${c.code}/${c.link}, got ${found.code}/${found.link}`);
    // A finding always comes with a confidence; nothing found means no confidence.
    expect(found.confidence === null, c.name).toBe(found.code === null && found.link === null);
  }
  const all = { tp: codes.tp + links.tp, fp: codes.fp + links.fp, fn: codes.fn + links.fn };
  return {
    figures: {
      messages: cases.length,
      codes: { precision: round(precision(codes)), recall: round(recall(codes)), ...codes },
      links: { precision: round(precision(links)), recall: round(recall(links)), ...links },
      overall: { precision: round(precision(all)), recall: round(recall(all)), ...all },
    },
    misses,
  };
}

describe('verification extraction test set', () => {
  it('has at least 40 messages in several languages, HTML-only ones, subject codes and decoys', () => {
    const every = [...CASES, ...HOLDOUT];
    expect(every.length).toBeGreaterThanOrEqual(40);
    expect(every.filter((c) => c.html !== undefined && c.text === undefined).length).toBeGreaterThanOrEqual(10);
    expect(every.filter((c) => c.code === null && c.link === null).length).toBeGreaterThanOrEqual(10);
    expect(every.filter((c) => c.code !== null && c.subject.includes(c.code)).length).toBeGreaterThanOrEqual(2);
    expect(new Set(every.map((c) => c.name)).size).toBe(every.length);
    const htmlOnly = every.filter((c) => c.html !== undefined && c.text === undefined).length;
    const decoys = every.filter((c) => c.code === null && c.link === null).length;
    console.log(`test set: ${every.length} messages, ${htmlOnly} HTML-only, ${decoys} with nothing to extract`);
  });

  it('reaches precision ≥ 0.95 and recall ≥ 0.9 over every message, codes and links together', async () => {
    const dev = await evaluate(CASES, 0);
    const held = await evaluate(HOLDOUT, CASES.length);
    const every = await evaluate([...CASES, ...HOLDOUT], 0);
    const report = (label: string, r: typeof dev) => `${label}: ${JSON.stringify(r.figures)}${r.misses.map((m) => `\n  ${m}`).join('')}`;
    console.log(`verification extraction\n${report('corpus', dev)}\n${report('holdout', held)}\n${report('all', every)}`);
    const why = every.misses.join('\n');
    expect(every.figures.overall.precision, why).toBeGreaterThanOrEqual(0.95);
    expect(every.figures.overall.recall, why).toBeGreaterThanOrEqual(0.9);
    expect(every.figures.codes.precision, why).toBeGreaterThanOrEqual(0.95);
    expect(every.figures.links.precision, why).toBeGreaterThanOrEqual(0.95);
  });
});

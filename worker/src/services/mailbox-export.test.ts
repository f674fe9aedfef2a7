import { describe, expect, it } from 'vitest';
import type { ExportEntry } from '../db/mailbox-export';
import { D1_READS_PER_PART, EXPORT_PART_BYTES, planPart, R2_READS_PER_PART } from './mailbox-export';

const entry = (id: number, opts: { size?: number; inR2?: boolean } = {}): ExportEntry => ({
  id,
  source: 'a@b.test',
  createdAt: 0,
  rawSize: opts.size ?? 2000,
  rawKey: opts.inR2 ? `mail/1/${id}/raw.eml` : null,
});
const ids = (count: number, make: (i: number) => ExportEntry) => Array.from({ length: count }, (_, i) => make(i + 1));
const shape = (groups: ReturnType<typeof planPart>) => groups.map((g) => `${g.inR2 ? 'r2' : 'd1'}:${g.entries.length}`);

describe('planPart: what one export part reads', () => {
  it('reads messages kept in D1 50 at a time, and each one in R2 alone, in order', () => {
    const entries = [...ids(120, (i) => entry(i)), entry(121, { inR2: true }), entry(122)];
    const groups = planPart(entries, 1000);
    expect(shape(groups)).toEqual(['d1:50', 'd1:50', 'd1:20', 'r2:1', 'd1:1']);
    expect(groups.flatMap((g) => g.entries.map((e) => e.id))).toEqual(entries.map((e) => e.id));
  });

  it('starts a new D1 read past 4 MiB', () => {
    expect(shape(planPart(ids(5, (i) => entry(i, { size: 1.5 * 1024 * 1024 })), 1000))).toEqual(['d1:2', 'd1:2', 'd1:1']);
  });

  it(`ends the part after ${R2_READS_PER_PART} R2 reads and after ${D1_READS_PER_PART} D1 reads, whatever the limit`, () => {
    const alternating = ids(200, (i) => entry(i, { inR2: i % 2 === 0 }));
    const r2Bound = planPart(alternating, 1000);
    expect(r2Bound.filter((g) => g.inR2)).toHaveLength(R2_READS_PER_PART);
    expect(r2Bound.flatMap((g) => g.entries)).toHaveLength(2 * R2_READS_PER_PART);

    const d1Bound = planPart(ids(3000, (i) => entry(i)), 3000);
    expect(d1Bound).toHaveLength(D1_READS_PER_PART);
    expect(d1Bound.flatMap((g) => g.entries)).toHaveLength(D1_READS_PER_PART * 50);
  });

  it('ends the part at 64 MiB, but always takes one message, however large', () => {
    const big = ids(3, (i) => entry(i, { size: 30 * 1024 * 1024, inR2: true }));
    expect(shape(planPart(big, 10))).toEqual(['r2:1', 'r2:1']);
    expect(shape(planPart([entry(1, { size: EXPORT_PART_BYTES + 1, inR2: true }), entry(2)], 10))).toEqual(['r2:1']);
    expect(planPart([], 10)).toEqual([]);
  });
});

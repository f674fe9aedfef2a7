// The guard every other test relies on to catch statements production D1 would refuse.
import { describe, expect, it } from 'vitest';
import { D1_LIMITS } from './d1-production-limits';
import { testEnv } from './helpers';

const db = testEnv.DB;
const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(',');

describe('production D1 limits in tests', () => {
  it('refuses more than 100 bound parameters, and runs 100', async () => {
    const ok = await db.prepare(`select count(*) as n from (select ${placeholders(100)})`).bind(...Array(100).fill(1)).first<{ n: number }>();
    expect(ok?.n).toBe(1);
    expect(() => db.prepare(`select ${placeholders(101)}`).bind(...Array(101).fill(1))).toThrow(/101 bound parameters/);
  });

  it('refuses a LIKE or GLOB pattern over 50 bytes, counted in UTF-8', async () => {
    const fits = '%' + 'a'.repeat(D1_LIMITS.likePatternBytes - 2) + '%';
    expect((await db.prepare('select ? like ? as m').bind('xaaa', fits).first<{ m: number }>())?.m).toBe(0);
    expect(() => db.prepare('select ? LIKE ?').bind('x', fits + 'a')).toThrow(/LIKE\/GLOB pattern of 51 bytes/);
    expect(() => db.prepare("select 'x' glob ?").bind('é'.repeat(26))).toThrow(/pattern of 52 bytes/);
    // Only the pattern is limited, not the text it is matched against.
    await db.prepare('select ? like ?').bind('a'.repeat(1000), '%a%').first();
  });

  it('refuses a statement over 100 KB, a value over 2 MB, and an insert binding more than a row holds', () => {
    expect(() => db.prepare(`select 1 ${' '.repeat(D1_LIMITS.statementBytes)}`)).toThrow(/statement is 100009 bytes/);
    expect(() => db.prepare('select length(?)').bind('x'.repeat(D1_LIMITS.valueBytes + 1))).toThrow(/bound value of 2000001 bytes/);
    const half = 'x'.repeat(D1_LIMITS.rowBytes / 2);
    expect(() => db.prepare('insert into t values (?, ?, ?)').bind(half, half, 'x')).toThrow(/insert binding 2000001 bytes/);
  });
});

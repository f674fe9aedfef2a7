/**
 * Cloudflare's D1 refuses statements that local D1 (plain SQLite with its default limits) runs
 * happily, so code can pass every local test and fail for users in production. This puts D1's
 * documented per-statement limits (developers.cloudflare.com/d1/platform/limits) in front of the
 * local binding for the whole test suite: a statement over a limit fails the test that built it.
 */
export const D1_LIMITS = {
  boundParameters: 100,
  statementBytes: 100_000,
  likePatternBytes: 50,
  valueBytes: 2_000_000,
  rowBytes: 2_000_000,
} as const;

const encoder = new TextEncoder();
const installed = Symbol('d1ProductionLimits');

function byteLength(value: unknown): number {
  if (typeof value === 'string') return encoder.encode(value).byteLength;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return value.byteLength;
  return 8;
}

/** Zero-based indexes of the parameters used as a LIKE or GLOB pattern (`col LIKE ?`). */
function patternParameters(sql: string): number[] {
  const indexes: number[] = [];
  let seen = 0;
  for (let i = 0; i < sql.length; i++) {
    if (sql[i] !== '?') continue;
    if (/\b(like|glob)\s*$/i.test(sql.slice(Math.max(0, i - 12), i))) indexes.push(seen);
    seen++;
  }
  return indexes;
}

/** The error a statement over a production limit gets, or null when production D1 would run it. */
export function productionLimitError(sql: string, values: readonly unknown[]): string | null {
  if (byteLength(sql) > D1_LIMITS.statementBytes) return `statement is ${byteLength(sql)} bytes (D1 allows ${D1_LIMITS.statementBytes})`;
  if (values.length > D1_LIMITS.boundParameters) return `${values.length} bound parameters (D1 allows ${D1_LIMITS.boundParameters})`;
  for (const index of patternParameters(sql)) {
    const size = byteLength(values[index]);
    if (size > D1_LIMITS.likePatternBytes) return `LIKE/GLOB pattern of ${size} bytes (D1 allows ${D1_LIMITS.likePatternBytes})`;
  }
  const sizes = values.map(byteLength);
  const largest = Math.max(0, ...sizes);
  if (largest > D1_LIMITS.valueBytes) return `a bound value of ${largest} bytes (D1 allows ${D1_LIMITS.valueBytes})`;
  // A row holds at most what one statement binds for it; summing an INSERT's values overestimates a
  // multi-row insert, which only makes the check stricter.
  const total = sizes.reduce((a, b) => a + b, 0);
  if (/^\s*insert\b/i.test(sql) && total > D1_LIMITS.rowBytes) return `an insert binding ${total} bytes (D1 rows hold ${D1_LIMITS.rowBytes})`;
  return null;
}

/** Makes every statement prepared on `db` (and every other D1 binding in this isolate) obey production's limits. */
export function enforceD1ProductionLimits(db: D1Database): void {
  const databaseProto = Object.getPrototypeOf(db) as D1Database & { [installed]?: true };
  // setup runs once per test file, and files may share an isolate: wrap only once.
  if (databaseProto[installed]) return;
  databaseProto[installed] = true;
  const statementProto = Object.getPrototypeOf(db.prepare('select 1')) as D1PreparedStatement & { statement: string };
  const bind = statementProto.bind;
  const prepare = databaseProto.prepare;
  const check = (sql: string, values: readonly unknown[]) => {
    const problem = productionLimitError(sql, values);
    if (problem) throw new Error(`D1_ERROR: over a production D1 limit: ${problem}: ${sql.slice(0, 200)}`);
  };
  statementProto.bind = function (this: D1PreparedStatement & { statement: string }, ...values: unknown[]) {
    check(this.statement, values);
    return bind.apply(this, values);
  };
  databaseProto.prepare = function (this: D1Database, sql: string) {
    check(sql, []);
    return prepare.call(this, sql);
  };
}

/** How one environment variable (always a string, or unset) becomes a typed config value. */
import { z } from 'zod';

/** Accepts `a,b`, `a b` or a JSON array `["a","b"]`, as users write lists in wrangler.toml or the dashboard. */
export const list = listSplitOn(/[\s,]+/);

/**
 * A list of passwords: `a,b`, one per line, or a JSON array. Spaces belong to a password: split on
 * them, the passphrase "correct horse battery staple" would have made each of its words a password.
 */
export const passwordList = listSplitOn(/\s*[,\r\n]+\s*/);

function listSplitOn(separator: RegExp) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = (raw ?? '').trim();
      if (!text.startsWith('[')) return text.split(separator).filter(Boolean);
      try {
        return z.array(z.string()).parse(JSON.parse(text)).map((s) => s.trim()).filter(Boolean);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'expected a JSON array of strings or a comma-separated list' });
        return z.NEVER;
      }
    });
}

export const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .pipe(z.number().int().min(min).max(max));

export const bool = (fallback: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : /^(1|true|yes|on)$/i.test(v.trim())));

/** Unset and empty (as the pinned test bindings and the dashboard leave it) both mean "not set". */
export const optional = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

/** One of `values`; unset or blank (a var left empty in the dashboard) is `fallback`, not an error. */
export const choice = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number], error?: string) =>
  optional.pipe(z.enum(values, error ? { error } : undefined).default(fallback));

/** A URL; unset or blank is `fallback`. */
export const urlOr = (fallback: string) => optional.pipe(z.url().default(fallback));

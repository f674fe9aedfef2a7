/**
 * Substring and suffix matches that work for any length of text. Cloudflare's D1 refuses a LIKE or
 * GLOB pattern over 50 bytes ("LIKE or GLOB pattern too complex"), so a search box that builds
 * `%…%` patterns fails in production for longer queries while passing locally. instr() and substr()
 * have no such limit, and no wildcards to escape. lower() on both sides keeps LIKE's
 * ASCII case-insensitivity.
 */
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/** `column` contains `text`, ignoring ASCII case. */
export function containsText(column: SQLWrapper, text: string): SQL {
  return sql`instr(lower(${column}), lower(${text})) > 0`;
}

/** `column` ends with `suffix`, ignoring ASCII case. */
export function endsWithText(column: SQLWrapper, suffix: string): SQL {
  return sql`substr(lower(${column}), -length(${suffix})) = lower(${suffix})`;
}

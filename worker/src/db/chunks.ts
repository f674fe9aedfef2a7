/**
 * `items` in consecutive groups of at most `size`: how multi-row inserts and long id lists are cut
 * so that no statement binds more than D1's 100 parameters (each caller states its own size, from
 * what one row binds; worker/test/d1-production-limits.ts holds every tested statement to the limit).
 */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

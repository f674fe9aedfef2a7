/** LIKE pattern for a literal substring: `%`, `_` and `\\` in the query match themselves (use ESCAPE '\\'). */
export function containsPattern(query: string): string {
  return `%${query.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

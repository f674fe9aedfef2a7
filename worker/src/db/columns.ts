/** Column types shared by the schema files. */
import type { Bytes } from '../lib/bytes';
import { customType } from 'drizzle-orm/sqlite-core';

/**
 * Bytes in a D1 column declared BLOB. D1's wire format sends a BLOB parameter as a JSON array of
 * numbers (a 50 KB message becomes a 50,000-element array, encoded and parsed on every write and
 * read), so bytes that are valid UTF-8 without NUL (nearly all mail) are stored as TEXT instead:
 * SQLite keeps the very same bytes, the column's BLOB affinity keeps the value as given, and the round
 * trip is exact. Anything else (8-bit legacy charsets, binary) stays a BLOB. Reads accept both, and
 * rows written before either way.
 */
export const bytes = customType<{ data: Bytes; driverData: string | ArrayBuffer | Bytes | number[] }>({
  dataType: () => 'blob',
  // Prepared statements (db/prepared.ts) hand null through the encoder too.
  toDriver: (value) => (value === null ? value : (asUtf8Text(value) ?? value)),
  fromDriver: (value) =>
    typeof value === 'string' ? (utf8Encoder.encode(value) as Bytes) : value instanceof Uint8Array ? value : new Uint8Array(value),
});

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading byte-order mark in the text, so it survives the round trip.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as a string, if re-encoding that string as UTF-8 gives exactly these bytes back. */
function asUtf8Text(value: Bytes): string | null {
  // NUL is valid UTF-8, but text with NULs is not safe in every SQLite text function.
  if (value.includes(0)) return null;
  try {
    return strictUtf8.decode(value);
  } catch {
    return null;
  }
}

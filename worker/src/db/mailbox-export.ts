/** Reads for exporting a mailbox as mbox: which messages a part holds, then their raw bytes in groups. */
import { and, asc, eq, gt, inArray, isNotNull } from 'drizzle-orm';
import type { Bytes } from '../lib/bytes';
import type { Db } from './client';
import type { Folder } from './folders';
import { mailContents, mails } from './schema';

export interface ExportEntry {
  id: number;
  /** The envelope sender, for the mbox separator line. */
  source: string;
  createdAt: number;
  rawSize: number;
  /** Where the raw message lives when it is not in its D1 row. */
  rawKey: string | null;
}

/** Up to `limit` messages after `afterId`, oldest first (the order they arrived), without their bytes. */
export function exportEntries(db: Db, addressId: number, opts: { folder: Folder | null; afterId: number; limit: number }): Promise<ExportEntry[]> {
  return db
    .select({ id: mails.id, source: mails.source, createdAt: mails.createdAt, rawSize: mails.rawSize, rawKey: mailContents.rawKey })
    .from(mails)
    .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
    .where(and(eq(mails.addressId, addressId), opts.folder ? eq(mails.folder, opts.folder) : undefined, gt(mails.id, opts.afterId)))
    .orderBy(asc(mails.id))
    .limit(opts.limit);
}

/** The raw bytes kept in D1 rows, by mail id. */
export async function inlineRaws(db: Db, addressId: number, ids: number[]): Promise<Map<number, Bytes>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: mails.id, raw: mailContents.raw })
    .from(mails)
    .innerJoin(mailContents, eq(mailContents.mailId, mails.id))
    .where(and(eq(mails.addressId, addressId), inArray(mails.id, ids), isNotNull(mailContents.raw)));
  return new Map(rows.flatMap((r) => (r.raw ? [[r.id, r.raw] as const] : [])));
}

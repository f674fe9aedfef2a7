/**
 * A mailbox as an mbox file (mboxrd), for backups and for moving to another mail program. A mailbox
 * can hold more than one Worker invocation should serve, so the export comes in parts: each holds up
 * to `limit` messages, EXPORT_PART_BYTES of them and R2_READS_PER_PART messages stored in R2 (every
 * invocation has a budget of storage calls), and names the cursor of the next. The bytes stream as
 * they are read, so a part needs no more memory than its largest message.
 */
import { exportEntries, inlineRaws, type ExportEntry } from '../db/mailbox-export';
import type { AddressRow } from '../db/schema';
import { AppError } from '../lib/errors';
import { mboxEntry } from '../lib/mbox';
import { readStoredBytes } from './blobs';
import type { Deps } from './deps';
import type { Folder } from './folders';

export const EXPORT_PART_BYTES = 64 * 1024 * 1024;
export const R2_READS_PER_PART = 40;
/** Messages kept in D1 are read this many (or this many bytes) at a time. */
const INLINE_READ_ROWS = 50;
const INLINE_READ_BYTES = 4 * 1024 * 1024;

export interface MailboxExport {
  body: ReadableStream<Uint8Array>;
  /** Messages in this part (one deleted while it streams is left out). */
  count: number;
  /** Where the next part starts; null when this is the last. */
  nextCursor: string | null;
}

export async function exportMailbox(deps: Deps, mailbox: AddressRow, opts: { folder: Folder | null; cursor?: string; limit: number }): Promise<MailboxExport> {
  const afterId = parseCursor(opts.cursor);
  const candidates = await exportEntries(deps.db, mailbox.id, { folder: opts.folder, afterId, limit: opts.limit + 1 });
  const part = partOf(candidates, opts.limit);
  const last = part[part.length - 1];
  return { body: mboxStream(deps, mailbox.id, part), count: part.length, nextCursor: last && part.length < candidates.length ? String(last.id) : null };
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^[1-9]\d{0,15}$/.test(cursor)) throw new AppError('validation_failed', 'cursor must be the Edgemail-Next-Cursor of the previous part.', 'cursor');
  return Number(cursor);
}

/** The leading entries that fit one part; always at least one, however large. */
function partOf(entries: ExportEntry[], limit: number): ExportEntry[] {
  let bytes = 0;
  let fromR2 = 0;
  const part: ExportEntry[] = [];
  for (const entry of entries.slice(0, limit)) {
    const inR2 = entry.rawKey !== null;
    if (part.length > 0 && (bytes + entry.rawSize > EXPORT_PART_BYTES || (inR2 && fromR2 === R2_READS_PER_PART))) break;
    part.push(entry);
    bytes += entry.rawSize;
    if (inR2) fromR2++;
  }
  return part;
}

function mboxStream(deps: Deps, addressId: number, entries: ExportEntry[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next === entries.length) return controller.close();
      const group = readGroup(entries, next);
      next += group.length;
      const inline = await inlineRaws(deps.db, addressId, group.filter((e) => e.rawKey === null).map((e) => e.id));
      for (const entry of group) {
        const raw = entry.rawKey === null ? inline.get(entry.id) : await readStoredBytes(deps.blobs, { raw: null, rawKey: entry.rawKey });
        // Absent: deleted since the part was chosen.
        if (raw) for (const piece of mboxEntry(entry.source, entry.createdAt, raw)) controller.enqueue(piece);
      }
    },
  });
}

/** The entries read together from `start`: one message in R2, or a run of those in D1. */
function readGroup(entries: ExportEntry[], start: number): ExportEntry[] {
  const first = entries[start]!;
  if (first.rawKey !== null) return [first];
  let end = start;
  let bytes = 0;
  while (end < entries.length && entries[end]!.rawKey === null && end - start < INLINE_READ_ROWS && (end === start || bytes + entries[end]!.rawSize <= INLINE_READ_BYTES)) {
    bytes += entries[end]!.rawSize;
    end++;
  }
  return entries.slice(start, end);
}

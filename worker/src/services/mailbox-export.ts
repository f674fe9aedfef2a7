/**
 * A mailbox as an mbox file (mboxrd), for backups and for moving to another mail program. A mailbox
 * can hold more than one Worker invocation should serve, so the export comes in parts: each holds up
 * to `limit` messages, EXPORT_PART_BYTES of them, R2_READS_PER_PART messages stored in R2 and
 * D1_READS_PER_PART reads of those kept in D1 (every invocation has a budget of storage calls), and
 * names the cursor of the next. The bytes stream read by read: one message from R2, or up to 4 MiB
 * of those in D1, is in memory at a time.
 */
import { exportEntries, inlineRaws, type ExportEntry } from '../db/mailbox-export';
import type { AddressRow } from '../db/schema';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { mboxEntry } from '../lib/mbox';
import type { Deps } from './deps';
import type { Folder } from './folders';

export const EXPORT_PART_BYTES = 64 * 1024 * 1024;
export const R2_READS_PER_PART = 40;
/** Reads of message bytes kept in D1 per part; with the list and the credential, within the 50 a Workers Free invocation may make. */
export const D1_READS_PER_PART = 40;
/** Messages kept in D1 are read this many (or this many bytes) at a time. */
const INLINE_READ_ROWS = 50;
const INLINE_READ_BYTES = 4 * 1024 * 1024;

export interface MailboxExport {
  body: ReadableStream<Uint8Array>;
  /** Messages chosen for this part (one deleted while it streams is left out of the file). */
  count: number;
  /** Where the next part starts; null when this is the last. */
  nextCursor: string | null;
}

/** Messages read together: one kept in R2, or a run of those kept in D1. */
export type ReadGroup = { inR2: boolean; entries: ExportEntry[] };

export async function exportMailbox(deps: Deps, mailbox: AddressRow, opts: { folder: Folder | null; cursor?: string; limit: number }): Promise<MailboxExport> {
  const afterId = parseCursor(opts.cursor);
  const candidates = await exportEntries(deps.db, mailbox.id, { folder: opts.folder, afterId, limit: opts.limit + 1 });
  const groups = planPart(candidates, opts.limit);
  const part = groups.flatMap((g) => g.entries);
  const last = part[part.length - 1];
  return { body: mboxStream(deps, mailbox.id, groups), count: part.length, nextCursor: last && part.length < candidates.length ? String(last.id) : null };
}

function parseCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  if (!/^[1-9]\d{0,15}$/.test(cursor)) throw new AppError('validation_failed', 'cursor must be the Edgemail-Next-Cursor of the previous part.', 'cursor');
  return Number(cursor);
}

/** The reads of the next part, in order: the leading `limit` entries, or fewer if a budget ends it. */
export function planPart(entries: ExportEntry[], limit: number): ReadGroup[] {
  return partOf(readGroups(entries.slice(0, limit)));
}

/** The entries in the groups they are read in, in order. */
function readGroups(entries: ExportEntry[]): ReadGroup[] {
  const groups: ReadGroup[] = [];
  let run: ExportEntry[] = [];
  let runBytes = 0;
  const endRun = () => {
    if (run.length) groups.push({ inR2: false, entries: run });
    run = [];
    runBytes = 0;
  };
  for (const entry of entries) {
    if (entry.rawKey !== null) {
      endRun();
      groups.push({ inR2: true, entries: [entry] });
      continue;
    }
    if (run.length === INLINE_READ_ROWS || (run.length > 0 && runBytes + entry.rawSize > INLINE_READ_BYTES)) endRun();
    run.push(entry);
    runBytes += entry.rawSize;
  }
  endRun();
  return groups;
}

/** The leading groups that fit one part; always at least one, however large. */
function partOf(groups: ReadGroup[]): ReadGroup[] {
  let bytes = 0;
  let r2Reads = 0;
  let d1Reads = 0;
  const part: ReadGroup[] = [];
  for (const group of groups) {
    const size = group.entries.reduce((n, e) => n + e.rawSize, 0);
    const full = group.inR2 ? r2Reads === R2_READS_PER_PART : d1Reads === D1_READS_PER_PART;
    if (part.length > 0 && (full || bytes + size > EXPORT_PART_BYTES)) break;
    part.push(group);
    bytes += size;
    if (group.inR2) r2Reads++;
    else d1Reads++;
  }
  return part;
}

function mboxStream(deps: Deps, addressId: number, groups: ReadGroup[]): ReadableStream<Uint8Array> {
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const group = groups[next++];
      if (!group) return controller.close();
      for (const [entry, raw] of await readBytes(deps, addressId, group)) {
        for (const piece of mboxEntry(entry.source, entry.createdAt, raw)) controller.enqueue(piece);
      }
    },
  });
}

/** A group's messages with their bytes; one deleted since the part was chosen is left out. */
async function readBytes(deps: Deps, addressId: number, group: ReadGroup): Promise<[ExportEntry, Bytes][]> {
  if (group.inR2) {
    const entry = group.entries[0]!;
    const object = await deps.blobs.get(entry.rawKey!);
    if (object) return [[entry, new Uint8Array(await object.arrayBuffer())]];
    // A deletion removes the row first, then the object; if the row is still there, R2 lost it.
    console.warn(JSON.stringify({ level: 'warn', event: 'export_blob_missing', mailbox: addressId, mailId: entry.id, key: entry.rawKey }));
    return [];
  }
  const raws = await inlineRaws(deps.db, addressId, group.entries.map((e) => e.id));
  return group.entries.flatMap((entry) => {
    const raw = raws.get(entry.id);
    return raw ? [[entry, raw] as [ExportEntry, Bytes]] : [];
  });
}

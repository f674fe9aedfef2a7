/** Full-text search over one mailbox through the `mails_fts` trigram index. */
import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import type { AddressIdRef } from './addresses';
import type { Db } from './client';
import { mailboxToken, mailsFts } from './fts';
import { containsText } from './contains';
import { mails, type MailRow } from './schema';
import type { Folder } from './folders';

export interface SearchHit {
  mail: MailRow;
  snippet: string;
}

type SearchOptions = { addressId: AddressIdRef; query: string; folder?: Folder; limit: number; snippetTokens?: number };

/**
 * `mailbox : "<token>" AND <rest>` for FTS5. A mailbox given by a subquery (`addressIdNamed`) gets its
 * token built in SQL, the same text as `mailboxToken`; no such mailbox makes a token nothing carries.
 */
function mailboxMatch(addressId: AddressIdRef, rest: string): string | SQL {
  if (typeof addressId === 'number') return `mailbox : "${mailboxToken(addressId)}" AND ${rest}`;
  return sql`('mailbox : "mbx' || printf('%010d', coalesce(${addressId}, 0)) || 'x" AND ' || ${rest})`;
}

export async function searchMailbox(db: Db, opts: SearchOptions): Promise<SearchHit[]> {
  return searchQuery(db, opts);
}

/** The query as one FTS5 phrase (every character literal, whatever operators it contains) in any text column. */
const inIndexedText = (query: string) => `{subject sender recipients body} : "${query.replace(/"/g, '""')}"`;

/**
 * The ids of a mailbox's messages whose indexed text (subject, sender, recipients, body) contains
 * `query`, as a subquery; null under three characters, which the trigram index cannot match.
 */
export function indexedMatchIds(addressId: number, query: string): SQL | null {
  if ([...query].length < 3) return null;
  const match = mailboxMatch(addressId, inIndexedText(query));
  return sql`select rowid from ${sql.identifier('mails_fts')} where ${sql.identifier('mails_fts')} MATCH ${match}`;
}

/**
 * The search as a query not yet run (so it can join a batch). Trigram MATCH needs three characters;
 * shorter queries (two CJK characters, say) fall back to LIKE on the same index table, still scoped
 * to the mailbox.
 */
function matcherOf(opts: Pick<SearchOptions, 'addressId' | 'query'>) {
  const useIndex = [...opts.query].length >= 3;
  // The mailbox token narrows the match inside FTS5, before any row is joined.
  const matcher = useIndex
    ? sql`${sql.identifier('mails_fts')} MATCH ${mailboxMatch(opts.addressId, inIndexedText(opts.query))}`
    : or(containsText(mailsFts.subject, opts.query), containsText(mailsFts.sender, opts.query), containsText(mailsFts.recipients, opts.query), containsText(mailsFts.body, opts.query));
  return { useIndex, matcher };
}

/**
 * How many messages the search matches, counted up to `cap` (a common word in a million-message
 * mailbox would otherwise be counted hit by hit): the exact number below it, `cap` at or above.
 */
export async function countMatches(db: Db, opts: Omit<SearchOptions, 'limit' | 'snippetTokens'>, cap: number): Promise<number> {
  const { matcher } = matcherOf(opts);
  const hits = db
    .select({ one: sql`1` })
    .from(mailsFts)
    .innerJoin(mails, eq(mails.id, mailsFts.rowid))
    .where(and(matcher, eq(mails.addressId, opts.addressId), opts.folder ? eq(mails.folder, opts.folder) : undefined))
    .limit(cap)
    .as('hits');
  const row = await db.select({ n: sql<number>`count(*)` }).from(hits).get();
  return row?.n ?? 0;
}

export function searchQuery(db: Db, opts: SearchOptions) {
  const { useIndex, matcher } = matcherOf(opts);
  // snippet() needs a MATCH; the LIKE path cuts the body around the first occurrence instead.
  const snippet = useIndex
    ? sql<string>`snippet(mails_fts, 3, '«', '»', '…', ${Math.min(64, Math.max(1, Math.trunc(opts.snippetTokens ?? 16)))})`
    : sql<string>`substr(${mailsFts.body}, max(1, instr(${mailsFts.body}, ${opts.query}) - 40), 120)`;
  // -1 would let snippet() pick the mailbox column; 3 is the body.
  return db
    .select({ mail: mails, snippet })
    .from(mailsFts)
    .innerJoin(mails, eq(mails.id, mailsFts.rowid))
    .where(and(matcher, eq(mails.addressId, opts.addressId), opts.folder ? eq(mails.folder, opts.folder) : undefined))
    // Ordering by the index's own rowid lets FTS5 stream newest-first and stop at the limit, instead of
    // collecting every hit of a common word before sorting.
    .orderBy(desc(mailsFts.rowid))
    .limit(opts.limit);
}

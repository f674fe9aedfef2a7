/**
 * Search indexing, off the delivery path. Storing a message also stores its search text as pending
 * (db/mail-store.ts); the message is then announced on INDEX_QUEUE (several at once where they arrive
 * together), whose consumer indexes every message of a batch in one D1 transaction, so search finds it within a second or two. Nothing is lost
 * if the announcement is: the cron sweep indexes whatever has been pending for over a minute.
 */
import { indexPending, stalePendingIds } from '../db/search-index';
import type { Deps } from './deps';
import { announce, GatheredAnnouncements, windowedAnnouncer, type KeepAlive } from './index-announcer';

/** The INDEX_QUEUE message body. */
export interface IndexMessage {
  kind: 'index';
  mailIds: number[];
}

/**
 * Hands freshly stored mail to the indexer; without a queue binding it is indexed right away. With an
 * announcer in `deps` (below), the announcement is shared with other mail instead of costing a queue
 * send of its own (index-announcer.ts).
 */
export async function scheduleIndexing(deps: Deps, mailIds: number[]): Promise<void> {
  if (!deps.indexQueue) {
    await indexPending(deps.db, mailIds);
    return;
  }
  if (deps.indexAnnouncer) deps.indexAnnouncer.add(mailIds);
  else await announce(deps.indexQueue, mailIds);
}

/** `deps` for one Email Routing delivery: its announcement is shared with the deliveries of the next moment. */
export function sharingAnnouncements(deps: Deps, keepAlive: KeepAlive): Deps {
  if (!deps.indexQueue) return deps;
  return Object.freeze({ ...deps, indexAnnouncer: windowedAnnouncer(deps.indexQueue, keepAlive) });
}

/**
 * Runs `work`, which may store several messages (a send batch, an import, a synchronous send with its
 * Sent copy), with their ids gathered and announced once when it ends, whether or not it succeeded.
 */
export async function announcingOnce<T>(deps: Deps, work: (deps: Deps) => Promise<T>): Promise<T> {
  if (!deps.indexQueue) return work(deps);
  const gathered = new GatheredAnnouncements(deps.indexQueue);
  try {
    return await work(Object.freeze({ ...deps, indexAnnouncer: gathered }));
  } finally {
    await gathered.flush();
  }
}

/** The INDEX_QUEUE consumer: the mail ids of every message in the batch, indexed together. */
export async function indexQueued(deps: Deps, bodies: readonly unknown[]): Promise<void> {
  const ids = bodies.flatMap((body) => {
    const mailIds = (body as Partial<IndexMessage>).mailIds;
    return Array.isArray(mailIds) ? mailIds.filter((id): id is number => Number.isSafeInteger(id)) : [];
  });
  for (let i = 0; i < ids.length; i += INDEX_CHUNK) await indexPending(deps.db, ids.slice(i, i + INDEX_CHUNK));
}

// One transaction re-indexes this many messages; big enough to amortise, small enough for D1's limits.
const INDEX_CHUNK = 500;
// A queue message normally lands within seconds; only what waited longer is the sweep's business.
const SWEEP_AFTER_MS = 60_000;
// A cron run has limited time; anything left over goes to the next run.
const SWEEP_MAX_ROUNDS = 20;

/** The cron backstop: indexes mail whose queue message was lost or failed for good. */
export async function sweepPendingIndex(deps: Deps): Promise<number> {
  let indexed = 0;
  for (let round = 0; round < SWEEP_MAX_ROUNDS; round++) {
    const ids = await stalePendingIds(deps.db, deps.clock.now() - SWEEP_AFTER_MS, INDEX_CHUNK);
    if (ids.length === 0) break;
    indexed += await indexPending(deps.db, ids);
    if (ids.length < INDEX_CHUNK) break;
  }
  return indexed;
}

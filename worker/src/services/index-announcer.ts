/**
 * Announcements of freshly stored mail on INDEX_QUEUE, shared. Each queue send costs about as much
 * CPU as the rest of a small delivery's bookkeeping (and is a billed Queues operation), so:
 * - deliveries from Email Routing that land within ANNOUNCE_WINDOW_MS of each other share one queue
 *   message: the first opens a window and, kept alive by its own `waitUntil`, sends every id gathered
 *   when the window closes; the others only add their ids. Nobody awaits a promise created by another
 *   request (workerd forbids crossing request contexts with I/O), so the others return at once;
 * - an invocation that stores many messages itself (a send queue batch, an mbox import) gathers its
 *   ids and announces them once, when it ends (`GatheredAnnouncements`). No timer: a queue batch is
 *   not finished, and the next not started, until its `waitUntil` work is.
 *
 * What this trades: if the isolate dies before the announcement, the ids gathered are not announced.
 * Their messages are stored and their search text is pending, so the cron sweep indexes them later
 * (services/search-index.ts); nothing is lost, it is found by search minutes rather than a second later.
 */
import type { IndexMessage } from './search-index';

/** `ExecutionContext.waitUntil` of the invocation that stores the mail. */
export type KeepAlive = (work: Promise<unknown>) => void;

/** Where an invocation puts the ids of mail it stored, to be announced with others' (see above). */
export interface IndexAnnouncer {
  add(mailIds: readonly number[]): void;
}

/** Long enough to gather a burst, short next to the queue's own batching (max_batch_timeout = 1 s). */
const ANNOUNCE_WINDOW_MS = 100;
// A queue message holds at most 128 KB; 2,000 ids in JSON stay far below it.
const MAX_IDS_PER_MESSAGE = 2_000;

interface OpenWindow {
  ids: number[];
}

const openWindows = new WeakMap<Queue<IndexMessage>, OpenWindow>();

/** Announces `mailIds` within the window (or alone, once the window is full). */
export function announceCoalesced(queue: Queue<IndexMessage>, mailIds: readonly number[], keepAlive: KeepAlive): void {
  const open = openWindows.get(queue);
  if (open && open.ids.length + mailIds.length <= MAX_IDS_PER_MESSAGE) {
    open.ids.push(...mailIds);
    return;
  }
  const window: OpenWindow = { ids: [...mailIds] };
  openWindows.set(queue, window);
  keepAlive(
    (async () => {
      await new Promise((resolve) => setTimeout(resolve, ANNOUNCE_WINDOW_MS));
      // Closed before sending: ids arriving while the send is in flight open the next window.
      if (openWindows.get(queue) === window) openWindows.delete(queue);
      await announce(queue, window.ids);
    })(),
  );
}

/** Shares announcements with the deliveries of the next ANNOUNCE_WINDOW_MS, kept alive by `keepAlive`. */
export function windowedAnnouncer(queue: Queue<IndexMessage>, keepAlive: KeepAlive): IndexAnnouncer {
  return { add: (mailIds) => announceCoalesced(queue, mailIds, keepAlive) };
}

/** The ids one invocation stored, announced together by `flush` when it ends. */
export class GatheredAnnouncements implements IndexAnnouncer {
  private ids: number[] = [];

  constructor(private readonly queue: Queue<IndexMessage>) {}

  add(mailIds: readonly number[]): void {
    this.ids.push(...mailIds);
  }

  async flush(): Promise<void> {
    const ids = this.ids;
    this.ids = [];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_MESSAGE) await announce(this.queue, ids.slice(i, i + MAX_IDS_PER_MESSAGE));
  }
}

/** One queue message for these ids, now. Never throws: a lost announcement only delays indexing. */
export async function announce(queue: Queue<IndexMessage>, mailIds: number[]): Promise<void> {
  try {
    await queue.send({ kind: 'index', mailIds }, { contentType: 'json' });
  } catch (err) {
    // The messages are stored and their search text pending, which the sweep picks up. Failing here
    // would make the sender retry a delivery we already hold.
    console.error(JSON.stringify({ level: 'error', event: 'index_enqueue_failed', mailIds, error: String(err) }));
  }
}

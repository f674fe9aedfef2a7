/**
 * Announcements of freshly stored mail on INDEX_QUEUE, coalesced within an isolate. Each queue send
 * costs about as much CPU as the rest of a small delivery's bookkeeping, so deliveries that land
 * within ANNOUNCE_WINDOW_MS of each other share one queue message: the first opens a window and, kept
 * alive by its own `waitUntil`, sends every id gathered when the window closes; the others only add
 * their ids. Nobody awaits a promise created by another request (workerd forbids crossing request
 * contexts with I/O), so the others return at once.
 *
 * What this trades: if the isolate dies inside the window, the ids gathered are not announced. Their
 * messages are stored and their search text is pending, so the cron sweep indexes them later
 * (services/search-index.ts); nothing is lost, it is found by search minutes rather than a second later.
 */
import type { IndexMessage } from './search-index';

/** `ExecutionContext.waitUntil` of the invocation that stores the mail. */
export type KeepAlive = (work: Promise<unknown>) => void;

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

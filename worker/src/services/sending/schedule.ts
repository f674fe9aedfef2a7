/**
 * Scheduled sending and the sweep that guarantees every stored message reaches the queue: due
 * messages move from `scheduled` to `queued` and onto SEND_QUEUE; queued messages whose hand-over
 * failed (or that no consumer took for a long time), and dispatches that died holding their message
 * (a crashed consumer, or a synchronous send whose request died), are handed over again. D1 is the source of
 * truth, so nothing depends on the scheduler's own memory surviving a restart.
 */
import { dueScheduled, nextScheduledAt, releaseScheduled, setEnqueuedAt, strandedEmails } from '../../db/emails';
import type { Deps } from '../deps';
import { STRANDED_AFTER_MS } from './accept';

const BATCH = 100;
// Stay well inside one alarm invocation; whatever is left is picked up by the next, immediate alarm.
const MAX_ROUNDS = 20;

/** Moves due and stranded messages onto the queue; returns when to run next (null: nothing waiting). */
export async function releaseDueEmails(deps: Deps): Promise<number | null> {
  const now = deps.clock.now();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const due = await dueScheduled(deps.db, now, BATCH);
    const released = await releaseScheduled(deps.db, due.map((d) => d.id), now);
    const stranded = await strandedEmails(deps.db, now - STRANDED_AFTER_MS, now, BATCH);
    const jobs = [...released, ...stranded];
    if (jobs.length === 0) break;
    try {
      await deps.outbox.enqueue(jobs.map((j) => ({ kind: 'send', id: j.publicId })));
    } catch (err) {
      // Marked as never handed over, so the retried alarm (or the hourly cron) picks them up at once.
      await setEnqueuedAt(deps.db, jobs.map((j) => j.publicId), null);
      throw err;
    }
    await setEnqueuedAt(deps.db, stranded.map((s) => s.publicId), now);
    if (due.length < BATCH && stranded.length < BATCH) break;
    if (round === MAX_ROUNDS - 1) return now;
  }
  return nextScheduledAt(deps.db);
}

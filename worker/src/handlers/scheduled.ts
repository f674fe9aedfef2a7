/**
 * The Cron Trigger entry (every 10 minutes): the search-index backstop, the sending sweep (a safety
 * net under the scheduler's alarm), webhook deliveries whose queue message was lost, expired
 * idempotency keys, then retention housekeeping.
 */
import { createDeps } from '../services/deps';
import { runHousekeeping } from '../services/housekeeping';
import { purgeExpiredIdempotencyKeys } from '../services/idempotency';
import { sweepPendingIndex } from '../services/search-index';
import { releaseDueEmails } from '../services/sending/schedule';
import { releaseOverdueDeliveries } from '../services/webhooks/emit';

export async function handleScheduled(env: Env): Promise<void> {
  const deps = createDeps(env);
  const indexed = await sweepPendingIndex(deps);
  if (indexed > 0) console.log(JSON.stringify({ level: 'warn', event: 'index_sweep', indexed }));
  const next = await releaseDueEmails(deps);
  if (next !== null) await deps.scheduler.wake(next);
  await purgeExpiredIdempotencyKeys(deps);
  await releaseOverdueDeliveries(deps);
  if (deps.config.retentionDays === 0 && deps.config.addressTtlDays === 0) return;
  const report = await runHousekeeping(deps);
  console.log(JSON.stringify({ level: 'info', event: 'housekeeping', ...report }));
}

/** The Cron Trigger entry: the sending sweep (a safety net under the scheduler's alarm), expired idempotency keys, retention housekeeping. */
import { purgeExpiredKeys } from '../db/idempotency';
import { createDeps } from '../services/deps';
import { runHousekeeping } from '../services/housekeeping';
import { releaseDueEmails } from '../services/sending/schedule';

export async function handleScheduled(env: Env): Promise<void> {
  const deps = createDeps(env);
  const next = await releaseDueEmails(deps);
  if (next !== null) await deps.scheduler.wake(next);
  await purgeExpiredKeys(deps.db, deps.clock.now(), 1000);
  if (deps.config.retentionDays === 0 && deps.config.addressTtlDays === 0) return;
  const report = await runHousekeeping(deps);
  console.log(JSON.stringify({ level: 'info', event: 'housekeeping', ...report }));
}

/** The Cron Trigger entry: the search-index backstop, then retention housekeeping. */
import { createDeps } from '../services/deps';
import { runHousekeeping } from '../services/housekeeping';
import { sweepPendingIndex } from '../services/search-index';

export async function handleScheduled(env: Env): Promise<void> {
  const deps = createDeps(env);
  const indexed = await sweepPendingIndex(deps);
  if (indexed > 0) console.log(JSON.stringify({ level: 'warn', event: 'index_sweep', indexed }));
  if (deps.config.retentionDays === 0 && deps.config.addressTtlDays === 0) return;
  const report = await runHousekeeping(deps);
  console.log(JSON.stringify({ level: 'info', event: 'housekeeping', ...report }));
}

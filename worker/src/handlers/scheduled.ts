/** The Cron Trigger entry: retention housekeeping. */
import { createDeps } from '../services/deps';
import { runHousekeeping } from '../services/housekeeping';

export async function handleScheduled(env: Env): Promise<void> {
  const deps = createDeps(env);
  if (deps.config.retentionDays === 0 && deps.config.addressTtlDays === 0) return;
  const report = await runHousekeeping(deps);
  console.log(JSON.stringify({ level: 'info', event: 'housekeeping', ...report }));
}

/** A cheap liveness check of what every request needs: the database answers. */
import { sql } from 'drizzle-orm';
import type { Deps } from './deps';

export async function databaseHealthy(deps: Pick<Deps, 'db'>): Promise<boolean> {
  try {
    await deps.db.run(sql`select 1`);
    return true;
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', event: 'health_check_failed', error: String(err) }));
    return false;
  }
}

/** Retention: deletes old mail and idle addresses in bounded batches. Off unless configured. */
import { findIdleAddressIds } from '../db/addresses';
import { findMailsOlderThan } from '../db/mails';
import { deleteAddress } from './addresses';
import type { Deps } from './deps';
import { deleteMessages } from './mailbox';

const DAY_MS = 86_400_000;
// A cron invocation has limited wall time; what is left over goes next run.
const MAX_BATCHES_PER_RUN = 10;

export interface HousekeepingReport {
  mailsDeleted: number;
  addressesDeleted: number;
}

export async function runHousekeeping(deps: Deps): Promise<HousekeepingReport> {
  const report: HousekeepingReport = { mailsDeleted: 0, addressesDeleted: 0 };
  const { retentionDays, addressTtlDays, cleanupBatchSize } = deps.config;
  const now = deps.clock.now();

  if (retentionDays > 0) {
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch++) {
      const old = await findMailsOlderThan(deps.db, now - retentionDays * DAY_MS, cleanupBatchSize);
      if (old.length === 0) break;
      const byMailbox = new Map<number, number[]>();
      for (const m of old) byMailbox.set(m.addressId, [...(byMailbox.get(m.addressId) ?? []), m.id]);
      for (const [addressId, ids] of byMailbox) report.mailsDeleted += await deleteMessages(deps, addressId, ids);
      if (old.length < cleanupBatchSize) break;
    }
  }

  if (addressTtlDays > 0) {
    const idle = await findIdleAddressIds(deps.db, now - addressTtlDays * DAY_MS, cleanupBatchSize);
    for (const id of idle) {
      await deleteAddress(deps, id);
      report.addressesDeleted++;
    }
  }
  return report;
}

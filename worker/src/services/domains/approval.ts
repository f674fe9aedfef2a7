/** The admin's approval queue: pending domains, and approving one (DKIM key, then active). */
import { activateDomain, listPendingDomainRows } from '../../db/domains';
import type { DomainRow } from '../../db/schema-accounts';
import type { Deps } from '../deps';
import { generateDkimKey, selectorFor } from '../dkim/keys';
import { forgetDomainCache, getDomain } from './registry';

export function listPendingDomains(deps: Deps) {
  return listPendingDomainRows(deps.db);
}

/**
 * Generates the domain's DKIM key pair (unless it has one) and activates it. Approving an active
 * domain without a key — one of DOMAINS — gives it its key; one that has both is left as it is.
 */
export async function approveDomain(deps: Deps, name: string): Promise<DomainRow> {
  const row = await getDomain(deps, name);
  if (row.status === 'active' && row.dkimPrivateKey) return row;
  const key = row.dkimPrivateKey && row.dkimSelector && row.dkimPublicKey
    ? { selector: row.dkimSelector, publicKey: row.dkimPublicKey, encryptedPrivateKey: row.dkimPrivateKey }
    : await generateDkimKey(deps.config.dkimEncryptionKey, row.name, selectorFor(deps.clock.now()));
  const updated = await activateDomain(deps.db, row.name, {
    now: deps.clock.now(),
    dkimSelector: key.selector,
    dkimPublicKey: key.publicKey,
    dkimPrivateKey: key.encryptedPrivateKey,
  });
  forgetDomainCache();
  if (!updated) throw new Error(`domain ${row.name} vanished during approval`);
  return updated;
}

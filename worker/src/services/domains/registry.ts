/**
 * The domains this deployment serves, read from D1. DOMAINS (config) seeds them, active and open,
 * the first time an isolate looks (and again whenever a seed is missing, so a fresh database heals
 * itself); a domain taken out of DOMAINS is closed to new addresses. An isolate keeps the list for
 * DOMAIN_CACHE_SECONDS; every write here forgets it at once.
 */
import { closeDomains, findDomainByName, insertDomain, insertSeedDomains, listDomainRows } from '../../db/domains';
import type { DomainRow } from '../../db/schema-accounts';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';

type RegistryDeps = Pick<Deps, 'db' | 'config' | 'clock'>;

let snapshot: { at: number; seeds: string; rows: DomainRow[] } | null = null;

/** Drops the isolate's copy; the next lookup reads D1. */
export function forgetDomainCache(): void {
  snapshot = null;
}

/** Every domain row, seeds included. */
export async function allDomains(deps: RegistryDeps): Promise<DomainRow[]> {
  const now = deps.clock.now();
  const seeds = deps.config.seedDomains.join(',');
  const ttl = deps.config.domainCacheSeconds * 1000;
  if (snapshot && ttl > 0 && snapshot.seeds === seeds && now - snapshot.at < ttl) return snapshot.rows;
  let rows = await listDomainRows(deps.db);
  const missing = deps.config.seedDomains.filter((d) => !rows.some((r) => r.name === d && r.status === 'active' && r.open));
  // DOMAINS is the list of open domains: one taken out of it (the example.com of a first deploy, say)
  // is closed to new addresses; the addresses it has keep their mail.
  const dropped = rows.filter((r) => r.open && !deps.config.seedDomains.includes(r.name)).map((r) => r.name);
  if (missing.length > 0 || dropped.length > 0) {
    await insertSeedDomains(deps.db, missing, now);
    await closeDomains(deps.db, dropped);
    rows = await listDomainRows(deps.db);
  }
  snapshot = { at: now, seeds, rows };
  return rows;
}

/** The part after the last `@`, lowercase. */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).trim().toLowerCase();
}

export async function findDomain(deps: RegistryDeps, name: string): Promise<DomainRow | null> {
  const wanted = name.trim().toLowerCase();
  return (await allDomains(deps)).find((d) => d.name === wanted) ?? null;
}

export async function getDomain(deps: RegistryDeps, name: string): Promise<DomainRow> {
  const row = await findDomainFresh(deps, name);
  if (!row) throw new AppError('domain_not_found', `No domain ${name} here.`);
  return row;
}

/** The row straight from D1 (seeds ensured): for callers that act on it (signup, approve, DNS). */
export async function findDomainFresh(deps: RegistryDeps, name: string): Promise<DomainRow | null> {
  await allDomains(deps);
  return findDomainByName(deps.db, name.trim().toLowerCase());
}

/** True when mail for this domain is ours to receive and its addresses may send. */
export async function isActiveDomain(deps: RegistryDeps, name: string): Promise<boolean> {
  return (await findDomain(deps, name))?.status === 'active';
}

export async function activeDomainNames(deps: RegistryDeps): Promise<string[]> {
  return (await allDomains(deps)).filter((d) => d.status === 'active').map((d) => d.name);
}

/** Active domains where anyone may create a temporary address (the DOMAINS seeds). */
export async function openDomainNames(deps: RegistryDeps): Promise<string[]> {
  const rows = (await allDomains(deps)).filter((d) => d.status === 'active' && d.open);
  // Config order, so the first DOMAINS entry stays the default domain.
  const order = (name: string) => {
    const i = deps.config.seedDomains.indexOf(name);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return rows.map((d) => d.name).sort((a, b) => order(a) - order(b) || a.localeCompare(b));
}

/** Creates a domain; null when the name is taken. */
export async function createDomain(deps: RegistryDeps, input: { name: string; status: 'pending' | 'active'; createdBy: number | null }): Promise<DomainRow | null> {
  const row = await insertDomain(deps.db, { ...input, now: deps.clock.now() });
  forgetDomainCache();
  return row;
}

/** A hostname of at least two labels, each 1-63 of letters, digits and inner hyphens. */
export const DOMAIN_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

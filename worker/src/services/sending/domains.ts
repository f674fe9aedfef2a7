/**
 * "Is this one of our domains": the one question every sending rule asks, answered in one place
 * (today from DOMAINS; the accounts work moves domains into D1 and swaps the body of this helper).
 */
import type { Deps } from '../deps';

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export async function servesDomain(deps: Deps, domain: string): Promise<boolean> {
  return deps.config.domains.includes(domain.toLowerCase());
}

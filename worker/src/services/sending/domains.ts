/**
 * "Is this one of our domains": the one question every sending rule asks, answered in one place — by
 * the domain registry (D1), where a pending domain is not (yet) ours: it sends nothing and mail to it
 * is not delivered internally.
 */
import type { Deps } from '../deps';
import { domainOf, isActiveDomain } from '../domains/registry';

export { domainOf };

export async function servesDomain(deps: Deps, domain: string): Promise<boolean> {
  return isActiveDomain(deps, domain.toLowerCase());
}

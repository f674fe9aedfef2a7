/** Settling a credential that a hot read did not check before it ran (principal.ts `UnconfirmedPrincipal`). */
import { findAddressById } from '../db/addresses';
import { resolveKeyHash } from './apikeys';
import type { Deps } from './deps';
import { mailboxPrincipal, type Confirmation, type UnconfirmedPrincipal } from './principal';
import { liveAddress } from './tokens';

/** Who an address token or API key not yet checked is, from its row (401 if rotated, revoked, expired or deleted). */
export async function confirmPrincipal(deps: Deps, principal: UnconfirmedPrincipal): Promise<Confirmation> {
  if (principal.kind === 'key') return resolveKeyHash(deps, principal.hash);
  return { principal: mailboxPrincipal(liveAddress(principal.claims, await findAddressById(deps.db, principal.claims.address_id))) };
}

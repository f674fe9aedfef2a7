/**
 * Who is acting, as the services see it: resolved from a credential by the HTTP layer (API key,
 * address JWT, user session, admin password) and passed down as a plain value, so services never
 * touch HTTP. What a principal may do is decided in services/accounts/access.ts.
 */
import type { AddressRow } from '../db/schema';
import { AppError } from '../lib/errors';

export type Principal =
  | { kind: 'admin'; keyId: number | null; rateKey: string }
  | {
      kind: 'mailbox';
      addressId: number;
      address: string;
      keyId: number | null;
      rateKey: string;
      /** The address row authentication already read, so the request does not read it again. */
      row?: AddressRow;
    }
  /** A person logged in with a session token (`ems_…`). */
  | { kind: 'user'; userId: number; email: string; sessionId: number; keyId: null; rateKey: string };

export function requireAdminPrincipal(principal: Principal): void {
  if (principal.kind !== 'admin') throw new AppError('access_denied', 'This endpoint needs an admin key.');
}

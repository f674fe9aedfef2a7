/**
 * Who is acting, as the services see it: resolved from a credential by the HTTP layer (API key,
 * address JWT, admin password) and passed down as a plain value, so services never touch HTTP.
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
    };

export function requireAdminPrincipal(principal: Principal): void {
  if (principal.kind !== 'admin') throw new AppError('access_denied', 'This endpoint needs an admin key.');
}

/**
 * Who is acting, as the services see it: resolved from a credential by the HTTP layer (API key,
 * address JWT, user session, admin password) and passed down as a plain value, so services never
 * touch HTTP. What a principal may do is decided in services/accounts/access.ts.
 */
import type { AddressRow, ApiKeyRow } from '../db/schema';
import { AppError } from '../lib/errors';
import type { AddressTokenClaims } from './tokens';

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
  | { kind: 'user'; userId: number; email: string; sessionId: number; keyId: null; rateKey: string }
  /**
   * An address JWT whose signature and expiry hold but whose address row (rotation, deletion) is not
   * read yet: only for a mailbox's first page, which reads that row in the same D1 round trip as the
   * page (`listMessagesFor`). Anything else that meets it either confirms it first (`mailboxFor`) or,
   * asking for a 'mailbox' principal, refuses it.
   */
  | { kind: 'token'; claims: AddressTokenClaims; keyId: null; rateKey: string }
  /**
   * An API key (`emk_…`) whose hash is known but whose row (revocation, expiry, scope) is not read
   * yet: only on the same hot reads, which read the key in the same D1 round trip as the mailbox and
   * the data. Like `token`, it may do nothing until confirmed.
   */
  | { kind: 'key'; hash: string; keyId: null; rateKey: string };

/** A credential whose row is read with the data it asks for, and which no access rule accepts until then. */
export type UnconfirmedPrincipal = Extract<Principal, { kind: 'token' | 'key' }>;
export const isUnconfirmed = (principal: Principal): principal is UnconfirmedPrincipal => principal.kind === 'token' || principal.kind === 'key';

/**
 * What a hot read found its caller to be, once it has read the credential's row: the principal, and
 * for an API key its row (to note its use). The route settles the request with it (`settlePrincipal`).
 */
export interface Confirmation {
  principal: Principal;
  key?: ApiKeyRow;
}

/** What an address JWT is once its address row confirms it: that mailbox, and nothing else. */
export function mailboxPrincipal(row: AddressRow): Principal {
  return { kind: 'mailbox', addressId: row.id, address: row.address, keyId: null, rateKey: `jwt:${row.id}`, row };
}

export function requireAdminPrincipal(principal: Principal): void {
  if (principal.kind !== 'admin') throw new AppError('access_denied', 'This endpoint needs an admin key.');
}

/** Account rows → v1 JSON. */
import type { AddressRow } from '../../db/schema';
import type { DomainRow, SessionRow, UserRow } from '../../db/schema-accounts';
import type { DomainJson, OwnedAddressJson, UserJson } from './account-types';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function userInfo(user: UserRow): UserJson {
  return { email: user.email, name: user.name, created_at: new Date(user.createdAt).toISOString() };
}

export function ownedAddress(row: AddressRow): OwnedAddressJson {
  return { address: row.address, mail_count: row.mailCount, created_at: new Date(row.createdAt).toISOString() };
}

export function sessionInfo(row: SessionRow, currentId: number | null) {
  return {
    id: row.publicId,
    created_at: new Date(row.createdAt).toISOString(),
    expires_at: new Date(row.expiresAt).toISOString(),
    last_used_at: iso(row.lastUsedAt),
    current: row.id === currentId,
  };
}

export function domainInfo(row: DomainRow & { creatorEmail?: string | null }): DomainJson {
  return {
    id: row.id,
    domain: row.name,
    status: row.status,
    active: row.status === 'active',
    open: row.open,
    created_at: new Date(row.createdAt).toISOString(),
    creator_email: row.creatorEmail ?? null,
    approved_at: iso(row.approvedAt),
    dkim_selector: row.dkimSelector,
    dns_checked_at: iso(row.dnsCheckedAt),
    dns_verified_at: iso(row.dnsVerifiedAt),
  };
}

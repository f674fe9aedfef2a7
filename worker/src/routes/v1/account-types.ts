/**
 * JSON shapes of the accounts part of /api/v1 (inside the `data` of the envelope). Dependency-free
 * so the web UI imports them; the presenters are typed against them, and the zod schemas in
 * account-schemas.ts document the same shapes.
 */

export type PermissionName = 'manage_users' | 'manage_domains' | 'view_mailbox' | 'view_stats' | 'send_mail';

export interface UserJson {
  email: string;
  name: string;
  created_at: string;
}

export interface OwnedAddressJson {
  address: string;
  mail_count: number;
  created_at: string;
}

export interface GrantJson {
  email: string;
  domain: string;
  permissions: PermissionName[];
}

export interface MeJson {
  user: UserJson;
  session: { id: string; expires_at: string };
  addresses: OwnedAddressJson[];
  permissions: GrantJson[];
}

export interface SessionJson {
  token: string;
  token_type: 'user';
  expires_at: string;
}

export interface SignupJson extends SessionJson {
  email: string;
  name: string;
  domain: string;
  domain_status: 'pending';
  message: string;
}

export interface DomainJson {
  id: number;
  domain: string;
  status: 'pending' | 'active';
  active: boolean;
  open: boolean;
  created_at: string;
  creator_email: string | null;
  approved_at: string | null;
  dkim_selector: string | null;
  dns_checked_at: string | null;
  dns_verified_at: string | null;
}

export interface DnsRecordJson {
  type: 'MX' | 'TXT';
  name: string;
  value: string;
  priority?: number;
  purpose: 'mx' | 'spf' | 'dkim' | 'dmarc';
}

export interface DomainDnsJson {
  domain: string;
  status: 'pending' | 'active';
  records: DnsRecordJson[];
}

export interface DnsReportJson {
  domain: string;
  verified: boolean;
  checked_at: string;
  records: (DnsRecordJson & { ok: boolean; found: string[] })[];
}

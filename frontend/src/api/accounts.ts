/** Typed calls to /api/v1 for accounts: signup, log-in, domains, permissions, users. */
import type { DnsReportJson, DomainDnsJson, DomainJson, GrantJson, MeJson, SignupJson, UserJson } from '../../../worker/src/routes/v1/account-types';
import { request, type Credentials } from './client';

export type MeInfo = MeJson;
export type DomainInfo = DomainJson;
export type DomainRecords = DomainDnsJson;
export type DnsCheck = DnsReportJson;
export type GrantInfo = GrantJson;
export type UserInfo = UserJson;
export type Signed = SignupJson;
export const PERMISSION_NAMES = ['manage_users', 'manage_domains', 'view_mailbox', 'view_stats', 'send_mail'] as const;

/** v1 answers are `{ ok, data, meta }`; errors throw ApiFailure like every other call. */
async function v1<T>(path: string, init: RequestInit & { creds?: Credentials } = {}): Promise<T> {
  return (await request<{ data: T }>(`/api/v1${path}`, init)).data;
}

const body = (value: unknown) => JSON.stringify(value);
const enc = encodeURIComponent;

export const accounts = {
  signup: (creds: Credentials, input: { domain: string; email: string; password: string; name: string }) =>
    v1<Signed>('/auth/signup', { method: 'POST', body: body(input), creds }),
  login: (creds: Credentials, input: { email: string; password: string }) =>
    v1<{ token: string; expires_at: string; email: string; name: string }>('/auth/login', { method: 'POST', body: body(input), creds }),
  me: (creds: Credentials) => v1<MeInfo>('/auth/me', { creds }),
  logout: (creds: Credentials) => v1<{ logged_out: true }>('/auth/logout', { method: 'POST', creds }),
  addAddress: (creds: Credentials, input: { name?: string; domain?: string }) =>
    v1<{ address: string }>('/auth/me/addresses', { method: 'POST', body: body(input), creds }),
  domains: (creds: Credentials) => v1<DomainInfo[]>('/domains', { creds }),
  pending: (creds: Credentials) => v1<DomainInfo[]>('/domains/pending', { creds }),
  approve: (creds: Credentials, domain: string) => v1<DomainInfo>(`/domains/${enc(domain)}/approve`, { method: 'POST', creds }),
  removeDomain: (creds: Credentials, domain: string) => v1<{ domain: string }>(`/domains/${enc(domain)}`, { method: 'DELETE', creds }),
  dns: (creds: Credentials, domain: string) => v1<DomainRecords>(`/domains/${enc(domain)}/dns`, { creds }),
  verify: (creds: Credentials, domain: string) => v1<DnsCheck>(`/domains/${enc(domain)}/verify`, { method: 'POST', creds }),
  users: (creds: Credentials) => v1<UserInfo[]>('/users?limit=200', { creds }),
  grants: (creds: Credentials) => v1<GrantInfo[]>('/permissions', { creds }),
  grant: (creds: Credentials, input: { email: string; domain: string; permissions: string[] }) =>
    v1<{ granted: string[]; skipped: string[] }>('/permissions/bulk', { method: 'POST', body: body(input), creds }),
  revoke: (creds: Credentials, input: { email: string; domain: string; permissions: string[] }) =>
    v1<{ revoked: string[] }>('/permissions/revoke', { method: 'POST', body: body(input), creds }),
};

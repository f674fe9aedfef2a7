/** zod schemas (and so OpenAPI components) of the accounts part of /api/v1: auth, domains, permissions, users. */
import { z } from '@hono/zod-openapi';
import { PERMISSIONS } from '../../services/accounts/permissions';
import { ErrorEnvelope } from './schemas';

export const PermissionName = z.enum(PERMISSIONS).openapi('Permission');

export const SignupInput = z
  .object({
    domain: z.string().trim().min(1).max(253).openapi({ example: 'yourdomain.com' }),
    email: z.string().trim().min(3).max(320).openapi({ example: 'admin@yourdomain.com' }),
    password: z.string().openapi({ example: 'SecurePassword123', description: 'At least 8 characters' }),
    name: z.string().trim().max(200).default('').openapi({ example: 'Your Name' }),
  })
  .openapi('SignupInput');

export const Session = z
  .object({
    token: z.string().openapi({ description: 'The session (user) token: send it as Bearer or X-MAILAPI-TOKEN. Shown only here.' }),
    token_type: z.literal('user'),
    expires_at: z.string(),
  })
  .openapi('Session');

export const SignupResult = Session.extend({
  email: z.string(),
  name: z.string(),
  domain: z.string(),
  domain_status: z.literal('pending'),
  message: z.string(),
}).openapi('SignupResult');

export const LoginInput = z.object({ email: z.string().trim().min(3).max(320), password: z.string().max(1024) }).openapi('LoginInput');

export const User = z.object({ email: z.string(), name: z.string(), created_at: z.string() }).openapi('User');

export const Grant = z.object({ email: z.string(), domain: z.string(), permissions: z.array(PermissionName) }).openapi('Grant');

export const OwnedAddress = z
  .object({ address: z.string(), mail_count: z.number().int(), created_at: z.string() })
  .openapi('OwnedAddress');

export const Me = z
  .object({
    user: User,
    session: z.object({ id: z.string(), expires_at: z.string() }),
    addresses: z.array(OwnedAddress),
    permissions: z.array(Grant),
  })
  .openapi('Me');

export const SessionInfo = z
  .object({ id: z.string(), created_at: z.string(), expires_at: z.string(), last_used_at: z.string().nullable(), current: z.boolean() })
  .openapi('SessionInfo');

export const Domain = z
  .object({
    id: z.number().int().openapi({ description: 'What AI requests name as `domain_id`. The DOMAINS entries are 1, 2, … in order.', example: 1 }),
    domain: z.string().openapi({ example: 'newdomain.com' }),
    status: z.enum(['pending', 'active']),
    active: z.boolean(),
    open: z.boolean().openapi({ description: 'Anyone may create temporary addresses here (a DOMAINS entry).' }),
    created_at: z.string(),
    creator_email: z.string().nullable(),
    approved_at: z.string().nullable(),
    dkim_selector: z.string().nullable(),
    dns_checked_at: z.string().nullable(),
    dns_verified_at: z.string().nullable(),
  })
  .openapi('Domain');

export const DnsRecord = z
  .object({
    type: z.enum(['MX', 'TXT']),
    name: z.string().openapi({ example: 'em20261128._domainkey.newdomain.com' }),
    value: z.string(),
    priority: z.number().int().optional(),
    purpose: z.enum(['mx', 'spf', 'dkim', 'dmarc']),
  })
  .openapi('DnsRecord');

export const DomainDns = z.object({ domain: z.string(), status: z.enum(['pending', 'active']), records: z.array(DnsRecord) }).openapi('DomainDns');

export const DnsReport = z
  .object({
    domain: z.string(),
    verified: z.boolean(),
    checked_at: z.string(),
    records: z.array(DnsRecord.extend({ ok: z.boolean(), found: z.array(z.string()) })),
  })
  .openapi('DnsReport');

export const BulkPermissionsInput = z
  .object({
    email: z.string().trim().min(3).max(320).openapi({ example: 'user@domain.com' }),
    permissions: z.array(PermissionName).min(1),
    domain: z.string().trim().min(1).max(253).openapi({ example: 'domain.com' }),
  })
  .openapi('BulkPermissionsInput');

export const NewUserInput = z
  .object({ email: z.string().trim().min(3).max(320), password: z.string(), name: z.string().trim().max(200).default('') })
  .openapi('NewUserInput');

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: ErrorEnvelope } } });
export const conflict = { 409: errorResponse('Already exists (domain_exists, user_exists, address_taken)') } as const;
export const inUse = { 409: errorResponse('The domain is in use or configured (domain_in_use, domain_configured)') } as const;
export const upstream = { 502: errorResponse('The DNS resolver failed (dns_lookup_failed)') } as const;
export const unconfigured = { 503: errorResponse('A secret the operation needs is not set (not_configured)') } as const;

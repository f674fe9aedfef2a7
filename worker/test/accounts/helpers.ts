/** Accounts test plumbing: signing up, logging in, granting, and the local DNS server. */
import { inject } from 'vitest';
import { call, envWith, json, testEnv } from '../helpers';
import { adminKey, v1 } from '../v1/helpers';

export const PASSWORD = 'correct horse battery';

export interface Account {
  email: string;
  domain: string;
  token: string;
}

/** Signs up `admin@<domain>` and returns its session token. */
export async function signup(domain: string, local = 'admin', e: Env = testEnv): Promise<Account> {
  const email = `${local}@${domain}`;
  const res = await call('/api/v1/auth/signup', { method: 'POST', body: JSON.stringify({ domain, email, password: PASSWORD, name: `Owner of ${domain}` }) }, e);
  if (res.status !== 201) throw new Error(`signup ${domain}: ${res.status} ${await res.text()}`);
  return { email, domain, token: (await json(res)).data.token };
}

/** Signs up and has an admin approve the domain (DKIM key made, domain active). */
export async function activeAccount(domain: string, admin?: string): Promise<Account & { admin: string }> {
  const account = await signup(domain);
  const adminSecret = admin ?? (await adminKey());
  const res = await v1(adminSecret, `/domains/${domain}/approve`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`approve ${domain}: ${res.status} ${await res.text()}`);
  return { ...account, admin: adminSecret };
}

export async function grant(adminSecret: string, email: string, domain: string, permissions: string[]) {
  const res = await v1(adminSecret, '/permissions/bulk', { method: 'POST', body: JSON.stringify({ email, domain, permissions }) });
  if (res.status !== 201) throw new Error(`grant: ${res.status} ${await res.text()}`);
  return (await json(res)).data;
}

/** A user created by an admin on an active domain, logged in. */
export async function userOn(adminSecret: string, email: string): Promise<string> {
  const created = await v1(adminSecret, '/users', { method: 'POST', body: JSON.stringify({ email, password: PASSWORD, name: email }) });
  if (created.status !== 201) throw new Error(`user ${email}: ${created.status} ${await created.text()}`);
  return login(email);
}

export async function login(email: string, password = PASSWORD): Promise<string> {
  const res = await call('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return (await json(res)).data.token;
}

export const dnsUrl = () => inject('dnsUrl');
/** The Worker's env pointing DOH_RESOLVER_URL at the local DoH server. */
export const dohEnv = () => envWith({ DOH_RESOLVER_URL: `${dnsUrl()}/dns-query` });

/** Publishes records on the local DNS server, as a domain owner would at their DNS host. */
export async function publish(records: { type: string; name: string; value: string; priority?: number }[]) {
  const res = await fetch(`${dnsUrl()}/_records`, { method: 'PUT', body: JSON.stringify({ records }) });
  if (!res.ok) throw new Error(`publish: ${res.status}`);
}

export async function unpublish(name: string) {
  await fetch(`${dnsUrl()}/_records?name=${encodeURIComponent(name)}`, { method: 'DELETE' });
}

/** What the independent verifiers (mailauth, dkimpy) say about a raw message's DKIM signature. */
export async function verifyDkim(raw: Uint8Array): Promise<{ mailauth: { status: string; domain: string; selector: string; info: string }[]; dkimpy: { ok: boolean; log: string } }> {
  const res = await fetch(`${dnsUrl()}/_dkim-verify`, { method: 'POST', body: raw });
  if (!res.ok) throw new Error(`verify: ${res.status}`);
  return res.json() as any;
}

/** Calls with a session token on the web UI API, acting on `mailbox`. */
export function asUser(token: string, mailbox: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  headers.set('x-mailbox', mailbox);
  return call(path, { ...init, headers });
}

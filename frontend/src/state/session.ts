/**
 * What the browser remembers: the user's addresses with their tokens (localStorage, so they survive
 * a reload), the logged-in account's session token (its mailboxes are opened with it rather than a
 * JWT), the site password if the server has one, and an admin session token (sessionStorage,
 * short-lived; the admin password itself is never stored).
 */
import { computed, reactive, watch } from 'vue';
import type { Credentials } from '../api/client';

export interface SavedAddress {
  address: string;
  /** The address JWT; empty for a mailbox opened through the account session. */
  jwt: string;
  viaSession?: boolean;
}

export interface SignedInUser {
  token: string;
  email: string;
  name: string;
}

const KEYS = { addresses: 'edgemail.addresses', current: 'edgemail.current', site: 'edgemail.site', admin: 'edgemail.admin', user: 'edgemail.user' };

function read<T>(storage: Storage, key: string, fallback: T): T {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export const session = reactive({
  addresses: read<SavedAddress[]>(localStorage, KEYS.addresses, []),
  current: read<string | null>(localStorage, KEYS.current, null),
  sitePassword: read<string>(localStorage, KEYS.site, ''),
  admin: read<{ token: string; expiresAt: string } | null>(sessionStorage, KEYS.admin, null),
  user: read<SignedInUser | null>(localStorage, KEYS.user, null),
});

watch(
  () => [session.addresses, session.current, session.sitePassword, session.admin, session.user] as const,
  () => {
    localStorage.setItem(KEYS.user, JSON.stringify(session.user));
    localStorage.setItem(KEYS.addresses, JSON.stringify(session.addresses));
    localStorage.setItem(KEYS.current, JSON.stringify(session.current));
    localStorage.setItem(KEYS.site, JSON.stringify(session.sitePassword));
    sessionStorage.setItem(KEYS.admin, JSON.stringify(session.admin));
  },
  { deep: true },
);

export const currentAddress = computed(() => session.addresses.find((a) => a.address === session.current) ?? null);

/** Credentials for calls as the current address. */
export function addressCreds(): Credentials {
  const current = currentAddress.value;
  if (current?.viaSession) return { jwt: session.user?.token, mailbox: current.address, sitePassword: session.sitePassword || undefined };
  return { jwt: current?.jwt, sitePassword: session.sitePassword || undefined };
}

/** Credentials of the logged-in account; null when nobody is logged in. */
export function userCreds(): Credentials | null {
  return session.user ? { jwt: session.user.token, sitePassword: session.sitePassword || undefined } : null;
}

/** Logs the account out of this browser: its session and the mailboxes opened through it. */
export function forgetUser(): void {
  session.user = null;
  session.addresses = session.addresses.filter((a) => !a.viaSession);
  if (!session.addresses.some((a) => a.address === session.current)) session.current = session.addresses[0]?.address ?? null;
}

/** Credentials for admin calls; null once the session has expired. */
export function adminCreds(): Credentials | null {
  if (!session.admin || Date.parse(session.admin.expiresAt) <= Date.now()) return null;
  return { adminToken: session.admin.token, sitePassword: session.sitePassword || undefined };
}

export function rememberAddress(entry: SavedAddress): void {
  const existing = session.addresses.findIndex((a) => a.address === entry.address);
  if (existing >= 0) session.addresses.splice(existing, 1, entry);
  else session.addresses.push(entry);
  session.current = entry.address;
}

export function forgetAddress(address: string): void {
  session.addresses = session.addresses.filter((a) => a.address !== address);
  if (session.current === address) session.current = session.addresses[0]?.address ?? null;
}

/** Reads the address a token names, without trusting it: the server checks it on first use. */
export function addressInToken(jwt: string): string | null {
  try {
    const payload = JSON.parse(atob(jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { address?: unknown };
    return typeof payload.address === 'string' ? payload.address : null;
  } catch {
    return null;
  }
}

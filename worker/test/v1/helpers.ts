/** v1 test plumbing: keys, and calls with a key. */
import { admin, call, json } from '../helpers';

export async function adminKey(name = 'test admin'): Promise<string> {
  const res = await call('/api/v1/keys', { method: 'POST', headers: admin, body: JSON.stringify({ type: 'admin', name }) });
  if (res.status !== 201) throw new Error(`admin key: ${res.status} ${await res.text()}`);
  return (await json(res)).data.key;
}

export async function mailboxKey(adminSecret: string, mailbox: string, extra: Record<string, unknown> = {}): Promise<{ key: string; id: string }> {
  const res = await v1(adminSecret, '/keys', { method: 'POST', body: JSON.stringify({ type: 'mailbox', mailbox, name: `key for ${mailbox}`, ...extra }) });
  if (res.status !== 201) throw new Error(`mailbox key: ${res.status} ${await res.text()}`);
  const body = await json(res);
  return { key: body.data.key, id: body.data.id };
}

export function v1(key: string | null, path: string, init: RequestInit = {}, e?: Env) {
  const headers = new Headers(init.headers);
  if (key) headers.set('authorization', `Bearer ${key}`);
  return call(`/api/v1${path}`, { ...init, headers }, e);
}

export const mailboxPath = (address: string) => `/mailboxes/${encodeURIComponent(address)}`;

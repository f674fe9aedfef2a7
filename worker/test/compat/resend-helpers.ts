/** Calls to the Resend door (/compat/resend) as Resend's SDKs make them: Bearer key, JSON body. */
import { expect } from 'vitest';
import { call, json } from '../helpers';

export function resend(key: string | null, path: string, init: RequestInit = {}, e?: Env) {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('authorization', `Bearer ${key}`);
  return call(`/compat/resend${path}`, { ...init, headers }, e);
}

export function post(key: string, path: string, body: unknown, headers: Record<string, string> = {}, e?: Env) {
  return resend(key, path, { method: 'POST', headers, body: JSON.stringify(body) }, e);
}

/** Sends one email through the door; returns its id. */
export async function sendOk(key: string, body: unknown, e?: Env): Promise<string> {
  const res = await post(key, '/emails', body, {}, e);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await json<{ id: string }>(res)).id;
}

/** Resend's error shape, and nothing else in it. */
export async function expectError(res: Response, statusCode: number, name: string, message?: RegExp | string) {
  const body = await json(res);
  expect({ status: res.status, body: Object.keys(body).sort() }).toEqual({ status: statusCode, body: ['message', 'name', 'statusCode'] });
  expect(body).toMatchObject({ statusCode, name });
  if (message !== undefined) expect(body.message).toMatch(message);
  return body as { statusCode: number; name: string; message: string };
}

export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
export const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** Mail API door test plumbing: calls with X-MAILAPI-TOKEN, and comparing answers with the guide's examples. */
import { expect } from 'vitest';
import { call, json } from '../../helpers';

export const BASE = '/compat/mailapi/api/v1';

/** A call as a client of the guide makes it: its base URL with ours swapped in, the token in X-MAILAPI-TOKEN. */
export function mailapi(token: string | null, path: string, init: RequestInit = {}, e?: Env) {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('x-mailapi-token', token);
  return call(`${BASE}${path}`, { ...init, headers }, e);
}

export const post = (token: string | null, path: string, body: unknown, e?: Env) => mailapi(token, path, { method: 'POST', body: JSON.stringify(body) }, e);

/** The JSON of a response with the expected status (the body is shown when it differs). */
export async function ok<T = any>(res: Response, status = 200): Promise<T> {
  const body = await json<T>(res);
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** Expects the guide's error envelope, exactly: `{ success: false, error, message }`. */
export async function expectError(res: Response, status: number, code: string) {
  const body = await json(res);
  expect({ status: res.status, error: body.error }, JSON.stringify(body)).toEqual({ status, error: code });
  expect(Object.keys(body).sort()).toEqual(['error', 'message', 'success']);
  expect(body.success).toBe(false);
  expect(typeof body.message).toBe('string');
  expect(body.message.length).toBeGreaterThan(0);
  return body;
}

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Checks `actual` against one of the guide's example values: the same field names at every level
 * (no field missing, none added) and the same JSON types. Array items must each match one of the
 * example's items (the guide shows a delivered and a bounced recipient with different fields); an
 * example `null` stands for "null or a string" (content_id, email, expires_at). Paths in `maps` are
 * free-form maps (a message's `headers`): any names, values of the example's value type.
 */
export function expectSameShape(actual: unknown, example: unknown, path = '$', maps: string[] = []): void {
  if (maps.includes(path)) {
    // A map such as `headers`: any names, each value of the example values' type.
    expect(kind(actual), `${path} type`).toBe('object');
    const valueKind = kind(Object.values(example as object)[0]);
    for (const [key, value] of Object.entries(actual as object)) expect(kind(value), `${path}.${key}`).toBe(valueKind);
    return;
  }
  if (example === null) {
    expect(['null', 'string'], `${path} is null or a string`).toContain(kind(actual));
    return;
  }
  expect(kind(actual), `${path} type`).toBe(kind(example));
  if (Array.isArray(example)) {
    if (example.length === 0) return;
    (actual as unknown[]).forEach((item, i) => {
      const fits = example.some((candidate) => {
        try {
          expectSameShape(item, candidate, `${path}[${i}]`, maps);
          return true;
        } catch {
          return false;
        }
      });
      if (!fits) expectSameShape(item, example[0], `${path}[${i}]`, maps);
    });
    return;
  }
  if (kind(example) === 'object') {
    const a = actual as Record<string, unknown>;
    const e = example as Record<string, unknown>;
    expect(Object.keys(a).sort(), `${path} fields`).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectSameShape(a[key], e[key], `${path}.${key}`, maps);
  }
}

/** Times as the guide writes them: RFC 3339 in whole seconds, UTC. */
export const GUIDE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

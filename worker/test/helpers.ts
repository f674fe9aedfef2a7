/** Shared test plumbing: the env, fixtures, a ForwardableEmailMessage stand-in, and request helpers. */
import { createExecutionContext, env, waitOnExecutionContext, type D1Migration } from 'cloudflare:test';
import worker from '../src/index';

export interface TestEnv extends Env {
  TEST_MIGRATIONS: D1Migration[];
  TEST_FIXTURES: Record<string, string>;
}

export const testEnv = env as unknown as TestEnv;
export const ADMIN_PASSWORD = 'admin-test-password';

export function fixture(name: string): Uint8Array<ArrayBuffer> {
  const b64 = testEnv.TEST_FIXTURES[name];
  if (b64 === undefined) throw new Error(`no fixture ${name}`);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** An env with some variables changed, as a deployment with other settings would have. */
export function envWith(overrides: Partial<Record<StringVar, string>>): Env {
  return { ...testEnv, ...overrides };
}

type StringVar = { [K in keyof Env]: Env[K] extends string ? K : never }[keyof Env];

/**
 * The object Email Routing hands to `email()`: same fields and methods, recording what the
 * handler does with it (rejections, forwards) so tests can assert on it.
 */
export class TestEmailMessage {
  readonly headers: Headers;
  readonly rawSize: number;
  rejected: string | null = null;
  forwarded: string[] = [];

  constructor(
    readonly from: string,
    readonly to: string,
    private readonly bytes: Uint8Array,
    opts: { rawSize?: number } = {},
  ) {
    this.rawSize = opts.rawSize ?? bytes.byteLength;
    this.headers = new Headers();
  }

  get raw(): ReadableStream<Uint8Array> {
    const bytes = this.bytes;
    // Delivered in chunks, as a network stream would be.
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
        offset += 64 * 1024;
      },
    });
  }

  setReject(reason: string): void {
    this.rejected = reason;
  }

  async forward(rcptTo: string): Promise<EmailSendResult> {
    this.forwarded.push(rcptTo);
    return { messageId: `fwd-${this.forwarded.length}` };
  }

  async reply(): Promise<EmailSendResult> {
    throw new Error('reply is not used by Edgemail');
  }
}

/**
 * Runs the Worker's real `email()` entry point. Like Email Routing, it returns when the handler does;
 * what the handler left to `waitUntil` (the search-index announcement) carries on, and tests that
 * search wait for the index with `searchIndexSettled`.
 */
export async function deliver(message: TestEmailMessage, e: Env = testEnv): Promise<ExecutionContext> {
  const ctx = createExecutionContext();
  await worker.email(message as unknown as ForwardableEmailMessage, e, ctx);
  return ctx;
}

export function deliverFixture(name: string, to = 'bob@example.com', e: Env = testEnv) {
  const message = new TestEmailMessage('alice@sender.test', to, fixture(name));
  return deliver(message, e).then(() => message);
}

/** Calls the Worker's real `fetch()` entry point. */
export async function call(path: string, init: RequestInit = {}, e: Env = testEnv): Promise<Response> {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  if (init.body !== undefined && !(init.body instanceof FormData) && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const request = new Request(`https://edgemail.test${path}`, { ...init, headers }) as Request<unknown, IncomingRequestCfProperties>;
  const response = await worker.fetch(request, e, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function json<T = any>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export async function createAddress(name?: string, domain?: string, e: Env = testEnv) {
  const res = await call('/api/new_address', { method: 'POST', body: JSON.stringify({ name, domain }) }, e);
  if (res.status !== 200) throw new Error(`new_address failed: ${res.status} ${await res.text()}`);
  return json<{ address: string; address_id: number; jwt: string }>(res);
}

export const bearer = (jwt: string) => ({ authorization: `Bearer ${jwt}` });

/**
 * Waits until every stored message is in the search index. Indexing runs off the delivery path: the
 * real INDEX_QUEUE consumer picks new mail up about a second after it is stored.
 */
export async function searchIndexSettled(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await testEnv.DB.prepare('select count(*) as n from search_pending').first<{ n: number }>();
    if (row?.n === 0) return;
    if (Date.now() > deadline) throw new Error(`${row?.n} messages still wait for the search index after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
export const admin = { 'x-admin-auth': ADMIN_PASSWORD };

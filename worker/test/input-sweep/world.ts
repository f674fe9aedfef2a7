/**
 * The input sweep's world: one account's mailbox with its three credentials and a resource of each
 * kind the routes name, built with the authorization sweep's helpers; and how a request is made on
 * each door and what an error must look like there.
 */
import { inject } from 'vitest';
import { randomToken } from '../../src/lib/clock';
import { ADMIN_PASSWORD, call, createAddress } from '../helpers';
import { adminKey } from '../v1/helpers';
import { KINDS, type Kind, type Party, SINK } from '../authorization/probes';
import { type Door as AuthorizationDoor, doorOf as authorizationDoorOf, env as sweepEnv, fillPath, newColleague, newDraft, newMessage, newScheduled, newSuppression, party, setWorld, type World } from '../authorization/world';

/** Who makes the request: a credential of the party, an admin API key, the admin password, or nobody. */
export type Cred = Kind | 'admin' | 'password' | 'none';

export interface Sweep {
  adminSecret: string;
  p: Party;
  /** A message in p's inbox: numeric id and `msg_…` uid. */
  mailId: string;
  mailUid: string;
  /** A message only the ByteSMTP DELETE sweep uses up. */
  doomedMailId: string;
  draftUid: string;
  /** A scheduled (still changeable) email of p's. */
  emailId: string;
  /** Another user on p's domain. */
  colleague: string;
  suppressed: string;
}

/** The authorization sweep's env (high limits, held queues, local DoH and webhooks), with AI on through the fake provider. */
export const env: Env = {
  ...sweepEnv,
  AI_PROVIDER: 'openai',
  OPENAI_API_KEY: 'sk-test',
  OPENAI_BASE_URL: `${inject('aiUrl')}/openai/v1`,
  OPENAI_MODEL: 'fake-echo',
};

export async function buildSweep(): Promise<Sweep> {
  const adminSecret = await adminKey('input sweep');
  // The authorization helpers read the admin key from their world.
  setWorld({ adminSecret } as World);
  await createAddress(SINK, 'example.com', sweepEnv);
  const p = await party('isweep', adminSecret);
  const mail = await newMessage(p);
  const doomed = await newMessage(p);
  return {
    adminSecret,
    p,
    ...mail,
    doomedMailId: doomed.mailId,
    draftUid: await newDraft(p),
    emailId: await newScheduled(p),
    colleague: await newColleague(p),
    suppressed: await newSuppression(p),
  };
}

/** The authorization sweep's doors, and the admin API, which that sweep leaves out (it names no mailbox's resources). */
export type Door = AuthorizationDoor | 'admin';
export const doorOf = (path: string): Door => (path.startsWith('/admin/') ? 'admin' : authorizationDoorOf(path));

export interface Payload {
  contentType?: string;
  body: BodyInit;
}

export interface Req {
  params?: Record<string, string>;
  query?: Record<string, string>;
  payload?: Payload;
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** The request `route` with `as`'s credential, in the form its door takes it. */
export async function send(route: string, as: Cred, s: Sweep, req: Req): Promise<Answer> {
  const method = route.slice(0, route.indexOf(' '));
  const path = fillPath(route, req.params);
  const door = doorOf(path);
  const url = new URL(path, 'https://edgemail.test');
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.set(k, v);
  const headers = new Headers();
  const token = (KINDS as string[]).includes(as) ? s.p.tokens[as as Kind] : as === 'admin' ? s.adminSecret : null;
  if (as === 'password') headers.set('x-admin-auth', ADMIN_PASSWORD);
  else if (token && door === 'mailapi') headers.set('x-mailapi-token', token);
  else if (token && door !== 'external') headers.set('authorization', `Bearer ${token}`);
  if (door === 'api' && as === 'session') headers.set('x-mailbox', s.p.address);
  if (req.payload?.contentType) headers.set('content-type', req.payload.contentType);
  const res = await call(url.pathname + url.search, { method, headers, body: req.payload?.body }, env);
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text() };
}

const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0;

/** What is wrong with an error answer for the door it came from, or null when it is that door's JSON error. */
export function dialectProblem(path: string, a: Answer): string | null {
  if (!a.contentType.startsWith('application/json')) return `Content-Type ${a.contentType || 'missing'}, not application/json`;
  let b: any;
  try {
    b = JSON.parse(a.text);
  } catch {
    return 'the body is not JSON';
  }
  if (b === null || typeof b !== 'object') return 'the body is not a JSON object';
  switch (doorOf(path)) {
    case 'v1':
      return b.ok === false && b.success === false && text(b.error?.code) && text(b.error?.message) && typeof b.error?.retryable === 'boolean' && text(b.meta?.request_id)
        ? null
        : 'not the v1 envelope { ok: false, success: false, error: { code, message, retryable, … }, meta: { request_id } }';
    case 'api':
    case 'external':
    case 'admin':
      return b.ok === false && text(b.error?.code) && text(b.error?.message) ? null : 'not the envelope { ok: false, error: { code, message } }';
    case 'mailapi':
      return b.success === false && text(b.error) && /^[A-Z_]+$/.test(b.error) && text(b.message) ? null : 'not the Mail API shape { success: false, error: CODE, message }';
    case 'bytesmtp':
      return b.ok === false && text(b.error) && text(b.code) ? null : 'not the ByteSMTP shape { ok: false, error, code }';
    case 'resend':
      return b.statusCode === a.status && text(b.name) && text(b.message) ? null : 'not the Resend shape { statusCode (= status), name, message }';
  }
}

export const fresh = (label: string) => `${label}-${randomToken(8).toLowerCase()}`;

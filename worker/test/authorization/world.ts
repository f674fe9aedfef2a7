/** The authorization sweep's world: mailboxes A and B with their credentials and resources, and how a probe is made and compared. */
import { inspectRoutes } from 'hono/dev';
import { SignJWT } from 'jose';
import { inject } from 'vitest';
import { createApp } from '../../src/app';
import { randomToken } from '../../src/lib/clock';
import { activeAccount, grant, login, PASSWORD } from '../accounts/helpers';
import { admin, call, deliver, envWith, fixture, json, TestEmailMessage, testEnv } from '../helpers';
import { mailboxKey } from '../v1/helpers';
import { draft, type Field, hookUrl, type Kind, KINDS, MARK, type Party, type Probe, type Req, scheduled, type Self, type Target } from './probes';

export const ROUTES = [...new Set(inspectRoutes(createApp()).filter((r) => r.method !== 'ALL' || !r.isMiddleware).map((r) => `${r.method} ${r.path}`))];

export type Door = 'v1' | 'api' | 'external' | 'mailapi' | 'bytesmtp' | 'resend';
export function doorOf(path: string): Door {
  if (path.startsWith('/api/v1/')) return 'v1';
  if (path.startsWith('/api/')) return 'api';
  if (path.startsWith('/external/')) return 'external';
  if (path.startsWith('/compat/mailapi/')) return 'mailapi';
  if (path.startsWith('/compat/bytesmtp/')) return 'bytesmtp';
  if (path.startsWith('/compat/resend/')) return 'resend';
  throw new Error(`${path}: no credential form known for this door; teach the sweep how it authenticates`);
}

/** The path with each `:param` filled, or an error naming the route and the parameter nobody mapped. */
export function fillPath(route: string, params: Record<string, string> = {}): string {
  let path = route.slice(route.indexOf(' ') + 1);
  for (const [name, value] of Object.entries(params)) {
    const slot = new RegExp(`:${name}(?=/|$)`);
    if (!slot.test(path)) throw new Error(`${route}: the probe fills :${name}, which the route does not have`);
    path = path.replace(slot, encodeURIComponent(value));
  }
  const left = /:(\w+)/.exec(path);
  if (left) throw new Error(`${route}: nothing maps :${left[1]} to one of B's identifiers`);
  return path;
}

/** The fields of Target a probe's request uses, found by building it against a recording stand-in. */
export function fieldsOf(probe: Probe, self: Self): Field[] {
  const used = new Set<Field>();
  const spy = new Proxy({} as Target, { get: (_, key) => (used.add(key as Field), `${String(key)}-spy`) });
  probe.build(spy, self);
  return [...used];
}

// Limits high enough for the sweep's volume; the send and webhook queues held, so nothing leaves
// (and B's scheduled message stays cancellable); webhooks may post to the local receiver.
export const held = testEnv as unknown as { HELD_SEND_QUEUE: Queue; HELD_WEBHOOK_QUEUE: Queue };
export const MANY = '1000000';
export const env: Env = {
  ...envWith({
    V1_RATE_READ_PER_MINUTE: MANY,
    V1_RATE_WRITE_PER_MINUTE: MANY,
    V1_RATE_SEARCH_PER_MINUTE: MANY,
    MAILAPI_RATE_PER_MINUTE: MANY,
    MAILAPI_RATE_PER_HOUR: MANY,
    BYTESMTP_SEND_PER_HOUR: MANY,
    BYTESMTP_INBOX_PER_HOUR: MANY,
    BYTESMTP_READ_PER_HOUR: MANY,
    BYTESMTP_DELETE_PER_HOUR: MANY,
    AI_RATE_PER_HOUR: MANY,
    SEND_RATE_PER_MINUTE: MANY,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    DOH_RESOLVER_URL: `${inject('dnsUrl')}/dns-query`,
  }),
  SEND_QUEUE: held.HELD_SEND_QUEUE,
  WEBHOOK_QUEUE: held.HELD_WEBHOOK_QUEUE,
};

/** The credential kinds each door takes; any other is refused as a bad token, whatever it names. */
export const ACCEPTS: Record<Door, Kind[]> = { v1: KINDS, api: ['jwt', 'session'], external: ['jwt'], mailapi: KINDS, bytesmtp: KINDS, resend: KINDS };
/** An answer that refuses the credential itself, in any door's dialect. */
export const CREDENTIAL_REFUSED = /"(invalid_token|token_expired|missing_token|invalid_api_key|missing_api_key|INVALID_TOKEN|TOKEN_EXPIRED|NO_API_TOKEN)"/;

export interface Answer {
  status: number;
  text: string;
  headers: Record<string, string>;
}

/** Headers that differ between any two requests (ids, dates, lengths, rate-limit counters). */
export const VOLATILE_HEADER = /^(x-request-id|date|content-length|x-ratelimit-|ratelimit-)/;

export async function request(route: string, probe: Probe, kind: Kind, token: string, t: Target, self: Self): Promise<Answer> {
  const req = probe.build(t, self);
  const [routeMethod] = route.split(' ');
  const door = doorOf(route.slice(route.indexOf(' ') + 1));
  const url = new URL(fillPath(route, req.params), 'https://edgemail.test');
  for (const [k, v] of Object.entries(req.query ?? {})) url.searchParams.append(k, v);
  const headers = new Headers(req.headers);
  if (token === '') {
    // No credential at all.
  } else if (door === 'mailapi') headers.set('x-mailapi-token', token);
  else if (door !== 'external') headers.set('authorization', `Bearer ${token}`);
  if (req.mailbox !== undefined && door !== 'api') throw new Error(`${route}: X-Mailbox is the web UI API's`);
  if (door === 'api' && kind === 'session') headers.set('x-mailbox', req.mailbox ?? self.address);
  let body: BodyInit | undefined;
  if (req.form) {
    const form = new FormData();
    for (const [k, v] of Object.entries(req.form)) form.append(k, v);
    body = form;
  } else if (req.raw !== undefined) {
    headers.set('content-type', 'message/rfc822');
    body = req.raw;
  } else if (door === 'external') body = JSON.stringify({ ...(req.json as object), ...(token ? { token } : {}) });
  else if (req.json !== undefined) body = JSON.stringify(req.json);
  const res = await call(url.pathname + url.search, { method: routeMethod === 'ALL' ? 'PUT' : routeMethod, headers, body }, env);
  const kept = [...res.headers].filter(([name]) => !VOLATILE_HEADER.test(name));
  return { status: res.status, text: await res.text(), headers: Object.fromEntries(kept) };
}

export const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The answer with the identifiers the request named replaced by their field names, and request ids dropped. */
export function normalise(text: string, t: Target, fields: Field[]): string {
  const pairs: [string, string][] = fields.map((f) => [t[f], `<${f}>`]);
  for (const f of fields) if (t[f].includes('@')) pairs.push([t[f].split('@')[1]!, `<${f} domain>`]);
  let out = text.replace(/req_[a-z0-9]+/gi, '<request id>');
  for (const [value, label] of pairs.sort((x, y) => y[0].length - x[0].length)) {
    out = out.replace(new RegExp(`(?<![A-Za-z0-9_])${escape(value)}(?![A-Za-z0-9_])`, 'g'), label);
  }
  return out;
}

/**
 * Whose resources the probes name, each with a ghost of the same shape that names nothing: B, an
 * account's mailbox with every kind of resource; and B's anonymous twin, an address made with
 * /api/new_address on the open domain, with mail only (`has`: the probes naming nothing else).
 */
export interface Victim {
  name: string;
  target: Target;
  ghost: Target;
  has?: Field[];
}
export const concerns = (v: Victim, fields: Field[]) => !v.has || fields.every((f) => v.has!.includes(f));

export interface World {
  adminSecret: string;
  a: Party;
  b: Party;
  /** B's resources (the first victim's). */
  target: Target;
  ghost: Target;
  twin: { address: string; addressId: number };
  victims: Victim[];
  /** Strings only B's data contains. */
  needles: string[];
  /** Credentials that no longer (or never did) work, by how they failed. */
  dead: Record<string, { kind: Kind; token: string }>;
}
export let w: World;
/** Set once by the sweep's beforeAll; the helpers here read it. */
export function setWorld(world: World): void {
  w = world;
}

export const ownerSelf = (p: Party): Self => ({ address: p.address, domain: p.domain, userEmail: p.userEmail, webhookId: p.webhookId });

/** What must be the same for B's resource and the ghost: status, body and headers, with the names they were asked by replaced. */
export const shape = (x: Answer, t: Target, fields: Field[]) => ({ status: x.status, body: normalise(x.text, t, fields), headers: normalise(JSON.stringify(x.headers), t, fields) });

/** B's identifiers the answer to a request contains, those the request named itself aside. */
export function leaked(text: string, req: Req): string[] {
  const asked = JSON.stringify(req);
  return w.needles.filter((n) => text.includes(n) && !asked.includes(n));
}

export async function v1(token: string, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return call(`/api/v1${path}`, { ...init, headers }, env);
}

export async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return json(res);
}

export async function jwtFor(address: string): Promise<{ id: number; jwt: string }> {
  const list = await expectStatus(await call(`/admin/addresses?query=${encodeURIComponent(address)}`, { headers: admin }, env), 200, 'find address');
  const row = (list.results as { address: string; address_id: number }[]).find((r) => r.address === address)!;
  const issued = await expectStatus(await call(`/admin/addresses/${row.address_id}/token`, { method: 'POST', headers: admin }, env), 200, 'issue token');
  return { id: row.address_id, jwt: issued.jwt };
}

/** A mailbox owned by a user on their own active domain, with all three credentials. */
export async function party(label: string, adminSecret: string): Promise<Party> {
  const account = await activeAccount(`${label}-${randomToken(6)}.test`, adminSecret);
  await grant(adminSecret, account.email, account.domain, ['manage_users', 'view_mailbox', 'view_stats', 'send_mail']);
  const { id, jwt } = await jwtFor(account.email);
  const key = await mailboxKey(adminSecret, account.email);
  const p: Party = { address: account.email, addressId: id, domain: account.domain, userEmail: account.email, webhookId: '', deliveryId: '', keyId: key.id, tokens: { jwt, key: key.key, session: account.token } };
  return Object.assign(p, await newWebhook(p));
}

export const latest = async (sql: string, ...binds: unknown[]) => (await testEnv.DB.prepare(sql).bind(...binds).first<Record<string, unknown>>())!;

// B's resources, each made afresh where a check by B's owner uses one up.
export async function newMessage(p: { address: string; addressId: number }) {
  // A header of its own, so delivery does not take it for a copy of an earlier one; B's mark in the subject.
  const eml = new TextDecoder().decode(fixture('attachments.eml')).replace('Subject: Report with attachments', `Subject: Report ${MARK}`);
  const bytes = new TextEncoder().encode(`X-Sweep: ${randomToken(12)}\r\n${eml}`);
  await deliver(new TestEmailMessage('alice@sender.test', p.address, bytes), env);
  const row = await latest('SELECT id, public_id FROM mails WHERE address_id = ? ORDER BY id DESC LIMIT 1', p.addressId);
  return { mailId: String(row.id), mailUid: String(row.public_id) };
}
export async function newDraft(p: Party) {
  const res = await v1(p.tokens.jwt, `/mailboxes/${encodeURIComponent(p.address)}/drafts`, { method: 'POST', body: JSON.stringify({ ...draft, subject: `${MARK} draft` }) });
  return (await expectStatus(res, 201, 'draft')).data.uid as string;
}
export async function newScheduled(p: Party, headers: Record<string, string> = {}, body: unknown = scheduled(p)) {
  const res = await v1(p.tokens.key, '/emails', { method: 'POST', headers, body: JSON.stringify(body) });
  return (await expectStatus(res, 202, 'schedule')).data.id as string;
}
export async function newWebhook(p: Party) {
  const created = await expectStatus(
    await v1(p.tokens.key, '/webhooks', { method: 'POST', body: JSON.stringify({ url: hookUrl(randomToken(8)), events: ['email.received'], mailbox: p.address }) }),
    201,
    'webhook',
  );
  const test = await expectStatus(await v1(p.tokens.jwt, `/webhooks/${created.data.id}/test`, { method: 'POST' }), 200, 'webhook test');
  return { webhookId: created.data.id as string, deliveryId: test.data.id as string };
}
export async function newSession(p: Party) {
  await login(p.userEmail);
  const row = await latest('SELECT public_id FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = ?) ORDER BY id DESC LIMIT 1', p.userEmail);
  return String(row.public_id);
}
export async function newColleague(p: Party) {
  const address = `colleague-${randomToken(6)}@${p.domain}`;
  await expectStatus(await v1(w.adminSecret, '/users', { method: 'POST', body: JSON.stringify({ email: address, password: PASSWORD, name: 'Colleague' }) }), 201, 'colleague');
  return address;
}
export async function newSuppression(p: Party) {
  const address = `bounced-${randomToken(8)}@elsewhere.test`;
  await testEnv.DB.prepare("INSERT INTO suppressions (domain, address, reason, source_address_id, created_at) VALUES (?, ?, 'hard_bounce', ?, ?)")
    .bind(p.domain, address, p.addressId, Date.now())
    .run();
  return address;
}
/** B's resources for a check by B's owner that changes them: the fields the probe names, made anew. */
export async function freshTarget(fields: Field[]): Promise<Target> {
  const t = { ...w.target };
  const uses = (...f: Field[]) => f.some((x) => fields.includes(x));
  if (uses('mailId', 'mailUid')) Object.assign(t, await newMessage(w.b));
  if (uses('draftUid')) t.draftUid = await newDraft(w.b);
  if (uses('emailId')) t.emailId = await newScheduled(w.b);
  if (uses('webhookId', 'deliveryId')) Object.assign(t, await newWebhook(w.b));
  if (uses('sessionId')) t.sessionId = await newSession(w.b);
  if (uses('userEmail')) t.userEmail = await newColleague(w.b);
  if (uses('suppressed')) t.suppressed = await newSuppression(w.b);
  return t;
}

/**
 * A spare mailbox of A's owner, with a credential of `kind` of its own, for requests that end the
 * credential they use (log out, rotate). Log-ins are counted per account, so only sessions log in.
 */
export async function spare(kind: Kind): Promise<Party> {
  const a = w.a;
  const made = await expectStatus(await v1(a.tokens.session, '/auth/me/addresses', { method: 'POST', body: JSON.stringify({ name: `spare-${randomToken(6)}`, domain: a.domain }) }), 201, 'spare');
  const address = made.data.address as string;
  const { id, jwt } = await jwtFor(address);
  const fresh = kind === 'jwt' ? jwt : kind === 'key' ? (await mailboxKey(w.adminSecret, address)).key : await login(a.userEmail);
  return { ...a, address, addressId: id, tokens: { ...a.tokens, [kind]: fresh } };
}

/** A's credentials in every state of failure: none, garbage, expired, rotated, revoked, ended. */
export async function deadCredentials(): Promise<World['dead']> {
  const { a, adminSecret } = w;
  const expired = await new SignJWT({ address: a.address, address_id: a.addressId, ver: 0 })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
    .sign(new TextEncoder().encode(testEnv.JWT_SECRET));
  const rotated = await spare('jwt');
  await expectStatus(await call(`/admin/addresses/${rotated.addressId}/rotate_token`, { method: 'POST', headers: admin }, env), 200, 'rotate');
  const revoked = await mailboxKey(adminSecret, a.address);
  await expectStatus(await v1(adminSecret, `/keys/${revoked.id}`, { method: 'DELETE' }), 200, 'revoke');
  const ended = await login(a.userEmail);
  await expectStatus(await v1(ended, '/auth/logout', { method: 'POST' }), 200, 'log out');
  return {
    'no credential': { kind: 'jwt', token: '' },
    'a garbage token': { kind: 'jwt', token: 'not.a.jwt' },
    'an expired JWT': { kind: 'jwt', token: expired },
    'a rotated JWT': { kind: 'jwt', token: rotated.tokens.jwt },
    'a revoked key': { kind: 'key', token: revoked.key },
    'an ended session': { kind: 'session', token: ended },
  };
}

/** Everything of B the database holds: the sweep must leave every row as it was. */
export async function snapshotOfB() {
  const binds = [`%@${w.b.domain}`, w.b.domain, w.twin.address];
  // ?1: B's domain's addresses, ?2: B's domain, ?3: B's anonymous twin; each query binds the ones it names.
  const rows = async (sql: string) => {
    const used = Math.max(...[...sql.matchAll(/\?(\d)/g)].map((m) => Number(m[1])));
    return (await testEnv.DB.prepare(sql).bind(...binds.slice(0, used)).all()).results;
  };
  const boxes = 'SELECT id FROM addresses WHERE address LIKE ?1 OR address = ?3';
  const hooks = 'SELECT id FROM webhooks WHERE mailbox LIKE ?1 OR domain = ?2';
  const people = 'SELECT id FROM users WHERE email LIKE ?1';
  return {
    addresses: await rows('SELECT id, address, token_version, mail_count, sent_count, send_balance FROM addresses WHERE address LIKE ?1 OR address = ?3 ORDER BY id'),
    mails: await rows(`SELECT m.*, c.text, c.html, c.headers_json, length(c.raw) AS raw_bytes, c.raw_key FROM mails m JOIN mail_contents c ON c.mail_id = m.id WHERE m.address_id IN (${boxes}) ORDER BY m.id`),
    attachments: await rows(`SELECT a.id, a.mail_id, a.idx, a.size, a.blob_key FROM attachments a JOIN mails m ON m.id = a.mail_id WHERE m.address_id IN (${boxes}) ORDER BY a.id`),
    emails: await rows(`SELECT * FROM emails WHERE address_id IN (${boxes}) ORDER BY id`),
    recipients: await rows(`SELECT * FROM email_recipients WHERE email_id IN (SELECT id FROM emails WHERE address_id IN (${boxes})) ORDER BY id`),
    events: await rows(`SELECT * FROM email_events WHERE email_id IN (SELECT id FROM emails WHERE address_id IN (${boxes})) ORDER BY id`),
    suppressions: await rows(`SELECT * FROM suppressions WHERE source_address_id IN (${boxes}) OR domain = ?2 ORDER BY id`),
    webhooks: await rows(`SELECT * FROM webhooks WHERE id IN (${hooks}) ORDER BY id`),
    deliveries: await rows(`SELECT * FROM webhook_deliveries WHERE webhook_id IN (${hooks}) ORDER BY id`),
    keys: await rows(`SELECT * FROM api_keys WHERE address_id IN (${boxes}) ORDER BY id`),
    users: await rows('SELECT * FROM users WHERE email LIKE ?1 ORDER BY id'),
    sessions: await rows(`SELECT id, public_id, user_id, expires_at, revoked_at FROM sessions WHERE user_id IN (${people}) ORDER BY id`),
    permissions: await rows(`SELECT * FROM permissions WHERE user_id IN (${people}) OR domain_id IN (SELECT id FROM domains WHERE name = ?2) ORDER BY user_id, domain_id, permission`),
    owners: await rows(`SELECT * FROM mailbox_owners WHERE address_id IN (${boxes}) OR user_id IN (${people}) ORDER BY address_id`),
    domain: await rows('SELECT id, name, status, open, approved_at, dkim_selector, dkim_public_key, dns_checked_at, dns_verified_at FROM domains WHERE name = ?2'),
  };
}

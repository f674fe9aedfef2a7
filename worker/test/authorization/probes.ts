/** The authorization sweep's route table: how each route is probed, and the routes exempt from it, with why. */
import { inject } from 'vitest';
import { randomToken } from '../../src/lib/clock';
import { PASSWORD } from '../accounts/helpers';

export type Kind = 'jwt' | 'key' | 'session';
export const KINDS: Kind[] = ['jwt', 'key', 'session'];

/** B's identifiers a request can name; the same fields, pointing at nothing, make the ghost. */
export interface Target {
  address: string;
  domain: string;
  /** Another user on B's domain. */
  userEmail: string;
  /** Message id of the original API (numeric) and uid of v1 (`msg_…`), of the same message. */
  mailId: string;
  mailUid: string;
  draftUid: string;
  /** The Sent box id (numeric) of a message sent through /api/send_mail, and its `em_…` id. */
  sentId: string;
  sentEmailId: string;
  /** A scheduled (still cancellable) message, sent with `idemKey`. */
  emailId: string;
  idemKey: string;
  webhookId: string;
  deliveryId: string;
  keyId: string;
  sessionId: string;
  /** A recipient suppressed because of B's sending. */
  suppressed: string;
}
export type Field = keyof Target;

/** What a caller names as its own. */
export interface Self {
  address: string;
  domain: string;
  userEmail: string;
  webhookId: string;
}
export interface Party extends Self {
  addressId: number;
  tokens: Record<Kind, string>;
  /** A delivery of `webhookId`'s. */
  deliveryId: string;
  /** The public id of its mailbox key (`tokens.key`). */
  keyId: string;
}

/** One request: path parameters, query, body and headers; `mailbox` is the web UI API's X-Mailbox for sessions. */
export interface Req {
  params?: Record<string, string>;
  query?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  raw?: string;
  headers?: Record<string, string>;
  mailbox?: string;
}

export interface Probe {
  name: string;
  build: (t: Target, self: Self) => Req;
  kinds: Kind[];
  /** `refused`: names B, so it must fail, and alike for a ghost. `own`: names nothing of B; may succeed, must show nothing of B. */
  expect: 'refused' | 'own';
  /** B's own credential making the same request: succeeds (`ok`), gets another answer than for the ghost (`differs`), or sees B (`sees`). */
  control?: { kind: Kind; expect: 'ok' | 'differs' | 'sees' };
  /** The request ends the caller's credential (log out, rotate): made with a spare one. */
  spends?: boolean;
}

export type Opts = { kinds?: Kind[]; ok?: Kind; differs?: Kind; sees?: Kind; spends?: boolean };
export const control = (o: Opts): Probe['control'] =>
  o.ok ? { kind: o.ok, expect: 'ok' } : o.differs ? { kind: o.differs, expect: 'differs' } : o.sees ? { kind: o.sees, expect: 'sees' } : undefined;
export const at = (name: string, build: Probe['build'], o: Opts = {}): Probe => ({ name, build, kinds: o.kinds ?? KINDS, expect: 'refused', control: control(o) });
export const own = (name: string, build: Probe['build'] = () => ({}), o: Opts = {}): Probe => ({ name, build, kinds: o.kinds ?? KINDS, expect: 'own', control: control(o), spends: o.spends });
/** The same request once naming B's mailbox and once the caller's own, each with B's resource id. */
export const viaBoth = (name: string, build: (address: string, t: Target) => Req, o: Opts = {}): Probe[] => [
  at(name, (t) => build(t.address, t), o),
  at(`${name}, through my own mailbox`, (t, self) => build(self.address, t)),
];
/** The web UI API: B's id with my mailbox, and (sessions) B's id with B named in X-Mailbox. */
export const byId = (name: string, build: (t: Target) => Req, ok: Kind): Probe[] => [
  at(name, build, { ok }),
  at(`${name}, X-Mailbox naming B`, (t) => ({ ...build(t), mailbox: t.address }), { kinds: ['session'] }),
];
export const sessionNaming = (name: string) => at(name, (t) => ({ mailbox: t.address }), { kinds: ['session'], ok: 'session' });

export const SINK = `sweep-sink-${randomToken(8)}`;
export const SINK_ADDRESS = `${SINK}@example.com`;
export const LATER = new Date(Date.now() + 2 * 86_400_000).toISOString();
export const LATER_STILL = new Date(Date.now() + 3 * 86_400_000).toISOString();
export const MARK = `bsecret${randomToken(10)}`;
export const hookUrl = (name: string) => `${inject('webhookUrl')}/ok/sweep-${name}`;
export const sendAs = (t: Pick<Target, 'address'>) => ({ from: t.address, to: SINK_ADDRESS, subject: 'sweep', text: 'hello' });
/** The body B sent with its Idempotency-Key: the same bytes from A must not replay B's answer. */
export const scheduled = (t: Pick<Target, 'address'>) => ({ from: t.address, to: SINK_ADDRESS, subject: 'sweep scheduled', text: 'later', scheduled_at: LATER });
export const legacySend = { to_mail: SINK_ADDRESS, subject: 'sweep', content: 'hello' };
export const rawFrom = (from: string) => [`From: ${from}`, `To: ${SINK_ADDRESS}`, 'Subject: sweep', '', 'hello', ''].join('\r\n');
export const draft = { to: [SINK_ADDRESS], subject: 'sweep draft', text: 'draft' };
export const grantOn = (email: string, domain: string) => ({ json: { email, domain, permissions: ['view_mailbox', 'send_mail'] } });
export const box = (t: Target) => ({ params: { address: t.address } });
/** Any `cursor` makes v1 check the credential before reading (not in the same round trip as the data): the other code path. */
export const CHECKED_FIRST = ', credential checked before the read';
export const domain = (t: Target) => ({ params: { domain: t.domain } });
export const hook = (t: Target) => ({ params: { id: t.webhookId } });
export const email = (t: Target) => ({ params: { id: t.emailId } });

/** Every route that takes a mailbox credential, and what to call it with. */
export const MAPPED: Record<string, Probe[]> = {
  // /api/v1: Bearer (JWT, emk_ key, ems_ session).
  'GET /api/v1/auth/me': [own('who am I', undefined, { sees: 'session' })],
  'GET /api/v1/auth/sessions': [own('my sessions', undefined, { sees: 'session' })],
  'POST /api/v1/auth/logout': [own('log out', undefined, { spends: true })],
  'DELETE /api/v1/auth/sessions/:id': [at("B's other session", (t) => ({ params: { id: t.sessionId } }), { ok: 'session' })],
  'GET /api/v1/domains': [own('my domains', undefined, { sees: 'session' })],
  'GET /api/v1/domains/pending': [own('the approval queue')],
  'POST /api/v1/domains/:domain/approve': [at("B's domain", domain)],
  'DELETE /api/v1/domains/:domain': [at("B's domain", domain)],
  'GET /api/v1/domains/:domain/dns': [at("B's domain", domain, { ok: 'session' })],
  'POST /api/v1/domains/:domain/verify': [at("B's domain", domain, { ok: 'session' })],
  'POST /api/v1/permissions/bulk': [at("rights on B's domain for me", (t, self) => grantOn(self.userEmail, t.domain)), at("rights for B's user", (t) => grantOn(t.userEmail, t.domain))],
  'POST /api/v1/permissions/revoke': [at("B's user's rights", (t) => grantOn(t.userEmail, t.domain))],
  'GET /api/v1/permissions': [at("B's user's rights", (t) => ({ query: { email: t.userEmail } }))],
  'GET /api/v1/users': [at("users of B's domain", (t) => ({ query: { domain: t.domain } }), { ok: 'session' })],
  'POST /api/v1/users': [at("a user on B's domain", (t) => ({ json: { email: `intruder@${t.domain}`, password: PASSWORD, name: 'x' } }), { ok: 'session' })],
  'DELETE /api/v1/users/:email': [at("B's colleague", (t) => ({ params: { email: t.userEmail } }), { ok: 'session' })],
  'POST /api/v1/auth/me/addresses': [at("an address on B's domain", (t) => ({ json: { name: 'intruder-address', domain: t.domain } }), { ok: 'session' })],
  'GET /api/v1/keys/me': [own('this key', undefined, { sees: 'key' })],
  'POST /api/v1/keys': [at('a key for B', (t) => ({ json: { type: 'mailbox', mailbox: t.address, name: 'x' } }))],
  'GET /api/v1/keys': [own('every key')],
  'DELETE /api/v1/keys/:id': [at("B's key", (t) => ({ params: { id: t.keyId } }))],
  'GET /api/v1/mailboxes/:address/folders': [at("B's folders", box, { ok: 'jwt' }), at(`B's folders${CHECKED_FIRST}`, (t) => ({ ...box(t), query: { cursor: 'x' } }), { ok: 'key' })],
  'GET /api/v1/mailboxes/:address/search': [
    at("B's mail", (t) => ({ ...box(t), query: { q: 'Report' } }), { ok: 'key' }),
    at(`B's mail${CHECKED_FIRST}`, (t) => ({ ...box(t), query: { q: 'Report', cursor: 'x' } }), { ok: 'jwt' }),
    own("my mailbox, searched for B's mark", (_t, self) => ({ params: { address: self.address }, query: { q: MARK } }), { sees: 'key' }),
  ],
  'POST /api/v1/mailboxes/:address/drafts': [at('a draft in B', (t) => ({ ...box(t), json: draft }), { ok: 'jwt' })],
  'PUT /api/v1/mailboxes/:address/drafts/:uid': viaBoth("B's draft", (address, t) => ({ params: { address, uid: t.draftUid }, json: draft }), { ok: 'jwt' }),
  'GET /api/v1/mailboxes/:address/messages': [
    at("B's inbox", box, { ok: 'key' }),
    ...viaBoth("B's inbox after B's message", (address, t) => ({ params: { address }, query: { cursor: t.mailUid } }), { ok: 'jwt' }),
  ],
  'GET /api/v1/mailboxes/:address/messages/:uid': [
    ...viaBoth("B's message", (address, t) => ({ params: { address, uid: t.mailUid } }), { ok: 'jwt' }),
    ...viaBoth(`B's message${CHECKED_FIRST}`, (address, t) => ({ params: { address, uid: t.mailUid }, query: { cursor: 'x' } }), { ok: 'key' }),
  ],
  // No control with B's own credential: it would delete B, whom the other probes read (v1/delete-mailbox.test.ts covers it).
  'DELETE /api/v1/mailboxes/:address': [at('B itself, deleted', box)],
  // No control with B's own credential: it would empty the inbox the other probes read (v1/empty-folder.test.ts covers it).
  'DELETE /api/v1/mailboxes/:address/folders/:folder/messages': [at("B's inbox, emptied", (t) => ({ params: { address: t.address, folder: 'INBOX' } }))],
  'GET /api/v1/mailboxes/:address/export': [at("B's mailbox as mbox", box, { ok: 'key' })],
  'GET /api/v1/mailboxes/:address/messages/:uid/raw': viaBoth("B's message", (address, t) => ({ params: { address, uid: t.mailUid } }), { ok: 'key' }),
  'GET /api/v1/mailboxes/:address/messages/:uid/attachments/:index': viaBoth("B's attachment", (address, t) => ({ params: { address, uid: t.mailUid, index: '0' } }), { ok: 'session' }),
  'PATCH /api/v1/mailboxes/:address/messages/:uid': viaBoth("B's message", (address, t) => ({ params: { address, uid: t.mailUid }, json: { flags: ['\\Flagged'], folder: 'Junk' } }), { ok: 'jwt' }),
  'DELETE /api/v1/mailboxes/:address/messages/:uid': viaBoth("B's message", (address, t) => ({ params: { address, uid: t.mailUid } }), { ok: 'key' }),
  'GET /api/v1/stats/delivery': [at("B's sending", (t) => ({ query: { sender: t.address } }), { ok: 'session' })],
  'GET /api/v1/stats/domain/:domain': [at("B's domain", domain, { ok: 'session' })],
  // AI is not configured here: B gets past the message (ai_not_configured), A must not.
  'POST /api/v1/ai/generate': [at("a summary of B's message", (t) => ({ json: { feature: 'summarize', prompt: 'x', message_id: t.mailUid } }), { differs: 'jwt' })],
  'POST /api/v1/emails': [
    at('send as B', (t) => ({ json: sendAs(t) }), { ok: 'key' }),
    at("B's Idempotency-Key and body", (t) => ({ json: scheduled(t), headers: { 'idempotency-key': t.idemKey } }), { ok: 'key' }),
  ],
  'POST /api/v1/emails/send': [at('send as B', (t) => ({ json: sendAs(t) }), { ok: 'jwt' })],
  'POST /api/v1/emails/send/multipart': [at('send as B', (t) => ({ form: sendAs(t) }), { ok: 'jwt' })],
  'POST /api/v1/emails/batch': [at('send as B', (t) => ({ json: [sendAs(t)] }), { ok: 'session' })],
  'POST /api/v1/emails/send/batch': [at('send as B', (t) => ({ json: { emails: [sendAs(t)] } }), { ok: 'jwt' })],
  'GET /api/v1/emails': [own('my emails', undefined, { sees: 'jwt' })],
  'GET /api/v1/emails/:id': [at("B's scheduled email", email, { ok: 'key' }), at("B's sent email", (t) => ({ params: { id: t.sentEmailId } }), { ok: 'jwt' })],
  'PATCH /api/v1/emails/:id': [at("B's scheduled email", (t) => ({ ...email(t), json: { scheduled_at: LATER_STILL } }), { ok: 'jwt' })],
  'POST /api/v1/emails/:id/cancel': [at("B's scheduled email", email, { ok: 'jwt' })],
  'DELETE /api/v1/emails/:id': [at("B's scheduled email", email, { ok: 'key' })],
  'GET /api/v1/suppressions': [own('my suppressions', undefined, { sees: 'key' })],
  'DELETE /api/v1/suppressions': [at("B's suppression", (t) => ({ query: { email: t.suppressed } }), { ok: 'key' })],
  'POST /api/v1/webhooks': [
    at("B's mail events", (t) => ({ json: { url: hookUrl('a'), events: ['email.received'], mailbox: t.address } }), { ok: 'jwt' }),
    at("B's domain events", (t) => ({ json: { url: hookUrl('a'), events: ['email.received'], domain: t.domain } }), { ok: 'session' }),
  ],
  'GET /api/v1/webhooks': [own('my webhooks', undefined, { sees: 'jwt' })],
  'GET /api/v1/webhooks/:id': [at("B's webhook", hook, { ok: 'key' })],
  'PATCH /api/v1/webhooks/:id': [
    at("B's webhook", (t) => ({ ...hook(t), json: { description: 'taken over' } }), { ok: 'jwt' }),
    at("my webhook onto B's mailbox", (t, self) => ({ params: { id: self.webhookId }, json: { mailbox: t.address } })),
    at("my webhook onto B's domain", (t, self) => ({ params: { id: self.webhookId }, json: { mailbox: null, domain: t.domain } })),
  ],
  'DELETE /api/v1/webhooks/:id': [at("B's webhook", hook, { ok: 'jwt' })],
  'POST /api/v1/webhooks/:id/rotate_secret': [at("B's webhook", hook, { ok: 'key' })],
  'GET /api/v1/webhooks/:id/deliveries': [at("B's webhook", hook, { ok: 'jwt' })],
  'POST /api/v1/webhooks/:id/deliveries/:delivery_id/replay': [
    at("B's delivery", (t) => ({ params: { id: t.webhookId, delivery_id: t.deliveryId } }), { ok: 'jwt' }),
    at("B's delivery into my webhook", (t, self) => ({ params: { id: self.webhookId, delivery_id: t.deliveryId } })),
  ],
  'POST /api/v1/webhooks/:id/test': [at("B's webhook", hook, { ok: 'session' })],

  // The web UI API: Bearer JWT, or a session with the mailbox in X-Mailbox (an API key is no credential here).
  'GET /api/settings': [own('my settings', undefined, { sees: 'jwt' }), sessionNaming("B's settings")],
  // B's owner rotating B's token would end the JWT the later checks use: no control for that one.
  'POST /api/rotate_token': [own('rotate my token', undefined, { spends: true }), at("rotate B's token", (t) => ({ mailbox: t.address }), { kinds: ['session'] })],
  'GET /api/mails': [own('my mail', undefined, { sees: 'jwt' }), sessionNaming("B's mail")],
  'GET /api/parsed_mails': [own('my mail', undefined, { sees: 'jwt' }), own("my mail, searched for B's mark", () => ({ query: { q: MARK } }), { sees: 'session' }), sessionNaming("B's mail")],
  'GET /api/mail/:id': byId("B's message", (t) => ({ params: { id: t.mailId } }), 'jwt'),
  'GET /api/parsed_mail/:id': byId("B's message", (t) => ({ params: { id: t.mailId } }), 'session'),
  'GET /api/mails/:id/raw': byId("B's message", (t) => ({ params: { id: t.mailId } }), 'jwt'),
  'GET /api/mails/:id/attachments/:index': byId("B's attachment", (t) => ({ params: { id: t.mailId, index: '0' } }), 'jwt'),
  'DELETE /api/mails/:id': byId("B's message", (t) => ({ params: { id: t.mailId } }), 'jwt'),
  'POST /api/send_mail': [
    at("a reply threading B's message", (t) => ({ json: { ...legacySend, in_reply_to: Number(t.mailId) } }), { ok: 'jwt' }),
    at('send as B', (t) => ({ mailbox: t.address, json: legacySend }), { kinds: ['session'], ok: 'session' }),
  ],
  'POST /api/send_raw': [
    at('a raw message from B', (t) => ({ query: { to: SINK_ADDRESS }, raw: rawFrom(t.address) }), { ok: 'jwt' }),
    at('send as B', (t) => ({ mailbox: t.address, query: { to: SINK_ADDRESS }, raw: rawFrom(t.address) }), { kinds: ['session'], ok: 'session' }),
  ],
  'GET /api/sendbox': [own('my Sent box', undefined, { sees: 'jwt' }), sessionNaming("B's Sent box")],
  'GET /api/sendbox/:id': byId("B's sent message", (t) => ({ params: { id: t.sentId } }), 'jwt'),
  // The token is a body field here.
  'POST /external/api/send_mail': [at("a reply threading B's message", (t) => ({ json: { ...legacySend, in_reply_to: Number(t.mailId) } }), { ok: 'jwt' })],

  // The Mail API door: X-MAILAPI-TOKEN.
  'POST /compat/mailapi/api/v1/mail/send': [at('send as B', (t) => ({ json: { from: t.address, to: SINK_ADDRESS, subject: 'sweep', body: { text: 'hello' } } }), { ok: 'key' })],
  'GET /compat/mailapi/api/v1/mail/sent': [own('my sent mail', undefined, { sees: 'key' })],
  'GET /compat/mailapi/api/v1/mail/:message_id/status': [at("B's email", (t) => ({ params: { message_id: t.emailId } }), { ok: 'key' })],
  'GET /compat/mailapi/api/v1/mailbox/:email/folders': [at("B's folders", (t) => ({ params: { email: t.address } }), { ok: 'key' })],
  'GET /compat/mailapi/api/v1/mailbox/:email/messages': [at("B's inbox", (t) => ({ params: { email: t.address } }), { ok: 'jwt' })],
  'GET /compat/mailapi/api/v1/mailbox/:email/messages/:uid': viaBoth("B's message", (address, t) => ({ params: { email: address, uid: t.mailId } }), { ok: 'key' }),
  'GET /compat/mailapi/api/v1/mailbox/:email/messages/:uid/attachment/:index': viaBoth("B's attachment", (address, t) => ({ params: { email: address, uid: t.mailId, index: '0' } }), { ok: 'jwt' }),
  'GET /compat/mailapi/api/v1/mailbox/:email/search': [
    at("B's mail", (t) => ({ params: { email: t.address }, query: { q: 'Report' } }), { ok: 'session' }),
    own("my mailbox, searched for B's mark", (_t, self) => ({ params: { email: self.address }, query: { q: MARK } }), { sees: 'jwt' }),
  ],
  'GET /compat/mailapi/api/v1/stats/delivery': [
    at("B's sending", (t) => ({ query: { sender: t.address } }), { ok: 'session' }),
    at("B's domain's sending", (t) => ({ query: { sender: t.domain } }), { ok: 'session' }),
  ],
  'GET /compat/mailapi/api/v1/stats/domain/:domain': [at("B's domain", domain, { ok: 'session' })],
  'GET /compat/mailapi/api/v1/tokens/me': [own('this token', undefined, { sees: 'key' })],
  'POST /compat/mailapi/api/v1/permissions/bulk': [at("rights on B's domain for me", (t, self) => grantOn(self.userEmail, t.domain))],
  'GET /compat/mailapi/api/v1/domains/pending': [own('the approval queue')],
  'POST /compat/mailapi/api/v1/domains/:domain/approve': [at("B's domain", domain)],

  // The ByteSMTP door: Bearer; keys of several mailboxes name one in ?mailbox=.
  'POST /compat/bytesmtp/api/send': [at('send as B', (t) => ({ json: { from: t.address, to: SINK_ADDRESS, subject: 'sweep', body: 'hello' } }), { ok: 'jwt' })],
  'GET /compat/bytesmtp/api/inbox': [own('my inbox', (_t, self) => ({ query: { mailbox: self.address } }), { sees: 'jwt' }), at("B's inbox", (t) => ({ query: { mailbox: t.address } }), { ok: 'session' })],
  'GET /compat/bytesmtp/api/message/:uid': [
    at("B's message", (t, self) => ({ params: { uid: t.mailId }, query: { mailbox: self.address } }), { ok: 'jwt' }),
    at("B's message in B's mailbox", (t) => ({ params: { uid: t.mailId }, query: { mailbox: t.address } })),
  ],
  'DELETE /compat/bytesmtp/api/message/:uid': [
    at("B's message", (t, self) => ({ params: { uid: t.mailId }, query: { mailbox: self.address } }), { ok: 'key' }),
    at("B's message in B's mailbox", (t) => ({ params: { uid: t.mailId }, query: { mailbox: t.address } })),
  ],
  'POST /compat/bytesmtp/api/ai/generate': [own('write for me', () => ({ json: { feature: 'compose', prompt: 'hello' } }))],

  // The Resend door: Bearer. `ALL` routes answer 405 to any other method; they are called with PUT.
  'POST /compat/resend/emails/batch': [at('send as B', (t) => ({ json: [sendAs(t)] }), { ok: 'key' })],
  'ALL /compat/resend/emails/batch': [own('another method')],
  'POST /compat/resend/emails': [at('send as B', (t) => ({ json: sendAs(t) }), { ok: 'jwt' })],
  'GET /compat/resend/emails': [own('my emails', undefined, { sees: 'key' }), at("paging from B's email", (t) => ({ query: { after: t.emailId } }), { ok: 'key' })],
  'ALL /compat/resend/emails': [own('another method')],
  'GET /compat/resend/emails/:id': [at("B's email", email, { ok: 'jwt' })],
  'PATCH /compat/resend/emails/:id': [at("B's email", (t) => ({ ...email(t), json: { scheduled_at: LATER_STILL } }), { ok: 'jwt' })],
  'ALL /compat/resend/emails/:id': [at("B's email", email)],
  'POST /compat/resend/emails/:id/cancel': [at("B's email", email, { ok: 'key' })],
  'ALL /compat/resend/emails/:id/cancel': [at("B's email", email)],
  'GET /compat/resend/domains': [own('my domains', undefined, { sees: 'session' }), at("paging from B's domain", (t) => ({ query: { after: t.domain } }), { ok: 'session' })],
  'ALL /compat/resend/domains': [own('another method')],
  'GET /compat/resend/domains/:id': [at("B's domain", (t) => ({ params: { id: t.domain } }), { ok: 'session' })],
  'ALL /compat/resend/domains/:id': [at("B's domain", (t) => ({ params: { id: t.domain } }))],
};

export const ADMIN_ONLY = 'admin only (x-admin-auth or x-admin-token); no mailbox credential opens it (checked below)';
/** Routes that take no mailbox credential, each with why. */
export const EXEMPT: Record<string, string> = {
  'GET /health': 'liveness check: no credential, no data',
  'GET /api/v1/openapi.json': 'the public API description: no data',
  'GET /api/v1/docs': 'the public documentation page: no data',
  'POST /api/v1/auth/signup': 'self-signup: hands out the first credential',
  'POST /api/v1/auth/login': 'log-in: exchanges a password for a credential',
  'GET /api/public_config': 'what a client needs before it has a token: no mailbox data',
  'POST /api/new_address': 'creates an address and hands out its first token (admin-only when ADMIN_ONLY_CREATE)',
  'GET /compat/mailapi/health': "the Mail API door's liveness check: no credential, no data",
  'POST /compat/mailapi/api/v1/auth/signup': "self-signup through the Mail API door: hands out the first credential",
  'GET /t/o/:token': "open pixel fetched by recipients' mail clients: no credential, the signed token is the capability",
  'GET /t/c/:token': "click redirect followed by recipients: no credential, the signed token is the capability",
  'POST /admin/session': ADMIN_ONLY,
  'GET /admin/stats': ADMIN_ONLY,
  'GET /admin/config': ADMIN_ONLY,
  'POST /admin/new_address': ADMIN_ONLY,
  'GET /admin/addresses': ADMIN_ONLY,
  'GET /admin/addresses/:id': ADMIN_ONLY,
  'DELETE /admin/addresses/:id': ADMIN_ONLY,
  'POST /admin/addresses/:id/token': ADMIN_ONLY,
  'POST /admin/addresses/:id/rotate_token': ADMIN_ONLY,
  'PUT /admin/addresses/:id/send_balance': ADMIN_ONLY,
  'GET /admin/mails': ADMIN_ONLY,
  'GET /admin/parsed_mails': ADMIN_ONLY,
  'GET /admin/mails/import': ADMIN_ONLY,
  'POST /admin/mails/import': ADMIN_ONLY,
};

/** `METHOD /path` of every handler the app serves: middleware registered with use() is not a route. */

/**
 * The input sweep's route table: for each route that reads a body or query parameters, a request
 * that succeeds (credential, path, valid body or query); and the routes that read neither, with why.
 * Bodies are built afresh for every request (new names, domains), so a case fails only on what it
 * breaks, never on an earlier case's leftovers.
 */
import { PASSWORD } from '../accounts/helpers';
import { hookUrl, LATER_STILL, rawFrom, SINK_ADDRESS } from '../authorization/probes';
import { type Cred, fresh, type Payload, type Sweep } from './world';

type Build<T> = (s: Sweep) => T;

export interface JsonRoute {
  as: Cred;
  params?: Build<Record<string, string>>;
  query?: Build<Record<string, string>>;
  /** A valid body: an object, or an array of objects (batches). */
  json: Build<Record<string, unknown> | Record<string, unknown>[]>;
}

/** A case for a route whose body is not JSON: `4xx` must be refused; `no 5xx` may be taken, never crash. */
export interface RawCase {
  name: string;
  payload: Payload;
  expect: '4xx' | 'no 5xx';
}

export interface RawRoute {
  as: Cred;
  params?: Build<Record<string, string>>;
  query?: Build<Record<string, string>>;
  valid: Build<Payload>;
  bad: Build<RawCase[]>;
}

export interface QueryRoute {
  as: Cred;
  params?: Build<Record<string, string>>;
  /** The query of a request that succeeds (required parameters). */
  base?: Build<Record<string, string>>;
  /** The parameters to spoil; /api/v1 routes take theirs from the OpenAPI document. */
  names?: string[];
  /** For the POST routes whose parameters are in the query. */
  payload?: Build<Payload>;
}

const box = (s: Sweep) => ({ address: s.p.address });
const signup = () => {
  const domain = `${fresh('isweep-signup')}.test`;
  return { domain, email: `admin@${domain}`, password: PASSWORD, name: 'Sweep Signup' };
};
const grant = (s: Sweep) => ({ email: s.colleague, domain: s.p.domain, permissions: ['view_mailbox'] });
/** The /api/v1 send body with most of its fields, so each gets spoiled. */
const v1Email = (s: Sweep) => ({
  from: s.p.address,
  to: SINK_ADDRESS,
  cc: [SINK_ADDRESS],
  subject: 'input sweep',
  text: 'hello',
  html: '<p>hello</p>',
  reply_to: s.p.address,
  headers: { 'X-Sweep': 'yes' },
  tags: ['sweep'],
  track_opens: false,
});
const legacy = (s: Sweep) => ({
  from_name: 'Sweep',
  to_name: 'Sink',
  to_mail: SINK_ADDRESS,
  subject: 'input sweep',
  is_html: false,
  content: 'hello',
  cc: [SINK_ADDRESS],
  reply_to: s.p.address,
  headers: { 'X-Sweep': 'yes' },
  in_reply_to: Number(s.mailId),
});
const resendEmail = (s: Sweep) => ({
  from: s.p.address,
  to: [SINK_ADDRESS],
  subject: 'input sweep',
  text: 'hello',
  html: '<p>hello</p>',
  reply_to: s.p.address,
  headers: { 'X-Sweep': 'yes' },
  tags: [{ name: 'sweep', value: 'yes' }],
});
const draft = () => ({ to: [SINK_ADDRESS], cc: [SINK_ADDRESS], subject: 'input sweep draft', text: 'draft', html: '<p>draft</p>' });

/** Every route whose body is JSON. */
export const JSON_ROUTES: Record<string, JsonRoute> = {
  'POST /api/v1/auth/signup': { as: 'none', json: signup },
  'POST /api/v1/auth/login': { as: 'none', json: (s) => ({ email: s.p.userEmail, password: PASSWORD }) },
  'POST /api/v1/permissions/bulk': { as: 'admin', json: grant },
  'POST /api/v1/permissions/revoke': { as: 'admin', json: grant },
  'POST /api/v1/users': { as: 'session', json: (s) => ({ email: `${fresh('user')}@${s.p.domain}`, password: PASSWORD, name: 'Sweep User' }) },
  'POST /api/v1/auth/me/addresses': { as: 'session', json: (s) => ({ name: fresh('own'), domain: s.p.domain }) },
  'POST /api/v1/keys': { as: 'admin', json: (s) => ({ type: 'mailbox', mailbox: s.p.address, name: 'sweep key', expires_at: LATER_STILL }) },
  'POST /api/v1/mailboxes/:address/drafts': { as: 'jwt', params: box, json: draft },
  'PUT /api/v1/mailboxes/:address/drafts/:uid': { as: 'jwt', params: (s) => ({ ...box(s), uid: s.draftUid }), json: draft },
  'PATCH /api/v1/mailboxes/:address/messages/:uid': { as: 'jwt', params: (s) => ({ ...box(s), uid: s.mailUid }), json: () => ({ flags: ['\\Flagged'], folder: 'INBOX' }) },
  'POST /api/v1/ai/generate': { as: 'jwt', json: (s) => ({ feature: 'summarize', prompt: 'Summarize it', message_id: s.mailUid, provider: 'openai', stream: false }) },
  'POST /api/v1/emails': { as: 'key', json: v1Email },
  'POST /api/v1/emails/send': { as: 'jwt', json: v1Email },
  'POST /api/v1/emails/batch': { as: 'session', json: (s) => [v1Email(s)] },
  'POST /api/v1/emails/send/batch': { as: 'jwt', json: (s) => ({ emails: [v1Email(s)] }) },
  'PATCH /api/v1/emails/:id': { as: 'jwt', params: (s) => ({ id: s.emailId }), json: () => ({ scheduled_at: LATER_STILL }) },
  'POST /api/v1/webhooks': { as: 'jwt', json: (s) => ({ url: hookUrl(fresh('in')), events: ['email.received'], mailbox: s.p.address, enabled: true, description: 'sweep' }) },
  'PATCH /api/v1/webhooks/:id': {
    as: 'jwt',
    params: (s) => ({ id: s.p.webhookId }),
    json: (s) => ({ url: hookUrl('input-sweep'), events: ['email.received'], mailbox: s.p.address, enabled: true, description: 'sweep' }),
  },
  'POST /api/new_address': { as: 'none', json: () => ({ name: fresh('anon'), domain: 'example.com' }) },
  'POST /api/send_mail': { as: 'jwt', json: legacy },
  'POST /external/api/send_mail': { as: 'none', json: (s) => ({ ...legacy(s), token: s.p.tokens.jwt }) },
  'POST /admin/new_address': { as: 'password', json: (s) => ({ name: fresh('adm'), domain: s.p.domain }) },
  'PUT /admin/addresses/:id/send_balance': { as: 'password', params: (s) => ({ id: String(s.p.addressId) }), json: () => ({ balance: 1000 }) },
  'POST /compat/mailapi/api/v1/auth/signup': { as: 'none', json: signup },
  'POST /compat/mailapi/api/v1/mail/send': {
    as: 'key',
    json: (s) => ({ from: s.p.address, to: SINK_ADDRESS, cc: [SINK_ADDRESS], subject: 'input sweep', body: { text: 'hello' }, reply_to: s.p.address, headers: { 'X-Sweep': 'yes' } }),
  },
  'POST /compat/mailapi/api/v1/permissions/bulk': { as: 'admin', json: grant },
  'POST /compat/bytesmtp/api/send': { as: 'jwt', json: (s) => ({ from: s.p.address, to: SINK_ADDRESS, cc: SINK_ADDRESS, subject: 'input sweep', body: 'hello' }) },
  'POST /compat/bytesmtp/api/ai/generate': { as: 'jwt', json: () => ({ feature: 'compose', prompt: 'Write a hello', domain_id: 1, provider: 'openai' }) },
  'POST /compat/resend/emails/batch': { as: 'key', json: (s) => [resendEmail(s)] },
  'POST /compat/resend/emails': { as: 'jwt', json: resendEmail },
  'PATCH /compat/resend/emails/:id': { as: 'jwt', params: (s) => ({ id: s.emailId }), json: () => ({ scheduled_at: LATER_STILL }) },
};

const BOUNDARY = 'input-sweep-boundary';
const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const notJson: Payload = { contentType: 'application/json', body: '{"a":' };
const mboxOf = (message: string) => `From sweep@sender.test Tue May 12 09:00:00 2026\n${message.replace(/\r\n/g, '\n')}\n`;

/** The routes whose body is a form, a raw message or an mbox file. */
export const RAW_ROUTES: Record<string, RawRoute> = {
  'POST /api/v1/emails/send/multipart': {
    as: 'jwt',
    valid: (s) => ({ contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: part('from', s.p.address) + part('to', SINK_ADDRESS) + part('subject', 'input sweep') + part('text', 'hello') + `--${BOUNDARY}--\r\n` }),
    bad: (s) => [
      { name: 'a JSON body that is not JSON', payload: notJson, expect: '4xx' },
      { name: 'an empty form body', payload: { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: '' }, expect: '4xx' },
      { name: 'a form cut off in a part', payload: { contentType: `multipart/form-data; boundary=${BOUNDARY}`, body: part('from', s.p.address) + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="to"\r\n\r\nsink@exa` }, expect: '4xx' },
      { name: 'a form without its boundary', payload: { contentType: 'multipart/form-data', body: part('to', SINK_ADDRESS) }, expect: '4xx' },
    ],
  },
  'POST /api/send_raw': {
    as: 'jwt',
    query: () => ({ to: SINK_ADDRESS }),
    valid: (s) => ({ contentType: 'message/rfc822', body: rawFrom(s.p.address) }),
    bad: (s) => [
      { name: 'an empty body', payload: { contentType: 'message/rfc822', body: '' }, expect: '4xx' },
      { name: 'a JSON body that is not JSON', payload: notJson, expect: '4xx' },
      // Headers cut off in the To line: a message without body, which a server may still send.
      { name: 'a message cut off in its headers', payload: { contentType: 'message/rfc822', body: rawFrom(s.p.address).slice(0, rawFrom(s.p.address).indexOf('To:') + 10) }, expect: 'no 5xx' },
    ],
  },
  'POST /admin/mails/import': {
    as: 'password',
    query: (s) => ({ to: s.p.address }),
    valid: (s) => ({ contentType: 'application/mbox', body: mboxOf(rawFrom('sweep@sender.test').replace('Subject: sweep', `Subject: import ${fresh('m')}`)) }),
    bad: () => [
      { name: 'an empty body', payload: { contentType: 'application/mbox', body: '' }, expect: '4xx' },
      { name: 'an mbox cut off in its first From line', payload: { contentType: 'application/mbox', body: 'From sweep@sender.test Tue May' }, expect: 'no 5xx' },
      { name: 'a JSON body that is not JSON', payload: notJson, expect: 'no 5xx' },
    ],
  },
};

/** POST, PUT, PATCH and catch-all routes that read no body, with why. */
export const NO_BODY: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the session the request carries; reads no body',
  'POST /api/v1/domains/:domain/approve': 'the domain is in the path; reads no body',
  'POST /api/v1/domains/:domain/verify': 'the domain is in the path; reads no body',
  'POST /api/v1/emails/:id/cancel': 'the email is in the path; reads no body',
  'POST /api/v1/webhooks/:id/rotate_secret': 'the webhook is in the path; reads no body',
  'POST /api/v1/webhooks/:id/deliveries/:delivery_id/replay': 'the delivery is in the path; reads no body',
  'POST /api/v1/webhooks/:id/test': 'the webhook is in the path; reads no body',
  'POST /api/rotate_token': 'rotates the token the request carries; reads no body',
  'POST /admin/session': 'the password is a header; reads no body',
  'POST /admin/addresses/:id/token': 'the address is in the path; reads no body',
  'POST /admin/addresses/:id/rotate_token': 'the address is in the path; reads no body',
  'POST /compat/mailapi/api/v1/domains/:domain/approve': 'the domain is in the path; reads no body',
  'POST /compat/resend/emails/:id/cancel': 'the email is in the path; reads no body',
  'ALL /compat/resend/emails/batch': 'answers 405 to any other method, whatever the body',
  'ALL /compat/resend/emails': 'answers 405 to any other method, whatever the body',
  'ALL /compat/resend/emails/:id': 'answers 405 to any other method, whatever the body',
  'ALL /compat/resend/emails/:id/cancel': 'answers 405 to any other method, whatever the body',
  'ALL /compat/resend/domains': 'answers 405 to any other method, whatever the body',
  'ALL /compat/resend/domains/:id': 'answers 405 to any other method, whatever the body',
};

/** Every route that reads query parameters. */
export const QUERY_ROUTES: Record<string, QueryRoute> = {
  // /api/v1: the parameters are the OpenAPI document's.
  'GET /api/v1/permissions': { as: 'admin', base: (s) => ({ email: s.p.userEmail }) },
  'GET /api/v1/users': { as: 'session', base: (s) => ({ domain: s.p.domain }) },
  'GET /api/v1/keys': { as: 'admin' },
  'GET /api/v1/mailboxes/:address/search': { as: 'key', params: box, base: () => ({ q: 'Report' }) },
  'GET /api/v1/mailboxes/:address/messages': { as: 'key', params: box },
  'GET /api/v1/mailboxes/:address/export': { as: 'jwt', params: box },
  'GET /api/v1/stats/delivery': { as: 'session', base: (s) => ({ sender: s.p.address }) },
  'GET /api/v1/stats/domain/:domain': { as: 'session', params: (s) => ({ domain: s.p.domain }) },
  'GET /api/v1/emails': { as: 'jwt' },
  'GET /api/v1/suppressions': { as: 'key' },
  'DELETE /api/v1/suppressions': { as: 'key', base: (s) => ({ email: s.suppressed }) },
  'GET /api/v1/webhooks/:id/deliveries': { as: 'jwt', params: (s) => ({ id: s.p.webhookId }) },
  // The original API.
  'GET /api/mails': { as: 'jwt', names: ['limit', 'offset'] },
  'GET /api/parsed_mails': { as: 'jwt', names: ['limit', 'offset', 'q'] },
  'GET /api/sendbox': { as: 'jwt', names: ['limit', 'offset'] },
  'POST /api/send_raw': { as: 'jwt', base: () => ({ to: SINK_ADDRESS }), names: ['to', 'notify'], payload: (s) => ({ contentType: 'message/rfc822', body: rawFrom(s.p.address) }) },
  'GET /admin/addresses': { as: 'password', names: ['limit', 'offset', 'query'] },
  'GET /admin/mails': { as: 'password', base: (s) => ({ address: s.p.address }), names: ['limit', 'offset', 'address'] },
  'GET /admin/parsed_mails': { as: 'password', base: (s) => ({ address: s.p.address }), names: ['limit', 'offset', 'address'] },
  'POST /admin/mails/import': { as: 'password', base: (s) => ({ to: s.p.address }), names: ['to'], payload: (s) => RAW_ROUTES['POST /admin/mails/import']!.valid(s) },
  // The Mail API door.
  'GET /compat/mailapi/api/v1/mail/sent': { as: 'key', names: ['limit', 'offset'] },
  'GET /compat/mailapi/api/v1/mailbox/:email/messages': { as: 'jwt', params: (s) => ({ email: s.p.address }), names: ['folder', 'limit', 'offset'] },
  'GET /compat/mailapi/api/v1/mailbox/:email/messages/:uid': { as: 'key', params: (s) => ({ email: s.p.address, uid: s.mailId }), names: ['folder'] },
  'GET /compat/mailapi/api/v1/mailbox/:email/messages/:uid/attachment/:index': { as: 'jwt', params: (s) => ({ email: s.p.address, uid: s.mailId, index: '0' }), names: ['folder'] },
  'GET /compat/mailapi/api/v1/mailbox/:email/search': { as: 'session', params: (s) => ({ email: s.p.address }), base: () => ({ q: 'Report' }), names: ['q', 'folder', 'limit'] },
  'GET /compat/mailapi/api/v1/stats/delivery': { as: 'session', base: (s) => ({ sender: s.p.address }), names: ['start_date', 'end_date', 'sender', 'group_by'] },
  'GET /compat/mailapi/api/v1/stats/domain/:domain': { as: 'session', params: (s) => ({ domain: s.p.domain }), names: ['start_date', 'end_date'] },
  // The ByteSMTP door.
  'GET /compat/bytesmtp/api/inbox': { as: 'session', base: (s) => ({ mailbox: s.p.address }), names: ['folder', 'page', 'mailbox'] },
  'GET /compat/bytesmtp/api/message/:uid': { as: 'jwt', params: (s) => ({ uid: s.mailId }), base: (s) => ({ mailbox: s.p.address }), names: ['mailbox'] },
  'DELETE /compat/bytesmtp/api/message/:uid': { as: 'key', params: (s) => ({ uid: s.doomedMailId }), base: (s) => ({ mailbox: s.p.address }), names: ['mailbox'] },
  // The Resend door.
  'GET /compat/resend/emails': { as: 'key', names: ['limit', 'after', 'before'] },
  'GET /compat/resend/domains': { as: 'session', names: ['limit', 'after', 'before'] },
};

/** GET and DELETE routes outside /api/v1 that read no query parameter (/api/v1's are known from its OpenAPI document). */
export const NO_QUERY: Record<string, string> = Object.fromEntries(
  [
    'GET /health',
    'GET /api/public_config',
    'GET /api/settings',
    'GET /api/mail/:id',
    'GET /api/parsed_mail/:id',
    'GET /api/mails/:id/raw',
    'GET /api/mails/:id/attachments/:index',
    'DELETE /api/mails/:id',
    'GET /api/sendbox/:id',
    'GET /admin/stats',
    'GET /admin/config',
    'GET /admin/addresses/:id',
    'DELETE /admin/addresses/:id',
    'GET /admin/mails/import',
    'GET /compat/mailapi/health',
    'GET /compat/mailapi/api/v1/mail/:message_id/status',
    'GET /compat/mailapi/api/v1/mailbox/:email/folders',
    'GET /compat/mailapi/api/v1/tokens/me',
    'GET /compat/mailapi/api/v1/domains/pending',
    'GET /compat/resend/emails/:id',
    'GET /compat/resend/domains/:id',
    'GET /t/o/:token',
    'GET /t/c/:token',
  ].map((r) => [r, 'reads nothing from the query string']),
);

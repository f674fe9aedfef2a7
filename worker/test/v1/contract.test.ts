import { Validator } from '@cfworker/json-schema';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ERROR_STATUS } from '../../src/lib/errors';
import { call, createAddress, deliverFixture, envWith, json } from '../helpers';
import { adminKey, mailboxPath, v1 } from './helpers';

type Json = Record<string, any>;
let spec: Json;

/** Inlines `#/components/...` references so each response schema validates on its own. */
function deref(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(deref);
  if (!node || typeof node !== 'object') return node;
  const ref = (node as Json).$ref;
  if (typeof ref === 'string') return deref(ref.slice(2).split('/').reduce((at: Json, part: string) => at[part], spec));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, deref(v)]));
}

/** The documented schema for a call, found by matching the concrete path against the templates. */
function schemaFor(method: string, path: string, status: number): unknown {
  const entry = Object.entries(spec.paths as Json).find(([template]) =>
    new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
  );
  expect(entry, `${method} ${path} is documented`).toBeDefined();
  const operation = entry![1][method.toLowerCase()];
  expect(operation, `${method} ${path} operation is documented`).toBeDefined();
  const response = operation.responses[String(status)];
  expect(response, `${method} ${path} documents status ${status}`).toBeDefined();
  return deref(response.content?.['application/json']?.schema);
}

async function conforms(key: string | null, method: string, path: string, body?: unknown, e?: Env) {
  const res = await v1(key, path, { method, body: body === undefined ? undefined : JSON.stringify(body) }, e);
  const schema = schemaFor(method, path.split('?')[0]!, res.status);
  expect(schema, `${method} ${path} → ${res.status} has a JSON schema`).toBeTruthy();
  const payload = await json(res);
  const result = new Validator(schema as any, '2020-12', false).validate(payload);
  expect(result.errors, `${method} ${path} → ${res.status} ${JSON.stringify(payload).slice(0, 300)}`).toEqual([]);
  return { status: res.status, payload };
}

beforeAll(async () => {
  spec = await json(await call('/api/v1/openapi.json'));
});

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1, public, and lists every error code', async () => {
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.components.schemas.Error.properties.error.properties.code.enum.sort()).toEqual(Object.keys(ERROR_STATUS).sort());
    expect(Object.keys(spec.paths).length).toBeGreaterThanOrEqual(10);
    for (const path of ['/emails', '/emails/send', '/emails/send/multipart', '/emails/batch', '/emails/send/batch', '/emails/{id}', '/emails/{id}/cancel', '/suppressions']) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });

  it('serves interactive docs that read it, allowing exactly its own script and style', async () => {
    const res = await call('/api/v1/docs');
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain("fetch('openapi.json')");
    const hash = async (text: string) =>
      `'sha256-${btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)))))}'`;
    const script = /<script type="module">([\s\S]*)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*)<\/style>/.exec(html)![1]!;
    expect(res.headers.get('content-security-policy')).toBe(
      `default-src 'none'; script-src ${await hash(script)}; style-src ${await hash(style)}; connect-src 'self'`,
    );
  });

  it.each(['/api/v1/openapi.json', '/api/v1/docs'])('serves %s without any password, cacheable, even with PASSWORDS set', async (path) => {
    const e = envWith({ PASSWORDS: 'site-secret' });
    const res = await call(path, {}, e);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=3600');
    // Everything else still needs the site password.
    expect((await call('/api/v1/keys/me', {}, e)).status).toBe(401);
    expect((await call('/api/public_config', {}, e)).status).toBe(401);
    expect((await json(await call('/api/v1/keys/me', { headers: { 'x-custom-auth': 'site-secret' } }, e))).error.code).toBe('missing_token');
  });
});

describe('real responses match the document', () => {
  it('for every operation, success and error alike', async () => {
    const key = await adminKey();
    const box = await createAddress('contract');
    await deliverFixture('attachments.eml', box.address);
    const m = mailboxPath(box.address);
    const list = await conforms(key, 'GET', `${m}/messages?folder=INBOX`);
    const uid = list.payload.data[0].uid;
    await conforms(key, 'GET', `${m}/folders`);
    await conforms(key, 'GET', `${m}/messages/${uid}`);
    await conforms(key, 'PATCH', `${m}/messages/${uid}`, { flags: ['\\Seen'] });
    await conforms(key, 'GET', `${m}/search?q=chart`);
    const draft = await conforms(key, 'POST', `${m}/drafts`, { to: ['x@example.org'], subject: 'd', text: 't' });
    await conforms(key, 'PUT', `${m}/drafts/${draft.payload.data.uid}`, { subject: 'd2', text: 't2' });
    await conforms(key, 'DELETE', `${m}/messages/${uid}`);
    const created = await conforms(key, 'POST', '/keys', { type: 'mailbox', mailbox: box.address, name: 'c' });
    await conforms(created.payload.data.key, 'GET', '/keys/me');
    await conforms(key, 'GET', '/keys');
    await conforms(key, 'DELETE', `/keys/${created.payload.data.id}`);
    await conforms(key, 'GET', '/stats/delivery?group_by=day');
    await conforms(key, 'GET', '/stats/domain/example.com');
    const aiOn = envWith({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: `${inject('aiUrl')}/openai/v1`, OPENAI_MODEL: 'fake-echo' });
    await conforms(key, 'POST', '/ai/generate', { feature: 'compose', prompt: 'A thank-you note' }, aiOn);
    await conforms(key, 'POST', '/ai/generate', { feature: 'compose', prompt: 'A thank-you note' });
    await conforms(key, 'POST', '/ai/generate', { feature: 'compose', prompt: 'x' }, envWith({ OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: `${inject('aiUrl')}/openai/v1` }));
    // Sending.
    const sent = await conforms(key, 'POST', '/emails', { from: 'Contract <contract@example.com>', to: ['x@far.test'], subject: 's', html: '<p>h</p>', tags: ['t'] });
    expect(sent.status).toBe(202);
    await conforms(key, 'POST', '/emails/send', { from: { email: 'contract@example.com' }, to: { email: 'y@far.test' }, subject: 's', text_body: 't' });
    const later = await conforms(key, 'POST', '/emails', {
      from: 'contract@example.com', to: 'x@far.test', subject: 's', text: 't', scheduled_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await conforms(key, 'PATCH', `/emails/${later.payload.data.id}`, { scheduled_at: new Date(Date.now() + 7_200_000).toISOString() });
    await conforms(key, 'POST', `/emails/${later.payload.data.id}/cancel`);
    await conforms(key, 'POST', `/emails/${later.payload.data.id}/cancel`);
    const other = await conforms(key, 'POST', '/emails', { from: 'contract@example.com', to: 'x@far.test', subject: 's', text: 't', scheduled_at: new Date(Date.now() + 3_600_000).toISOString() });
    await conforms(key, 'DELETE', `/emails/${other.payload.data.id}`);
    await conforms(key, 'POST', '/emails/batch', [{ from: 'contract@example.com', to: 'x@far.test', subject: 's', text: 't' }, { to: 'bad' }]);
    const permissive = await v1(key, '/emails/send/batch', {
      method: 'POST',
      headers: { 'x-batch-validation': 'permissive' },
      body: JSON.stringify({ from: 'contract@example.com', subject: 'Hi {{n}}', text: 't', recipients: [{ to: 'x@far.test', variables: { n: '1' } }, { to: 'y@far.test' }] }),
    });
    const batchSchema = schemaFor('POST', '/emails/send/batch', 202);
    expect(new Validator(batchSchema as any, '2020-12', false).validate(await json(permissive)).errors).toEqual([]);
    const form = new FormData();
    form.append('from', 'contract@example.com');
    form.append('to', 'x@far.test');
    form.append('subject', 's');
    form.append('text', 't');
    form.append('file', new File(['abc'], 'a.txt', { type: 'text/plain' }));
    const multi = await call('/api/v1/emails/send/multipart', { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
    expect(new Validator(schemaFor('POST', '/emails/send/multipart', multi.status) as any, '2020-12', false).validate(await json(multi)).errors).toEqual([]);
    await conforms(key, 'GET', '/emails?limit=2');
    await conforms(key, 'GET', `/emails/${sent.payload.data.id}`);
    await conforms(key, 'GET', '/emails/em_doesnotexist');
    await conforms(key, 'GET', '/suppressions');
    await conforms(key, 'DELETE', '/suppressions?email=nobody@far.test');
    await conforms(key, 'POST', '/emails', { from: 'ceo@bank.test', to: 'x@far.test', subject: 's', text: 't' });
    // Errors use the documented envelope too.
    await conforms(key, 'GET', `${m}/messages/msg_doesnotexist000000`);
    await conforms(key, 'GET', `${m}/messages?folder=Nope`);
    await conforms(null, 'GET', `${m}/folders`);
    await conforms(created.payload.data.key, 'GET', '/keys/me');
  });
});

describe('accounts responses match the document', () => {
  it('for signup, log-in, sessions, domains, permissions and users, success and error alike', async () => {
    const key = await adminKey();
    const signup = await conforms(null, 'POST', '/auth/signup', { domain: 'contract.test', email: 'me@contract.test', password: 'long enough', name: 'Me' });
    const token = signup.payload.data.token;
    await conforms(null, 'POST', '/auth/signup', { domain: 'contract.test', email: 'me@contract.test', password: 'long enough', name: 'Me' });
    await conforms(null, 'POST', '/auth/login', { email: 'me@contract.test', password: 'long enough' });
    await conforms(null, 'POST', '/auth/login', { email: 'me@contract.test', password: 'wrong password' });
    await conforms(token, 'GET', '/auth/me');
    await conforms(token, 'GET', '/auth/sessions');
    await conforms(token, 'POST', '/auth/me/addresses', { name: 'contract-own' });
    await conforms(key, 'GET', '/domains/pending');
    await conforms(token, 'GET', '/domains/contract.test/dns');
    await conforms(key, 'POST', '/domains/contract.test/approve');
    await conforms(key, 'GET', '/domains');
    await conforms(key, 'POST', '/users', { email: 'you@contract.test', password: 'long enough', name: 'You' });
    await conforms(key, 'GET', '/users?domain=contract.test');
    await conforms(key, 'POST', '/permissions/bulk', { email: 'you@contract.test', domain: 'contract.test', permissions: ['send_mail'] });
    await conforms(key, 'GET', '/permissions');
    await conforms(key, 'POST', '/permissions/revoke', { email: 'you@contract.test', domain: 'contract.test', permissions: ['send_mail'] });
    await conforms(key, 'DELETE', '/users/you@contract.test');
    await conforms(token, 'POST', '/permissions/bulk', { email: 'you@contract.test', domain: 'contract.test', permissions: ['send_mail'] });
    await conforms(token, 'POST', '/auth/logout');
  });
});

describe('tracking and webhook responses match the document', () => {
  it('for emails with engagement fields, and every webhook operation, success and error alike', async () => {
    const key = await adminKey();
    const e = envWith({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const tracked = await conforms(key, 'POST', '/emails', { from: 'contract@example.com', to: 'x@far.test', subject: 's', html: '<a href="https://a.test/">a</a>', track_opens: true, track_clicks: true });
    const email = await conforms(key, 'GET', `/emails/${tracked.payload.data.id}`);
    expect(email.payload.data).toMatchObject({ track_opens: true, track_clicks: true, first_opened_at: null, read_at: null });
    expect(typeof email.payload.data.unified_status).toBe('string');
    await conforms(key, 'POST', '/emails', { from: 'contract@example.com', to: 'x@far.test', subject: 's', text: 't', track_opens: 'yes' });

    const hook = await conforms(key, 'POST', '/webhooks', { url: `${inject('webhookUrl')}/ok/contract`, events: ['email.received', 'email.bounced'], description: 'c' }, e);
    expect(hook.status).toBe(201);
    const id = hook.payload.data.id;
    await conforms(key, 'POST', '/webhooks', { url: 'http://127.0.0.1/x', events: ['email.received'] });
    await conforms(key, 'POST', '/webhooks', { url: 'https://hooks.example.net/x', events: ['email.nope'] });
    await conforms(key, 'GET', '/webhooks');
    await conforms(key, 'GET', `/webhooks/${id}`);
    await conforms(key, 'GET', '/webhooks/wh_doesnotexist');
    await conforms(key, 'PATCH', `/webhooks/${id}`, { enabled: true, domain: 'example.com' });
    await conforms(key, 'POST', `/webhooks/${id}/rotate_secret`);
    const test = await conforms(key, 'POST', `/webhooks/${id}/test`, undefined, e);
    expect(test.payload.data.attempt_log).toHaveLength(1);
    await conforms(key, 'GET', `/webhooks/${id}/deliveries?limit=5`);
    await conforms(key, 'POST', `/webhooks/${id}/deliveries/${test.payload.data.id}/replay`, undefined, e);
    await conforms(key, 'POST', `/webhooks/${id}/deliveries/whd_nope/replay`);
    await conforms(key, 'PATCH', `/webhooks/${id}`, { enabled: false });
    await conforms(key, 'POST', `/webhooks/${id}/deliveries/${test.payload.data.id}/replay`);
    await conforms(key, 'DELETE', `/webhooks/${id}`);
    await conforms(null, 'GET', '/webhooks');
    for (const path of ['/webhooks', '/webhooks/{id}', '/webhooks/{id}/rotate_secret', '/webhooks/{id}/deliveries', '/webhooks/{id}/deliveries/{delivery_id}/replay', '/webhooks/{id}/test']) {
      expect(spec.paths[path], path).toBeDefined();
    }
  });
});

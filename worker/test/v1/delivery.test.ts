import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import worker from '../../src/index';
import { bearer, call, createAddress, json, testEnv } from '../helpers';
import { v1 } from './helpers';
import { getEmail, heldEnv, relayReceived, runQueue, smtpEnv } from './sending';

const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

async function send(jwt: string, body: unknown, e: Env) {
  const res = await call('/api/v1/emails', { method: 'POST', headers: bearer(jwt), body: JSON.stringify(body) }, e);
  expect(res.status).toBe(202);
  return (await json(res)).data.id as string;
}

const byEmail = (email: any) => Object.fromEntries(email.recipients.map((r: any) => [r.email, r]));

describe('delivery through the SMTP relay provider', () => {
  it('records each recipient\'s RCPT answer: 2xx sent, 4xx deferred and retried, 5xx bounced and suppressed', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`relay-${unique()}`, undefined, e);
    const tag = unique();
    const [ok1, ok2, temp, bounce] = [`ok1-${tag}@far.test`, `ok2-${tag}@far.test`, `tempfail-${tag}@far.test`, `bounce-${tag}@far.test`];
    const id = await send(sender.jwt, { to: [ok1, temp], cc: ok2, bcc: bounce, subject: 'relay', text: 'hello relay' }, e);

    const first = await runQueue(e, id, 1);
    expect(first.retryMessages).toHaveLength(1);
    expect(first.delays).toEqual([1]);
    let email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('sending');
    const r = byEmail(email);
    expect(r[ok1]).toMatchObject({ status: 'sent', via: 'smtp', smtp_code: 250, dsn_code: '2.0.0' });
    expect(r[ok2]).toMatchObject({ status: 'sent', type: 'cc' });
    expect(r[temp]).toMatchObject({ status: 'deferred', smtp_code: 451, dsn_code: '4.2.1' });
    expect(r[temp].smtp_response).toContain('Mailbox busy');
    expect(r[bounce]).toMatchObject({ status: 'bounced', type: 'bcc', smtp_code: 550, dsn_code: '5.1.1' });

    const delivered = (await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.to.sort()).toEqual([ok1, ok2].sort());
    expect(delivered[0]!.from).toBe(sender.address);
    expect(delivered[0]!.raw).not.toMatch(/^bcc:/im);
    expect(delivered[0]!.raw).not.toContain(bounce);
    expect(delivered[0]!.raw).toContain(`Message-ID: ${email.message_id}`);

    // Attempt 2 retries only the deferred recipient; attempt 3 (SEND_MAX_ATTEMPTS) gives up on it.
    // Exponential backoff: SEND_RETRY_BASE_SECONDS (1 in tests), doubled per attempt.
    expect((await runQueue(e, id, 2)).delays).toEqual([2]);
    const last = await runQueue(e, id, 3);
    expect(last.retryMessages).toEqual([]);
    expect(last.explicitAcks).toHaveLength(1);
    email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('partially_failed');
    expect(email.attempts).toBe(3);
    expect(byEmail(email)[temp].status).toBe('failed');
    // The recipients who accepted on the first attempt never got it twice.
    const after = (await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)));
    expect(after).toHaveLength(1);

    // The hard bounce is suppressed: a later send skips that recipient.
    const suppressions = await json(await v1(sender.jwt, '/suppressions'));
    expect(suppressions.data).toEqual([expect.objectContaining({ email: bounce, domain: 'example.com', reason: 'hard_bounce', smtp_code: 550, dsn_code: '5.1.1' })]);
    const again = await send(sender.jwt, { to: bounce, subject: 'again', text: 'x' }, e);
    expect((await runQueue(e, again, 1)).retryMessages).toEqual([]);
    const skipped = await getEmail(sender.jwt, again);
    expect(skipped.status).toBe('failed');
    expect(skipped.recipients[0]).toMatchObject({ email: bounce, status: 'suppressed' });
    expect((await relayReceived()).some((m) => m.to.includes(bounce))).toBe(false);

    // Lifting it lets mail through again (the relay still refuses it, so it bounces anew).
    const lifted = await v1(sender.jwt, `/suppressions?email=${encodeURIComponent(bounce)}`, { method: 'DELETE' });
    expect((await json(lifted)).data).toEqual({ email: bounce, removed: 1 });
    expect((await json(await v1(sender.jwt, '/suppressions'))).data).toEqual([]);
    expect((await v1(sender.jwt, `/suppressions?email=${encodeURIComponent(bounce)}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('retries a provider that fails then succeeds, and delivers to each recipient exactly once', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`flaky-${unique()}`, undefined, e);
    const tag = unique();
    const [steady, flaky] = [`steady-${tag}@far.test`, `flaky-${tag}@far.test`];
    const id = await send(sender.jwt, { to: [steady, flaky], subject: 'eventually', text: 'x' }, e);
    expect((await runQueue(e, id, 1)).retryMessages).toHaveLength(1);
    expect(byEmail(await getEmail(sender.jwt, id))[flaky]).toMatchObject({ status: 'deferred', smtp_code: 451, dsn_code: '4.3.0' });
    expect((await runQueue(e, id, 2)).retryMessages).toEqual([]);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('sent');
    expect(email.recipients.map((r: any) => r.status)).toEqual(['sent', 'sent']);
    expect(email.events.map((ev: any) => `${ev.type}:${ev.recipient ?? ''}`)).toEqual(['accepted:', `sent:${steady}`, `deferred:${flaky}`, `sent:${flaky}`]);
    const transactions = (await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)));
    expect(transactions.map((m) => m.to)).toEqual([[steady], [flaky]]);
    // The retry re-sent the very same bytes (built once).
    expect(transactions[0]!.raw).toBe(transactions[1]!.raw);
    // A duplicate delivery of the queue message after completion changes nothing.
    expect((await runQueue(e, id, 3)).explicitAcks).toHaveLength(1);
    expect((await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)))).toHaveLength(2);
  });

  it('records the outcome of every one of 50 recipients in one attempt (50 events: more than one D1 statement may bind)', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`wide-${unique()}`, undefined, e);
    const tag = unique();
    const to = Array.from({ length: 50 }, (_, i) => `r${i}-${tag}@far.test`);
    const id = await send(sender.jwt, { to, subject: 'to many', text: 'x' }, e);
    const result = await runQueue(e, id, 1);
    expect(result.retryMessages).toEqual([]);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('sent');
    expect(email.recipients.map((r: any) => r.status)).toEqual(Array(50).fill('sent'));
    expect(email.events.filter((ev: any) => ev.type === 'sent').map((ev: any) => ev.recipient)).toEqual(to);
    // Sent once: a failed outcome write would have retried the whole message.
    expect((await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)))).toHaveLength(1);
  });

  it('dispatches a batch of messages together; a duplicate of one in the same batch is acknowledged, not sent twice', async () => {
    const e = smtpEnv();
    const sender = await createAddress(`batch-${unique()}`, undefined, e);
    const tag = unique();
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await send(sender.jwt, { to: `b${n}-${tag}@far.test`, subject: `n${n}`, text: 'x' }, e));
    const result = await runQueue(e, [ids[0]!, ids[1]!, ids[0]!, ids[2]!], 1);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(4);
    for (const id of ids) expect((await getEmail(sender.jwt, id)).status).toBe('sent');
    const got = (await relayReceived()).filter((m) => m.to.some((t) => t.endsWith(`-${tag}@far.test`)));
    expect(got.map((m) => m.to[0]).sort()).toEqual([`b1-${tag}@far.test`, `b2-${tag}@far.test`, `b3-${tag}@far.test`]);
  });

  it('bounces a message every recipient refused, and refunds its send balance', async () => {
    const e = smtpEnv({ DEFAULT_SEND_BALANCE: '5' });
    const sender = await createAddress(`allbounce-${unique()}`, undefined, e);
    const id = await send(sender.jwt, { to: [`bounce-a-${unique()}@far.test`, `bounce-b-${unique()}@far.test`], subject: 'nobody', text: 'x' }, e);
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(4);
    await runQueue(e, id, 1);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('bounced');
    expect(email.sent_at).toBeNull();
    expect((await json(await call('/api/settings', { headers: bearer(sender.jwt) }, e))).send_balance).toBe(5);
  });

  it('fails, without retrying, when the relay refuses the credentials', async () => {
    const e = smtpEnv({ SMTP_RELAY_PASSWORD: 'wrong' });
    const sender = await createAddress(`badauth-${unique()}`, undefined, e);
    const id = await send(sender.jwt, { to: `someone-${unique()}@far.test`, subject: 's', text: 'x' }, e);
    expect((await runQueue(e, id, 1)).retryMessages).toEqual([]);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('failed');
    expect(email.recipients[0]).toMatchObject({ status: 'failed', smtp_code: 535 });
    expect(email.last_error).toContain('AUTH: 535');
  });

  it.each([
    ['STARTTLS on a submission port', 'starttls', 'smtpRelayStartTlsPort'],
    ['implicit TLS (port 465 style)', 'tls', 'smtpRelayTlsPort'],
  ] as const)('sends over %s, logging in and handing over the message only inside TLS', async (_name, security, port) => {
    // These relays take AUTH only on an encrypted session, with a certificate for localhost.
    const e = smtpEnv({ SMTP_RELAY_HOST: 'localhost', SMTP_RELAY_PORT: String(inject(port)), SMTP_RELAY_SECURITY: security });
    const sender = await createAddress(`tls-${security}-${unique()}`, undefined, e);
    const to = `someone-${unique()}@far.test`;
    const id = await send(sender.jwt, { to, subject: `over ${security}`, text: 'sealed' }, e);
    expect((await runQueue(e, id, 1)).retryMessages).toEqual([]);
    expect((await getEmail(sender.jwt, id)).recipients[0]).toMatchObject({ status: 'sent', via: 'smtp', smtp_code: 250 });
    const relayed = (await relayReceived()).filter((m) => m.to.includes(to));
    expect(relayed.map((m) => m.secure)).toEqual([true]);
    expect(relayed[0]!.raw).toContain(`Subject: over ${security}`);
  });

  it.each([
    ['STARTTLS', 'starttls', 'smtpRelayUntrustedPort'],
    ['implicit TLS, to a port that speaks plain SMTP', 'tls', 'smtpRelayPort'],
  ] as const)('defers, and says why in plain words, when TLS with the relay fails (%s)', async (_name, security, port) => {
    const e = smtpEnv({ SMTP_RELAY_HOST: 'localhost', SMTP_RELAY_PORT: String(inject(port)), SMTP_RELAY_SECURITY: security });
    const sender = await createAddress(`tls-bad-${security}-${unique()}`, undefined, e);
    const to = `someone-${unique()}@far.test`;
    const id = await send(sender.jwt, { to, subject: 's', text: 'x' }, e);
    expect((await runQueue(e, id, 1)).retryMessages).toHaveLength(1);
    const recipient = (await getEmail(sender.jwt, id)).recipients[0];
    expect(recipient.status).toBe('deferred');
    expect(recipient.smtp_response).toContain('TLS with localhost failed');
    expect(recipient.smtp_response).toContain('certificate is not trusted');
    expect((await relayReceived()).filter((m) => m.to.includes(to))).toEqual([]);
  });

  it('refuses to log in or send in clear text when STARTTLS is configured and the relay does not offer it', async () => {
    const e = smtpEnv({ SMTP_RELAY_SECURITY: 'starttls' });
    const sender = await createAddress(`tls-none-${unique()}`, undefined, e);
    const to = `someone-${unique()}@far.test`;
    const id = await send(sender.jwt, { to, subject: 's', text: 'x' }, e);
    await runQueue(e, id, 1);
    const recipient = (await getEmail(sender.jwt, id)).recipients[0];
    expect(recipient.smtp_response).toContain('does not offer STARTTLS');
    expect((await relayReceived()).filter((m) => m.to.includes(to))).toEqual([]);
  });

  it('defers every recipient when the relay cannot be reached', async () => {
    const e = smtpEnv({ SMTP_RELAY_PORT: '1' });
    const sender = await createAddress(`down-${unique()}`, undefined, e);
    const id = await send(sender.jwt, { to: `someone-${unique()}@far.test`, subject: 's', text: 'x' }, e);
    expect((await runQueue(e, id, 1)).retryMessages).toHaveLength(1);
    const email = await getEmail(sender.jwt, id);
    expect(email.recipients[0].status).toBe('deferred');
    expect(email.recipients[0].smtp_response).toContain('SMTP relay 127.0.0.1:1');
    void inject;
  });
});

describe('delivery through the cloudflare binding', () => {
  // The simulator's binding that only reaches allowed@far.test, as Cloudflare reaches only verified
  // destinations: any other recipient is refused, and no retry can change that.
  const allowlistEnv = () => ({ ...heldEnv({ MAIL_PROVIDER: 'cloudflare' }), EMAIL: (testEnv as unknown as { EMAIL_ALLOWLIST: SendEmail }).EMAIL_ALLOWLIST });

  it('fails a recipient the binding refuses at once, instead of retrying it, and sends to the others', async () => {
    const e = allowlistEnv();
    const sender = await createAddress(`cf-${unique()}`, undefined, e);
    const refused = `refused-${unique()}@far.test`;
    const id = await send(sender.jwt, { to: ['allowed@far.test', refused], subject: 'through the binding', text: 'hello' }, e);

    const first = await runQueue(e, id, 1);
    expect(first.retryMessages).toEqual([]);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('partially_failed');
    expect(byEmail(email)['allowed@far.test']).toMatchObject({ status: 'sent', via: 'cloudflare' });
    expect(byEmail(email)[refused]).toMatchObject({ status: 'failed', via: 'cloudflare', smtp_response: `email to ${refused} not allowed` });
    // Not a bounce: the address is not suppressed, so once it is verified, mail reaches it.
    expect((await json(await v1(sender.jwt, '/suppressions'))).data).toEqual([]);
  });

  it('records the id the binding gives an accepted message (legacy doors show it as provider_id)', async () => {
    const e = allowlistEnv();
    const sender = await createAddress(`cf-${unique()}`, undefined, e);
    const res = await call('/api/send_mail', { method: 'POST', headers: bearer(sender.jwt), body: JSON.stringify({ to_mail: 'allowed@far.test', subject: 'id', content: 'x' }) }, e);
    expect(res.status).toBe(200);
    expect((await json(res)).recipients).toEqual([{ address: 'allowed@far.test', status: 'sent', via: 'cloudflare', provider_id: expect.stringMatching(/^<\w+@example\.com>$/) }]);
  });
});

describe('delivery through Resend, and dead letters', () => {
  it('retries Resend 5xx and fails Resend 4xx without retrying', async () => {
    const base = { MAIL_PROVIDER: 'resend', RESEND_API_URL: inject('resendUrl') };
    const flaky = heldEnv({ ...base, RESEND_API_KEY: 're_fail' });
    const sender = await createAddress(`rs-v1-${unique()}`, undefined, flaky);
    const retried = await send(sender.jwt, { to: 'a@far.test', subject: 's', text: 'x' }, flaky);
    expect((await runQueue(flaky, retried, 1)).retryMessages).toHaveLength(1);
    expect((await getEmail(sender.jwt, retried)).recipients[0]).toMatchObject({ status: 'deferred', via: 'resend', smtp_response: 'Resend 500: Something went wrong' });
    const invalid = heldEnv({ ...base, RESEND_API_KEY: 're_invalid' });
    const refused = await send(sender.jwt, { to: 'a@far.test', subject: 's', text: 'x' }, invalid);
    expect((await runQueue(invalid, refused, 1)).retryMessages).toEqual([]);
    expect((await getEmail(sender.jwt, refused)).status).toBe('failed');
    const ok = heldEnv({ ...base, RESEND_API_KEY: 're_ok' });
    const fine = await send(sender.jwt, { to: 'a@far.test', subject: 's', text: 'x' }, ok);
    await runQueue(ok, fine, 1);
    const email = await getEmail(sender.jwt, fine);
    expect(email.status).toBe('sent');
    expect(email.recipients[0].via).toBe('resend');
  });

  it('a dead-lettered message that never got through is marked failed with a dead_lettered event', async () => {
    const e = heldEnv({});
    const sender = await createAddress(`dlq-${unique()}`, undefined, e);
    const id = await send(sender.jwt, { to: 'someone@far.test', subject: 's', text: 'x' }, e);
    const batch = createMessageBatch('edgemail-send-dlq', [{ id: 'dead-1', timestamp: new Date(), attempts: 1, body: { kind: 'send', id } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, e);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['dead-1']);
    const email = await getEmail(sender.jwt, id);
    expect(email.status).toBe('failed');
    expect(email.recipients[0]).toMatchObject({ status: 'failed', smtp_response: 'Dead-lettered: the message could not be processed' });
    expect(email.events.map((ev: any) => ev.type)).toEqual(['accepted', 'failed', 'dead_lettered']);
  });

  it('acknowledges a malformed send job (no retry can help) and retries a kind this version does not know', async () => {
    const batch = createMessageBatch('edgemail-send', [
      { id: 'odd-1', timestamp: new Date(), attempts: 1, body: { kind: 'send' } },
      { id: 'odd-2', timestamp: new Date(), attempts: 1, body: 'not an object' },
      // A newer deployment may already enqueue kinds this one cannot handle: they come back later.
      { id: 'odd-3', timestamp: new Date(), attempts: 1, body: { kind: 'nope' } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, heldEnv({}));
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['odd-1', 'odd-2']);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(['odd-3']);
  });
});

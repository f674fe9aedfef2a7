/**
 * The SMTP door against clients that misbehave: cut off or stall mid-DATA, send too much, forge
 * originators, carry Bcc, send malformed AUTH. Each case checks three things: nothing was delivered
 * or recorded that should not be, the reply code, and that the same proxy still serves the next client.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, apiBytes, newAddress, python, PYTHON_PROBE, RawSmtp, startProxy, type RunningProxy } from './harness';

const IDLE_TIMEOUT_MS = 1500;
let proxy: RunningProxy;

beforeAll(async () => {
  proxy = await startProxy({ SMTP_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS), SMTP_MAX_SIZE: '5000' });
});

afterAll(async () => {
  await proxy?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nothing reached the recipient, nothing is in the sender's Sent box, no send was counted. */
async function expectNothingSent(sender: { jwt: string }, rcpt: { jwt: string }) {
  expect((await api('/api/parsed_mails', rcpt.jwt)).count).toBe(0);
  expect((await api('/api/sendbox', sender.jwt)).count).toBe(0);
  expect((await api('/api/settings', sender.jwt)).sent_count).toBe(0);
}

/** A fresh pair of addresses sends one message through the proxy with smtplib, and it arrives. */
async function expectStillServing() {
  expect(proxy.alive()).toBe(true);
  const sender = await newAddress(`next-${Math.random().toString(36).slice(2, 8)}`);
  const rcpt = await newAddress(`next-rcpt-${Math.random().toString(36).slice(2, 8)}`);
  const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: rcpt.address });
  expect(out).toMatchObject({ ok: true });
  expect((await api('/api/parsed_mails', rcpt.jwt)).count).toBe(1);
}

const message = (from: string, to: string, extra = '') => `From: ${from}\r\nTo: ${to}\r\nSubject: hostile\r\n${extra}\r\nbody\r\n`;

describe('a client that does not finish DATA', () => {
  it('disconnecting mid-DATA delivers and records nothing', async () => {
    const sender = await newAddress('cut-sender');
    const rcpt = await newAddress('cut-rcpt');
    const session = await RawSmtp.connect(proxy.port);
    await session.startData(sender.jwt, sender.address, [rcpt.address]);
    session.write(`From: ${sender.address}\r\nTo: ${rcpt.address}\r\nSubject: half\r\n\r\nthe first half of a message`);
    await sleep(300);
    session.destroy();
    await session.closed;
    // Give a (wrong) submission time to land before looking.
    await sleep(1000);
    await expectNothingSent(sender, rcpt);
    await expectStillServing();
  });

  it('stalling mid-DATA gets 421 at the idle timeout, delivers nothing, and does not crash the proxy', async () => {
    const sender = await newAddress('stall-sender');
    const rcpt = await newAddress('stall-rcpt');
    const session = await RawSmtp.connect(proxy.port);
    await session.startData(sender.jwt, sender.address, [rcpt.address]);
    session.write(`From: ${sender.address}\r\nTo: ${rcpt.address}\r\nSubject: stalled\r\n\r\nand then nothing`);
    const reply = await session.reply(IDLE_TIMEOUT_MS * 10);
    expect(reply.code).toBe(421);
    await session.closed;
    await sleep(500);
    expect(proxy.errors()).not.toMatch(/smtp_unhandled_rejection|smtp_uncaught_exception|smtp_handler_error/);
    await expectNothingSent(sender, rcpt);
    await expectStillServing();
  });

  it('a message over SMTP_MAX_SIZE gets 552 and nothing is submitted', async () => {
    const sender = await newAddress('big-sender');
    const rcpt = await newAddress('big-rcpt');
    const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: rcpt.address, BODY_SIZE: '20000' });
    // smtplib declares the size in MAIL FROM (SIZE=…), so the refusal may come there already.
    expect(out).toMatchObject({ ok: false, code: 552 });
    await expectNothingSent(sender, rcpt);
    await expectStillServing();
  });

  it('a message over SMTP_MAX_SIZE sent over a raw socket (no SIZE declared) gets 552 and nothing is submitted', async () => {
    const sender = await newAddress('big-raw-sender');
    const rcpt = await newAddress('big-raw-rcpt');
    const session = await RawSmtp.connect(proxy.port);
    await session.startData(sender.jwt, sender.address, [rcpt.address]);
    session.write(message(sender.address, rcpt.address).replace('body', 'y'.repeat(70).concat('\r\n').repeat(200)));
    const reply = await session.command('.');
    expect(reply.code).toBe(552);
    expect((await session.command('QUIT')).code).toBe(221);
    await expectNothingSent(sender, rcpt);
  });
});

describe('originator headers and Bcc through SMTP', () => {
  it.each([
    ['a second mailbox in From', (me: string) => message(`${me}, ceo@bank.example`, 'x@example.com')],
    ['two From headers', (me: string) => message(me, 'x@example.com', 'From: ceo@bank.example\r\n')],
    ['a Sender that is someone else', (me: string) => message(me, 'x@example.com', 'Sender: ceo@bank.example\r\n')],
    ['group syntax in From', (me: string) => message(`Board: ${me}, ceo@bank.example;`, 'x@example.com')],
  ])('refuses %s with 553 and delivers nothing', async (_name, build) => {
    const sender = await newAddress(`orig-${Math.random().toString(36).slice(2, 8)}`);
    const rcpt = await newAddress(`orig-rcpt-${Math.random().toString(36).slice(2, 8)}`);
    const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: rcpt.address, MESSAGE: build(sender.address) });
    expect(out).toMatchObject({ ok: false, step: 'data', code: 553 });
    await expectNothingSent(sender, rcpt);
  });

  it('strips Bcc from what recipients get and keeps it in the sender\'s Sent copy', async () => {
    const sender = await newAddress('bcc-sender');
    const to = await newAddress('bcc-to');
    const hidden = await newAddress('bcc-hidden');
    const out = python(PYTHON_PROBE, {
      PORT: String(proxy.port),
      JWT: sender.jwt,
      FROM: sender.address,
      TO: `${to.address},${hidden.address}`,
      MESSAGE: message(sender.address, to.address, `Bcc: ${hidden.address}\r\n`),
    });
    expect(out).toMatchObject({ ok: true });
    for (const rcpt of [to, hidden]) {
      const inbox = await api('/api/parsed_mails', rcpt.jwt);
      expect(inbox.count).toBe(1);
      const raw = Buffer.from(await apiBytes(`/api/mails/${inbox.results[0].id}/raw`, rcpt.jwt)).toString();
      expect(raw).toContain('Subject: hostile');
      expect(raw).not.toMatch(/^bcc:/im);
      expect(raw).not.toContain(hidden.address);
    }
    const sent = await api('/api/sendbox', sender.jwt);
    const copy = await api(`/api/sendbox/${sent.results[0].id}`, sender.jwt);
    expect(copy.raw).toContain(`Bcc: ${hidden.address}\r\n`);
  });
});

describe('malformed AUTH', () => {
  const plain = (user: string, password: Buffer | string) => Buffer.concat([Buffer.from(`\0${user}\0`), Buffer.from(password)]).toString('base64');

  it.each([
    ['non-ASCII bytes in the password', plain('jwt', Buffer.from([0x70, 0xe4, 0xff, 0x73]))],
    ['UTF-8 text in the password', plain('jwt', 'pässwörd€')],
    ['a line break inside the password', plain('jwt', 'abc\r\nX-Injected: 1')],
    ['control characters in the password', plain('jwt', 'a\x01b\x7f')],
    ['an empty password', plain('jwt', '')],
    ['a token-shaped but forged password', plain('jwt', 'eyJhbGciOiJIUzI1NiJ9.e30.forged')],
  ])('AUTH PLAIN with %s answers 535, never 454', async (_name, payload) => {
    const session = await RawSmtp.connect(proxy.port);
    await session.command('EHLO raw.test');
    expect((await session.command(`AUTH PLAIN ${payload}`)).code).toBe(535);
    // The session goes on: the client may try again with the right token.
    expect((await session.command('NOOP')).code).toBe(250);
    session.destroy();
  });

  it('AUTH LOGIN with a password that is not a token answers 535', async () => {
    const session = await RawSmtp.connect(proxy.port);
    await session.command('EHLO raw.test');
    expect((await session.command('AUTH LOGIN')).code).toBe(334);
    expect((await session.command(Buffer.from('jwt').toString('base64'))).code).toBe(334);
    expect((await session.command(Buffer.from([0xc3, 0x28, 0x00, 0x0a]).toString('base64'))).code).toBe(535);
    session.destroy();
  });

  it('AUTH PLAIN whose payload is not base64 of three fields is refused for good (501, RFC 4954), not 454', async () => {
    const session = await RawSmtp.connect(proxy.port);
    await session.command('EHLO raw.test');
    expect((await session.command('AUTH PLAIN %%%not-base64%%%')).code).toBe(501);
    expect((await session.command(`AUTH PLAIN ${Buffer.from('only-a-password').toString('base64')}`)).code).toBe(501);
    session.destroy();
    await expectStillServing();
  });

  it('closes the connection at the third wrong password (421), and a new connection starts afresh', async () => {
    const sender = await newAddress('auth-cap');
    const plain = (password: string) => `AUTH PLAIN ${Buffer.from(`\0jwt\0${password}`).toString('base64')}`;
    const session = await RawSmtp.connect(proxy.port);
    await session.command('EHLO raw.test');
    // Refused without asking the Worker (not a token's characters), then by the Worker.
    expect((await session.command(plain('not a token'))).code).toBe(535);
    expect((await session.command(plain(`${sender.jwt.slice(0, -4)}AAAA`))).code).toBe(535);
    const third = await session.command(plain(`${sender.jwt.slice(0, -4)}BBBB`));
    expect(third).toMatchObject({ code: 421, lines: ['4.7.0 Too many failed logins, closing the connection'] });
    await session.closed;
    // A new connection starts afresh, and the right token still works on it.
    const next = await RawSmtp.connect(proxy.port);
    await next.command('EHLO raw.test');
    expect((await next.command(plain('wrong-again'))).code).toBe(535);
    expect((await next.command(plain(sender.jwt))).code).toBe(235);
    next.destroy();
    await expectStillServing();
  });

  it('AUTH PLAIN may name only the token\'s own address as the identity to act as (RFC 4616)', async () => {
    const me = await newAddress('authzid-me');
    const other = await newAddress('authzid-other');
    const plain = (authzid: string, authcid: string) => `AUTH PLAIN ${Buffer.from(`${authzid}\0${authcid}\0${me.jwt}`).toString('base64')}`;
    const attempt = async (authzid: string, authcid: string) => {
      const session = await RawSmtp.connect(proxy.port);
      await session.command('EHLO raw.test');
      const reply = await session.command(plain(authzid, authcid));
      session.destroy();
      return reply;
    };
    expect(await attempt(other.address, 'jwt')).toMatchObject({ code: 535, lines: [`5.7.8 This token cannot act as ${other.address}`] });
    expect((await attempt(me.address.toUpperCase(), 'jwt')).code).toBe(235);
    // A user name in either field alone, or the same in both, is only a user name.
    expect((await attempt('jwt', '')).code).toBe(235);
    expect((await attempt('', other.address)).code).toBe(235);
    expect((await attempt('jwt', 'jwt')).code).toBe(235);
  });

  it('refuses MAIL and RCPT parameters of extensions it does not offer (555), and takes SIZE, BODY and AUTH', async () => {
    const sender = await newAddress('params-sender');
    const rcpt = await newAddress('params-rcpt');
    const session = await RawSmtp.connect(proxy.port);
    const ehlo = await session.command('EHLO raw.test');
    expect(ehlo.lines.join('\n')).not.toMatch(/SMTPUTF8|DSN|REQUIRETLS/);
    expect((await session.command(`AUTH PLAIN ${Buffer.from(`\0jwt\0${sender.jwt}`).toString('base64')}`)).code).toBe(235);
    expect(await session.command(`MAIL FROM:<${sender.address}> SMTPUTF8`)).toMatchObject({ code: 555, lines: ['5.5.4 Unsupported parameter SMTPUTF8'] });
    expect((await session.command(`MAIL FROM:<${sender.address}> RET=FULL ENVID=abc`)).code).toBe(555);
    expect((await session.command(`MAIL FROM:<${sender.address}> SIZE=200 BODY=8BITMIME AUTH=<>`)).code).toBe(250);
    expect(await session.command(`RCPT TO:<${rcpt.address}> NOTIFY=FAILURE`)).toMatchObject({ code: 555, lines: ['5.5.4 Unsupported parameter NOTIFY'] });
    expect((await session.command(`RCPT TO:<${rcpt.address}>`)).code).toBe(250);
    expect((await session.command('DATA')).code).toBe(354);
    expect((await session.command(`${message(sender.address, rcpt.address)}.`)).code).toBe(250);
    session.destroy();
    expect((await api('/api/parsed_mails', rcpt.jwt)).count).toBe(1);
  });

  it('a wrong token through smtplib is 535 and the proxy serves the next client', async () => {
    const sender = await newAddress('auth-next');
    const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: `${sender.jwt.slice(0, -4)}AAAA`, FROM: sender.address, TO: sender.address });
    expect(out).toMatchObject({ ok: false, step: 'auth', code: 535 });
    await expectStillServing();
  });
});

describe('the process guard', () => {
  it('logs an unhandled rejection and an uncaught exception and keeps the process running', () => {
    const script = `
      import { installProcessGuards } from './smtp-proxy/dist/guards.js';
      installProcessGuards();
      Promise.reject(new Error('stray rejection'));
      setTimeout(() => { throw new Error('stray exception'); }, 10);
      setTimeout(() => { console.log('still running'); process.exit(0); }, 200);
    `;
    const result = spawnSync('node', ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('still running');
    const events = result.stderr.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([
      expect.objectContaining({ event: 'smtp_unhandled_rejection', error: 'stray rejection' }),
      expect.objectContaining({ event: 'smtp_uncaught_exception', error: 'stray exception' }),
    ]);
  });
});

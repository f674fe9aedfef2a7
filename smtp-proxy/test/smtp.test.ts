import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, apiBytes, newAddress, python, PYTHON_PROBE, startProxy, swaks, workerUrl, type RunningProxy } from './harness';

// The exact snippet users already have, with only host/port/token/addresses filled in from env.
const PYTHON_EXAMPLE = `
import json, os, smtplib
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

msg = MIMEMultipart()
msg['From'] = os.environ['FROM']
msg['To'] = os.environ['TO']
msg['Subject'] = 'Hello from Python'
msg.attach(MIMEText('<h1>Hi there</h1><p>Sent with smtplib.</p>', 'html'))

smtp = smtplib.SMTP('localhost', int(os.environ['PORT']))
smtp.login("jwt", os.environ['JWT'])
smtp.sendmail(os.environ['FROM'], [os.environ['TO']], msg.as_string())
smtp.quit()
print(json.dumps({"ok": True}))
`;

let proxy: RunningProxy;

beforeAll(async () => {
  proxy = await startProxy();
});

afterAll(async () => {
  await proxy?.stop();
});

describe('SMTP proxy with real clients', () => {
  it('delivers the users\' Python smtplib example (MIMEMultipart HTML) and keeps a Sent copy', async () => {
    const sender = await newAddress('py-sender');
    const rcpt = await newAddress('py-rcpt');
    const out = python(PYTHON_EXAMPLE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: rcpt.address });
    expect(out).toEqual({ ok: true });
    const inbox = await api(`/api/parsed_mails`, rcpt.jwt);
    expect(inbox.count).toBe(1);
    const mail = await api(`/api/parsed_mail/${inbox.results[0].id}`, rcpt.jwt);
    expect(mail.subject).toBe('Hello from Python');
    expect(mail.from.address).toBe(sender.address);
    expect(mail.html).toContain('<h1>Hi there</h1>');
    const sent = await api('/api/sendbox', sender.jwt);
    expect(sent.results[0]).toMatchObject({ subject: 'Hello from Python', status: 'sent' });
  });

  it('sends the same example to an address outside our domains, through the send_email binding', async () => {
    const sender = await newAddress('py-outward');
    const out = python(PYTHON_EXAMPLE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: 'bob@elsewhere.test' });
    expect(out).toEqual({ ok: true });
    const sent = await api('/api/sendbox', sender.jwt);
    expect(sent.results[0]).toMatchObject({ subject: 'Hello from Python', status: 'sent' });
  });

  it('passes a swaks message through exactly: custom header and an attachment byte for byte', async () => {
    const sender = await newAddress('swaks-sender');
    const rcpt = await newAddress('swaks-rcpt');
    const dir = mkdtempSync(join(tmpdir(), 'edgemail-swaks-'));
    const attachment = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 13 + 7) & 0xff));
    writeFileSync(join(dir, 'report.pdf'), attachment);
    const { status, output } = swaks([
      '--server', `127.0.0.1:${proxy.port}`,
      '--auth', 'LOGIN', '--auth-user', sender.address, '--auth-password', sender.jwt,
      '--from', sender.address, '--to', rcpt.address,
      '--header', 'Subject: swaks test', '--header', 'X-Trace: abc-123',
      '--body', 'Body from swaks',
      '--attach-type', 'application/pdf', '--attach-name', 'report.pdf', '--attach', `@${join(dir, 'report.pdf')}`,
    ]);
    expect(status, output).toBe(0);
    expect(output).toMatch(/<- {2}250 OK queued as <[^>]+>/);
    const inbox = await api('/api/parsed_mails', rcpt.jwt);
    const mail = await api(`/api/parsed_mail/${inbox.results[0].id}`, rcpt.jwt);
    expect(mail.subject).toBe('swaks test');
    expect(mail.headers).toEqual(expect.arrayContaining([{ key: 'x-trace', value: 'abc-123' }]));
    const pdf = mail.attachments.find((a: any) => a.filename === 'report.pdf');
    expect(pdf).toMatchObject({ content_type: 'application/pdf', size: attachment.length });
    const downloaded = await apiBytes(`/api/mails/${inbox.results[0].id}/attachments/${pdf.index}`, rcpt.jwt);
    expect(Buffer.from(downloaded).equals(attachment)).toBe(true);
  });

  it('answers AUTH with a wrong or revoked token with 535', async () => {
    const sender = await newAddress('auth-sender');
    const wrong = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: 'not-a-token', FROM: sender.address, TO: sender.address });
    expect(wrong).toMatchObject({ ok: false, step: 'auth', code: 535 });
    const res = await fetch(`${workerUrl()}/api/rotate_token`, { method: 'POST', headers: { authorization: `Bearer ${sender.jwt}` } });
    expect(res.status).toBe(200);
    const revoked = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: sender.address });
    expect(revoked).toMatchObject({ ok: false, step: 'auth', code: 535 });
  });

  it('refuses MAIL FROM other than the token\'s address with 553', async () => {
    const sender = await newAddress('mf-sender');
    const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, MAIL_FROM: 'ceo@example.com', TO: sender.address });
    expect(out).toMatchObject({ ok: false, step: 'mail', code: 553 });
  });

  it('refuses a From header that differs from the envelope (the Worker\'s check) with 553', async () => {
    const sender = await newAddress('hdr-sender');
    const { status, output } = swaks([
      '--server', `127.0.0.1:${proxy.port}`, '--auth', 'PLAIN', '--auth-user', 'jwt', '--auth-password', sender.jwt,
      '--from', sender.address, '--to', sender.address, '--header', 'From: ceo@example.com', '--body', 'spoof',
    ]);
    expect(status).not.toBe(0);
    expect(output).toMatch(/<\*\* 553 5\.7\.1 The From header must be hdr-sender@example\.com/);
  });

  it('limits recipients per message with 452', async () => {
    const limited = await startProxy({ SMTP_MAX_RECIPIENTS: '2' });
    try {
      const sender = await newAddress('rcpt-sender');
      const [a, b, c] = await Promise.all(['rcpt-a', 'rcpt-b', 'rcpt-c'].map((n) => newAddress(n)));
      const out = python(PYTHON_PROBE, { PORT: String(limited.port), JWT: sender.jwt, FROM: sender.address, TO: [a!, b!, c!].map((x) => x.address).join(',') });
      // The first two are accepted and delivered; the third is refused with 452 at RCPT time.
      expect(out.ok).toBe(true);
      expect(out.refused).toEqual({ [c!.address]: [452, expect.stringContaining('Too many recipients')] });
      expect((await api('/api/parsed_mails', b!.jwt)).count).toBe(1);
      expect((await api('/api/parsed_mails', c!.jwt)).count).toBe(0);
    } finally {
      await limited.stop();
    }
  });

  it('answers with 4xx when the Worker is down, so clients retry later', async () => {
    const orphan = await startProxy({ WORKER_URL: 'http://127.0.0.1:9' });
    try {
      const out = python(PYTHON_PROBE, { PORT: String(orphan.port), JWT: 'any.jwt.value', FROM: 'a@example.com', TO: 'b@example.com' });
      expect(out.ok).toBe(false);
      expect(out.code).toBeGreaterThanOrEqual(400);
      expect(out.code).toBeLessThan(500);
    } finally {
      await orphan.stop();
    }
  });

  it('will not start without TLS unless SMTP_ALLOW_INSECURE_AUTH is set: no client could log in', async () => {
    await expect(startProxy({ SMTP_ALLOW_INSECURE_AUTH: 'false' })).rejects.toThrow(/No TLS certificate .* SMTP_ALLOW_INSECURE_AUTH is off: no client could log in/);
  });

  it('refuses a bad recipient at RCPT (553) and delivers to the others; takes an internationalised domain; adds a Received field', async () => {
    const sender = await newAddress('rcpt-check-sender');
    const good = await newAddress('rcpt-check-good');
    const out = python(PYTHON_PROBE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: [good.address, 'bob@localhost', 'bob@xn--mnchen-3ya.de', 'nobody-rcpt-check@example.com'].join(',') });
    expect(out.ok).toBe(true);
    // (A UTF-8 local part is refused with 5.6.7; smtplib cannot even send one without SMTPUTF8.)
    expect(out.refused).toEqual({ 'bob@localhost': [553, expect.stringContaining('5.1.3 Bad recipient address syntax')] });
    const inbox = await api('/api/parsed_mails', good.jwt);
    expect(inbox.count).toBe(1);
    const raw = await (await fetch(`${workerUrl()}/api/mails/${inbox.results[0].id}/raw`, { headers: { authorization: `Bearer ${good.jwt}` } })).text();
    expect(raw).toMatch(/(^|\r\n)Received: from [^\r\n]+\r\n\tby edgemail-smtp \(Edgemail SMTP proxy\) with ESMTPA id [^;]+;\r\n\t\w{3}, \d+ \w{3} \d{4} [\d:]{8} \+0000\r\n/);
    // The international domain went out in its ASCII form.
    const [latest] = (await api('/api/v1/emails?limit=1', sender.jwt)).data;
    const email = (await api(`/api/v1/emails/${latest.id}`, sender.jwt)).data;
    expect(email.recipients.map((r: { email: string }) => r.email).sort()).toEqual(['bob@xn--mnchen-3ya.de', good.address, 'nobody-rcpt-check@example.com'].sort());
    // The mailbox that does not exist was only found out after the 250: the sender gets a bounce.
    const bounces = await api('/api/parsed_mails', sender.jwt);
    expect(bounces.results.map((r: { subject: string }) => r.subject)).toEqual(['Undelivered Mail Returned to Sender']);
    expect((await api(`/api/parsed_mail/${bounces.results[0].id}`, sender.jwt)).text).toContain('nobody-rcpt-check@example.com: 550 5.1.1');
  });

  it('offers STARTTLS when a certificate is configured, and authenticates over it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgemail-tls-'));
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(cert.status, cert.stderr).toBe(0);
    const tls = await startProxy({ SMTP_ALLOW_INSECURE_AUTH: 'false', SMTP_TLS_KEY: join(dir, 'key.pem'), SMTP_TLS_CERT: join(dir, 'cert.pem') });
    try {
      const sender = await newAddress('tls-sender');
      const rcpt = await newAddress('tls-rcpt');
      const { status, output } = swaks([
        '--server', `127.0.0.1:${tls.port}`, '--tls', '--auth', 'PLAIN', '--auth-user', 'jwt', '--auth-password', sender.jwt,
        '--from', sender.address, '--to', rcpt.address, '--body', 'over tls',
      ]);
      expect(status, output).toBe(0);
      expect(output).toContain('STARTTLS');
      // REQUIRETLS would promise TLS on every onward hop, which the Worker's providers cannot keep.
      expect(output).not.toContain('REQUIRETLS');
      expect((await api('/api/parsed_mails', rcpt.jwt)).count).toBe(1);
    } finally {
      await tls.stop();
    }
  });

  it('logs each session as one structured line', async () => {
    const sender = await newAddress('log-sender');
    const rcpt = await newAddress('log-rcpt');
    python(PYTHON_EXAMPLE, { PORT: String(proxy.port), JWT: sender.jwt, FROM: sender.address, TO: rcpt.address });
    await new Promise((r) => setTimeout(r, 200));
    const line = proxy.logs.map((l): any => JSON.parse(l)).find((l) => l.event === 'smtp_session' && l.user === sender.address);
    expect(line).toMatchObject({ event: 'smtp_session', user: sender.address, messages: 1, replies: [235, 250] });
    expect(line.bytes).toBeGreaterThan(100);
  });
});

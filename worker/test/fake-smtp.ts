/**
 * vitest globalSetup (runs in Node): a real SMTP submission server (smtp-server) standing in for a
 * third-party relay, so the SMTP relay provider is tested over real sockets from workerd. The
 * recipient's local part picks the RCPT answer:
 * - `…tempfail…` → 451 4.2.1 (transient, every time)
 * - `…flaky…`    → 451 4.3.0 the first time that address is seen, then 250
 * - `…bounce…`   → 550 5.1.1 (hard bounce)
 * - anything else → 250
 * A body containing `REJECT-DATA` is refused after DATA with 554 5.7.1. AUTH needs user `relay`,
 * password `relay-pass`. `GET /_received` on the control port lists accepted messages (envelope, raw
 * source, and whether the session was encrypted); `POST /_reset` forgets them and the flaky counters.
 *
 * Four listeners share those rules: plain SMTP without STARTTLS (`smtpRelayPort`), STARTTLS
 * (`smtpRelayStartTlsPort`) and implicit TLS (`smtpRelayTlsPort`) with a certificate for localhost
 * from the authority scripts/relay-tls-ca.mjs makes workerd trust, and STARTTLS with a self-signed certificate
 * (`smtpRelayUntrustedPort`). The TLS ones take AUTH only once the session is encrypted.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerAddress, type SMTPServerOptions } from 'smtp-server';
import type { TestProject } from 'vitest/node';
import { RELAY_TLS_DIR } from '../../scripts/relay-tls-ca.mjs';

interface Received {
  from: string;
  to: string[];
  raw: string;
  secure: boolean;
}

export default async function setup(project: TestProject) {
  const received: Received[] = [];
  const seen = new Set<string>();

  const relay = (transport: Partial<SMTPServerOptions>) => new SMTPServer({
    name: 'relay.test',
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    ...transport,
    onAuth(auth, _session, callback) {
      if (auth.username === 'relay' && auth.password === 'relay-pass') return callback(null, { user: 'relay' });
      return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const rcpt = address.address.toLowerCase();
      const fail = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (rcpt.includes('tempfail')) return fail(451, '4.2.1 Mailbox busy, try again later');
      if (rcpt.includes('flaky') && !seen.has(rcpt)) {
        seen.add(rcpt);
        return fail(451, '4.3.0 Temporary system problem');
      }
      if (rcpt.includes('bounce')) return fail(550, '5.1.1 No such user here');
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        if (raw.includes('REJECT-DATA')) return callback(Object.assign(new Error('5.7.1 Message content rejected'), { responseCode: 554 }));
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          raw,
          secure: session.secure,
        });
        callback(null, '2.0.0 Ok: queued as fake');
      });
    },
  });
  const tlsDir = process.env[RELAY_TLS_DIR]!;
  const certificate = (name: string) => ({ key: readFileSync(join(tlsDir, `${name}.key`)), cert: readFileSync(join(tlsDir, `${name}.pem`)) });
  const servers = {
    smtpRelayPort: relay({ allowInsecureAuth: true, disabledCommands: ['STARTTLS'] }),
    smtpRelayStartTlsPort: relay(certificate('relay')),
    smtpRelayTlsPort: relay({ secure: true, ...certificate('relay') }),
    smtpRelayUntrustedPort: relay(certificate('untrusted')),
  };
  for (const server of Object.values(servers)) {
    // A client that gives up on our certificate drops the connection: that is the test, not a fault.
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  }

  const control = createHttpServer((req, res) => {
    if (req.method === 'POST' && req.url === '/_reset') {
      received.length = 0;
      seen.clear();
      res.writeHead(204).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(received));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  for (const [name, server] of Object.entries(servers)) project.provide(name as keyof typeof servers, (server.server.address() as AddressInfo).port);
  project.provide('smtpControlUrl', `http://127.0.0.1:${(control.address() as AddressInfo).port}`);
  return async () => {
    for (const server of Object.values(servers)) await new Promise<void>((resolve) => server.close(() => resolve()));
    await new Promise<void>((resolve) => control.close(() => resolve()));
  };
}

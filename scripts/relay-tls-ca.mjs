/**
 * A throwaway certificate authority for the TLS relays of worker/test/fake-smtp.ts, made with openssl
 * when vitest loads its config, so the SMTP relay provider's STARTTLS and implicit TLS are tested
 * over real TLS from workerd. Miniflare gives workerd the certificates in NODE_EXTRA_CA_CERTS as
 * trusted roots, and reads that variable once, when it is first imported: vitest.config.ts imports
 * this module before anything that loads Miniflare. Nothing here is a secret (the keys live in a
 * temporary directory for one run), and only this test run trusts the authority.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The directory holding `relay.key`/`relay.pem` (signed by the trusted authority, for localhost) and `untrusted.key`/`untrusted.pem` (self-signed). */
export const RELAY_TLS_DIR = 'EDGEMAIL_TEST_RELAY_TLS_DIR';

function openssl(args, dir) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'edgemail-relay-tls-'));
  const days = ['-days', '2'];
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', ...days, '-subj', '/CN=Edgemail test relay CA', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'relay.key', '-out', 'relay.csr'], dir);
  writeFileSync(join(dir, 'relay.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['x509', '-req', '-in', 'relay.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', ...days, '-extfile', 'relay.ext', '-out', 'relay.pem'], dir);
  // A certificate for the right name that nobody vouches for: what a misconfigured relay presents.
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', ...days, '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', 'untrusted.key', '-out', 'untrusted.pem'], dir);
  // Whatever the developer already trusts stays trusted.
  const already = process.env.NODE_EXTRA_CA_CERTS;
  const extra = already && existsSync(already) ? `${readFileSync(already, 'utf8').trim()}\n` : '';
  writeFileSync(join(dir, 'trusted.pem'), `${extra}${readFileSync(join(dir, 'ca.pem'), 'utf8')}`);
  return dir;
}

if (!process.env[RELAY_TLS_DIR]) {
  const dir = makeCertificates();
  process.env[RELAY_TLS_DIR] = dir;
  process.env.NODE_EXTRA_CA_CERTS = join(dir, 'trusted.pem');
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
}

/** The proxy's settings, from environment variables (documented in README.md, "SMTP proxy"). */
import { readFileSync } from 'node:fs';

export interface ProxyConfig {
  host: string;
  port: number;
  /** Name in the greeting and EHLO reply. */
  hostname: string;
  /** Base URL of the Edgemail Worker, e.g. https://mail.example.org */
  workerUrl: string;
  /** Sent as x-custom-auth when the Worker has a site password (PASSWORDS). */
  sitePassword?: string;
  maxMessageBytes: number;
  maxRecipients: number;
  workerTimeoutMs: number;
  /** A client silent this long (also mid-DATA) gets 421 and is disconnected. */
  idleTimeoutMs: number;
  tls?: { key: Buffer; cert: Buffer; implicit: boolean };
  /** Allow AUTH on a connection without TLS. Only sensible on localhost or a private network. */
  allowInsecureAuth: boolean;
}

/**
 * The Worker's default MAX_MESSAGE_BYTES (25 MiB) less 4 KiB: on the way the message gains a
 * Received field here, and Date, Message-ID and a DKIM-Signature in the Worker, so a message the
 * proxy accepts at its SIZE still fits the Worker's limit.
 */
export const DEFAULT_MAX_SIZE = 25 * 1024 * 1024 - 4096;

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return value;
}

const bool = (raw: string | undefined, fallback: boolean) => (raw === undefined || raw === '' ? fallback : /^(1|true|yes|on)$/i.test(raw));

export function loadProxyConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const workerUrl = (env.WORKER_URL ?? 'http://127.0.0.1:8787').replace(/\/$/, '');
  if (!/^https?:\/\//.test(workerUrl)) throw new Error(`WORKER_URL must be an http(s) URL, got "${workerUrl}"`);
  const keyPath = env.SMTP_TLS_KEY;
  const certPath = env.SMTP_TLS_CERT;
  if (Boolean(keyPath) !== Boolean(certPath)) throw new Error('Set both SMTP_TLS_KEY and SMTP_TLS_CERT, or neither');
  // Without TLS and without insecure AUTH no client could ever log in: say so now, not at every login.
  if (!keyPath && !bool(env.SMTP_ALLOW_INSECURE_AUTH, false)) {
    throw new Error(
      'No TLS certificate (SMTP_TLS_KEY, SMTP_TLS_CERT) and SMTP_ALLOW_INSECURE_AUTH is off: no client could log in. Set the certificate, or SMTP_ALLOW_INSECURE_AUTH=true on localhost or behind a TLS-terminating proxy.',
    );
  }
  return {
    host: env.SMTP_HOST ?? '0.0.0.0',
    port: int(env, 'SMTP_PORT', 8025),
    hostname: env.SMTP_HOSTNAME ?? 'edgemail-smtp',
    workerUrl,
    sitePassword: env.SITE_PASSWORD || undefined,
    maxMessageBytes: int(env, 'SMTP_MAX_SIZE', DEFAULT_MAX_SIZE),
    maxRecipients: int(env, 'SMTP_MAX_RECIPIENTS', 50),
    workerTimeoutMs: int(env, 'WORKER_TIMEOUT_MS', 60_000),
    idleTimeoutMs: int(env, 'SMTP_IDLE_TIMEOUT_MS', 60_000),
    tls:
      keyPath && certPath
        ? { key: readFileSync(keyPath), cert: readFileSync(certPath), implicit: bool(env.SMTP_IMPLICIT_TLS, false) }
        : undefined,
    allowInsecureAuth: bool(env.SMTP_ALLOW_INSECURE_AUTH, false),
  };
}

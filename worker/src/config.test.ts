import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const base = { DOMAINS: 'Example.com', JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({ ...base });
    expect(config).toMatchObject({
      seedDomains: ['example.com'],
      signup: true,
      sessionTtlSeconds: 1209600,
      dkimEncryptionKey: null,
      dohResolverUrl: 'https://cloudflare-dns.com/dns-query',
      domainCacheSeconds: 30,
      catchAll: 'reject',
      maxMessageBytes: 26214400,
      blobThresholdBytes: 131072,
      adminOnlyCreate: false,
      jwtTtlSeconds: 0,
      adminPasswords: [],
      sitePasswords: [],
      forwardTo: [],
      retentionDays: 0,
    });
  });

  it("defaults the ByteSMTP door's hourly limits to ByteSMTP's published ones, and takes overrides", () => {
    expect(loadConfig({ ...base }).bytesmtpRateLimits).toEqual({ send: 100, inbox: 300, read: 300, delete: 100 });
    expect(loadConfig({ ...base }).ai.ratePerHour).toBe(50);
    const custom = loadConfig({ ...base, BYTESMTP_SEND_PER_HOUR: '5', BYTESMTP_INBOX_PER_HOUR: '0', BYTESMTP_READ_PER_HOUR: '7', BYTESMTP_DELETE_PER_HOUR: '8' });
    expect(custom.bytesmtpRateLimits).toEqual({ send: 5, inbox: 0, read: 7, delete: 8 });
    expect(() => loadConfig({ ...base, BYTESMTP_SEND_PER_HOUR: '-1' })).toThrow(ConfigError);
  });

  it('configures the SMTP relay provider and queue retries, refusing a relay without a host', () => {
    expect(loadConfig({ ...base }).sending).toEqual({ maxAttempts: 5, retryBaseSeconds: 30 });
    const relay = loadConfig({ ...base, MAIL_PROVIDER: 'smtp', SMTP_RELAY_HOST: 'smtp.relay.test', SMTP_RELAY_USER: 'u', SMTP_RELAY_PASSWORD: 'p' });
    expect(relay.provider).toEqual({ kind: 'smtp', host: 'smtp.relay.test', port: 587, security: 'starttls', username: 'u', password: 'p' });
    expect(() => loadConfig({ ...base, MAIL_PROVIDER: 'smtp' })).toThrow(/SMTP_RELAY_HOST/);
    expect(() => loadConfig({ ...base, SMTP_RELAY_SECURITY: 'ssl3' })).toThrow(/SMTP_RELAY_SECURITY/);
    expect(() => loadConfig({ ...base, SEND_MAX_ATTEMPTS: '11' })).toThrow(/SEND_MAX_ATTEMPTS/);
  });

  it('reads the Mail API door\'s per-token limits (100/minute, 1000/hour by default; 0 is unlimited)', () => {
    expect(loadConfig({ ...base }).mailApiRateLimits).toEqual({ perMinute: 100, perHour: 1000 });
    expect(loadConfig({ ...base, MAILAPI_RATE_PER_MINUTE: '0', MAILAPI_RATE_PER_HOUR: '5' }).mailApiRateLimits).toEqual({ perMinute: 0, perHour: 5 });
    expect(() => loadConfig({ ...base, MAILAPI_RATE_PER_HOUR: '-1' })).toThrow(/MAILAPI_RATE_PER_HOUR/);
  });

  it('reads lists written as commas, spaces or a JSON array', () => {
    expect(loadConfig({ ...base, DOMAINS: 'a.test, b.test c.test' }).seedDomains).toEqual(['a.test', 'b.test', 'c.test']);
    expect(loadConfig({ ...base, DOMAINS: '["a.test","B.test"]' }).seedDomains).toEqual(['a.test', 'b.test']);
  });

  it('keeps the spaces of a password: only commas and line breaks separate passwords', () => {
    const config = loadConfig({ ...base, ADMIN_PASSWORDS: 'correct horse battery staple', PASSWORDS: ' site one ,\nsite two\r\n' });
    expect(config.adminPasswords).toEqual(['correct horse battery staple']);
    expect(config.sitePasswords).toEqual(['site one', 'site two']);
    expect(loadConfig({ ...base, ADMIN_PASSWORDS: 'first,second' }).adminPasswords).toEqual(['first', 'second']);
    expect(loadConfig({ ...base, ADMIN_PASSWORDS: '["with, comma", " spaced "]' }).adminPasswords).toEqual(['with, comma', 'spaced']);
  });

  it('takes a setting left blank (as the dashboard can leave a var) as its default', () => {
    const blank = Object.fromEntries(
      ['CATCH_ALL', 'MAIL_PROVIDER', 'RESEND_API_URL', 'SMTP_RELAY_SECURITY', 'SIGNUP', 'DOH_RESOLVER_URL', 'REMOTE_ATTACHMENTS', 'TRACKING', 'MAX_MESSAGE_BYTES', 'TRACK_OPENS'].map((name) => [name, ' ']),
    );
    expect(loadConfig({ ...base, ...blank })).toEqual(loadConfig({ ...base }));
    // A value that is there must still be one of the choices.
    expect(() => loadConfig({ ...base, MAIL_PROVIDER: 'sendgrid' })).toThrow(/MAIL_PROVIDER/);
    expect(() => loadConfig({ ...base, REMOTE_ATTACHMENTS: 'all' })).toThrow(/REMOTE_ATTACHMENTS must be public, any or off/);
    expect(() => loadConfig({ ...base, DOH_RESOLVER_URL: 'dns.google' })).toThrow(/DOH_RESOLVER_URL/);
  });

  it('names every bad variable in one ConfigError', () => {
    const bad = () => loadConfig({ DOMAINS: '', JWT_SECRET: 'short', CATCH_ALL: 'maybe', MAX_MESSAGE_BYTES: 'lots' });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(/DOMAINS.*JWT_SECRET|JWT_SECRET.*DOMAINS/);
    expect(bad).toThrow(/CATCH_ALL/);
    expect(bad).toThrow(/MAX_MESSAGE_BYTES/);
  });

  it('reads the accounts settings and refuses a short DKIM_ENCRYPTION_KEY', () => {
    expect(loadConfig({ ...base, SIGNUP: 'off', DKIM_ENCRYPTION_KEY: 'k'.repeat(32) })).toMatchObject({ signup: false, dkimEncryptionKey: 'k'.repeat(32) });
    expect(() => loadConfig({ ...base, DKIM_ENCRYPTION_KEY: 'short' })).toThrow(/DKIM_ENCRYPTION_KEY/);
    expect(() => loadConfig({ ...base, SIGNUP: 'maybe' })).toThrow(/SIGNUP/);
  });

  it('refuses a malformed JSON list and a blob threshold too big for a D1 row', () => {
    expect(() => loadConfig({ ...base, DOMAINS: '["a.test"' })).toThrow(/DOMAINS/);
    expect(() => loadConfig({ ...base, BLOB_THRESHOLD_BYTES: '2000000' })).toThrow(/BLOB_THRESHOLD_BYTES/);
  });

  it('parses booleans the way people write them', () => {
    expect(loadConfig({ ...base, ADMIN_ONLY_CREATE: 'TRUE' }).adminOnlyCreate).toBe(true);
    expect(loadConfig({ ...base, ADMIN_ONLY_CREATE: '1' }).adminOnlyCreate).toBe(true);
    expect(loadConfig({ ...base, ADMIN_ONLY_CREATE: 'no' }).adminOnlyCreate).toBe(false);
  });

  it('leaves AI off by default, with sensible models, and reads AI settings', () => {
    const off = loadConfig({ ...base, AI_PROVIDER: '', OPENAI_BASE_URL: '' }).ai;
    expect(off).toMatchObject({ provider: null, ratePerHour: 50, openai: { apiKey: null, baseUrl: 'https://api.openai.com/v1', customBaseUrl: false, model: 'gpt-4.1-mini' } });
    const on = loadConfig({ ...base, AI_PROVIDER: 'openai', OPENAI_BASE_URL: 'http://localhost:11434/v1/', OPENAI_MODEL: 'llama3.2', AI_RATE_PER_HOUR: '5' }).ai;
    expect(on).toMatchObject({ provider: 'openai', ratePerHour: 5, openai: { baseUrl: 'http://localhost:11434/v1', customBaseUrl: true, model: 'llama3.2' } });
  });

  it('refuses an unknown AI_PROVIDER and a malformed base URL', () => {
    expect(() => loadConfig({ ...base, AI_PROVIDER: 'gemini' })).toThrow(/AI_PROVIDER must be one of workers-ai, openai, anthropic/);
    expect(() => loadConfig({ ...base, ANTHROPIC_BASE_URL: 'not a url' })).toThrow(/ANTHROPIC_BASE_URL/);
  });

  it('reads tracking and webhook settings: off by default per send, on globally, private targets refused', () => {
    const d = loadConfig({ ...base });
    expect(d.tracking).toEqual({ enabled: true, opens: false, clicks: false, secret: base.JWT_SECRET });
    expect(d.webhooks).toEqual({ allowPrivate: false, timeoutMs: 10_000, postsPerInvocation: 40 });
    expect(d.publicUrl).toBeNull();
    const c = loadConfig({ ...base, TRACKING: 'off', TRACK_OPENS: 'true', TRACKING_SECRET: 's'.repeat(20), WEBHOOK_ALLOW_PRIVATE: 'yes', PUBLIC_URL: 'https://mail.example.org/' });
    expect(c.tracking).toEqual({ enabled: false, opens: true, clicks: false, secret: 's'.repeat(20) });
    expect(c.webhooks.allowPrivate).toBe(true);
    expect(loadConfig({ ...base, WEBHOOK_POSTS_PER_INVOCATION: '900' }).webhooks.postsPerInvocation).toBe(900);
    expect(d.smtpProxyAddress).toBeNull();
    expect(loadConfig({ ...base, SMTP_PROXY_ADDRESS: 'smtp.example.org:587' }).smtpProxyAddress).toBe('smtp.example.org:587');
    expect(() => loadConfig({ ...base, SMTP_PROXY_ADDRESS: 'smtp.example.org' })).toThrow(/SMTP_PROXY_ADDRESS/);
    expect(() => loadConfig({ ...base, WEBHOOK_POSTS_PER_INVOCATION: '0' })).toThrow(/WEBHOOK_POSTS_PER_INVOCATION/);
    expect(c.publicUrl).toBe('https://mail.example.org');
    expect(() => loadConfig({ ...base, PUBLIC_URL: 'mail.example.org' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ ...base, TRACKING_SECRET: 'short' })).toThrow(/TRACKING_SECRET/);
  });
});

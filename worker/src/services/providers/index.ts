/** Picks the outbound provider the configuration names. */
import type { Config } from '../../config';
import { cloudflareProvider } from './cloudflare';
import { resendProvider } from './resend';
import { smtpRelayProvider } from './smtp-relay';
import type { OutboundProvider } from './types';

export function createProvider(config: Config, bindings: { EMAIL: SendEmail }): OutboundProvider {
  const p = config.provider;
  if (p.kind === 'resend') return resendProvider({ apiKey: p.apiKey, apiUrl: p.apiUrl });
  if (p.kind === 'smtp') {
    return smtpRelayProvider({ host: p.host, port: p.port, security: p.security, username: p.username, password: p.password, heloName: config.seedDomains[0] });
  }
  return cloudflareProvider(bindings.EMAIL);
}

/** Picks the outbound provider the configuration names. */
import type { Config } from '../../config';
import { cloudflareProvider } from './cloudflare';
import { resendProvider } from './resend';
import type { OutboundProvider } from './types';

export function createProvider(config: Config, bindings: { EMAIL: SendEmail }): OutboundProvider {
  const p = config.provider;
  return p.kind === 'resend' ? resendProvider({ apiKey: p.apiKey, apiUrl: p.apiUrl }) : cloudflareProvider(bindings.EMAIL);
}

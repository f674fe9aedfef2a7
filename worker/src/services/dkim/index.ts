/**
 * `signMessage`: the one call every sending path makes just before handing a message to a provider.
 * A message whose From domain is an active domain of ours with a DKIM key comes back signed; any
 * other comes back unchanged.
 */
import { latin1Decode, type Bytes } from '../../lib/bytes';
import type { Deps } from '../deps';
import { findDomain } from '../domains/registry';
import { fieldName, splitMessage, toCrlf } from './canonicalize';
import { loadSigningKey } from './keys';
import { dkimSign } from './sign';

// The header block is small; reading this much of a 25 MiB message is enough to find From.
const HEADER_SCAN_BYTES = 256 * 1024;

/** The domain of the From header's address, lowercase, or null. */
export function fromDomain(raw: Bytes): string | null {
  const { fields } = splitMessage(toCrlf(latin1Decode(raw.subarray(0, HEADER_SCAN_BYTES))));
  const from = fields.find((f) => fieldName(f) === 'from');
  if (!from) return null;
  const value = from.slice(from.indexOf(':') + 1).replace(/\r\n/g, '');
  const address = /<([^<>]*)>/.exec(value)?.[1] ?? value.replace(/\([^)]*\)/g, '');
  const at = address.lastIndexOf('@');
  return at < 0 ? null : address.slice(at + 1).trim().toLowerCase() || null;
}

/**
 * Signs `raw` for its From domain when that domain is active and has a key. Fails (rather than sending
 * unsigned) when the key exists but cannot be opened, so a misconfigured secret is noticed.
 */
export async function signMessage(deps: Pick<Deps, 'db' | 'config' | 'clock'>, raw: Bytes): Promise<Bytes> {
  const name = fromDomain(raw);
  const domain = name ? await findDomain(deps, name) : null;
  if (!domain || domain.status !== 'active' || !domain.dkimSelector || !domain.dkimPrivateKey) return raw;
  const privateKey = await loadSigningKey(deps.config.dkimEncryptionKey, domain.name, domain.dkimSelector, domain.dkimPrivateKey);
  return dkimSign(raw, { domain: domain.name, selector: domain.dkimSelector, privateKey, now: deps.clock.now() });
}

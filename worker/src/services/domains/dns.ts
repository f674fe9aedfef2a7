/**
 * The DNS records a domain needs, with full names: MX to Cloudflare Email Routing, SPF allowing
 * Cloudflare's senders, the DKIM key, and a DMARC policy. What the domain page shows and verify checks.
 */
import type { DomainRow } from '../../db/schema-accounts';

export interface DnsRecord {
  type: 'MX' | 'TXT';
  name: string;
  value: string;
  /** MX only. */
  priority?: number;
  /** What the record is for, for people copying it. */
  purpose: 'mx' | 'spf' | 'dkim' | 'dmarc';
}

export const EMAIL_ROUTING_MX = ['route1.mx.cloudflare.net', 'route2.mx.cloudflare.net', 'route3.mx.cloudflare.net'];
export const SPF_INCLUDE = 'include:_spf.mx.cloudflare.net';

export function dkimRecordName(domain: string, selector: string): string {
  return `${selector}._domainkey.${domain}`;
}

export function dnsRecords(domain: DomainRow): DnsRecord[] {
  const records: DnsRecord[] = EMAIL_ROUTING_MX.map((host, i) => ({ type: 'MX', name: domain.name, value: host, priority: [13, 24, 86][i], purpose: 'mx' }));
  records.push({ type: 'TXT', name: domain.name, value: `v=spf1 ${SPF_INCLUDE} ~all`, purpose: 'spf' });
  if (domain.dkimSelector && domain.dkimPublicKey) {
    records.push({ type: 'TXT', name: dkimRecordName(domain.name, domain.dkimSelector), value: `v=DKIM1; k=rsa; p=${domain.dkimPublicKey}`, purpose: 'dkim' });
  }
  // Relaxed alignment: our DKIM d= is the From domain, so DMARC passes on DKIM alone.
  records.push({ type: 'TXT', name: `_dmarc.${domain.name}`, value: 'v=DMARC1; p=quarantine; adkim=r; aspf=r', purpose: 'dmarc' });
  return records;
}

/**
 * Checks a domain's published records over DNS-over-HTTPS (the JSON API that Cloudflare's and
 * Google's resolvers speak: `GET ?name=&type=` with `Accept: application/dns-json`).
 */
import { recordDnsCheck } from '../../db/domains';
import { AppError } from '../../lib/errors';
import type { Deps } from '../deps';
import { dnsRecords, SPF_INCLUDE, type DnsRecord } from './dns';
import { forgetDomainCache, getDomain } from './registry';

const TYPE_CODES = { A: 1, AAAA: 28, MX: 15, TXT: 16 } as const;
const TIMEOUT_MS = 5000;

export interface RecordCheck extends DnsRecord {
  ok: boolean;
  /** What DNS holds at that name and type. */
  found: string[];
}

export interface DnsReport {
  domain: string;
  verified: boolean;
  checked_at: string;
  records: RecordCheck[];
}

/** The answers at a name and type; [] when there are none (NOERROR without answers, or NXDOMAIN). */
export async function dohQuery(resolver: string, name: string, type: keyof typeof TYPE_CODES, fetcher: typeof fetch = fetch): Promise<string[]> {
  const url = `${resolver}${resolver.includes('?') ? '&' : '?'}name=${encodeURIComponent(name)}&type=${type}`;
  let body: { Status?: number; Answer?: { type: number; data: string }[] };
  try {
    const res = await fetcher(url, { headers: { accept: 'application/dns-json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (err) {
    throw new AppError('dns_lookup_failed', `The DNS resolver did not answer for ${name} ${type}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (body.Status === 3) return [];
  if (body.Status !== 0) throw new AppError('dns_lookup_failed', `The DNS resolver answered status ${body.Status} for ${name} ${type}.`);
  // Answers may include the CNAMEs followed on the way; only the asked type counts.
  return (body.Answer ?? []).filter((a) => a.type === TYPE_CODES[type]).map((a) => (type === 'TXT' ? txtValue(a.data) : type === 'MX' ? mxHost(a.data) : a.data.trim()));
}

/** A TXT answer is one or more quoted strings; the record is their concatenation. */
export function txtValue(data: string): string {
  const strings = [...data.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1'));
  return strings.length ? strings.join('') : data;
}

/** `10 route1.mx.cloudflare.net.` → `route1.mx.cloudflare.net`. */
function mxHost(data: string): string {
  return (data.trim().split(/\s+/).pop() ?? '').replace(/\.$/, '').toLowerCase();
}

const tags = (record: string) =>
  new Map(record.split(';').map((t) => t.trim().split('=')).filter((kv) => kv.length >= 2).map(([k, ...v]) => [k!.trim().toLowerCase(), v.join('=').replace(/\s+/g, '')]));

function matches(record: DnsRecord, found: string[]): boolean {
  switch (record.purpose) {
    case 'mx':
      return found.includes(record.value);
    case 'spf':
      // Exactly one SPF record is allowed; it must let Cloudflare's senders through.
      return found.filter((v) => /^v=spf1(\s|$)/i.test(v)).length === 1 && found.some((v) => /^v=spf1(\s|$)/i.test(v) && v.toLowerCase().split(/\s+/).includes(SPF_INCLUDE));
    case 'dkim':
      return found.some((v) => tags(v).get('p') === tags(record.value).get('p'));
    case 'dmarc':
      return found.some((v) => /^v=DMARC1\s*(;|$)/i.test(v));
  }
}

export async function verifyDomainDns(deps: Deps, name: string, fetcher: typeof fetch = fetch): Promise<DnsReport> {
  const domain = await getDomain(deps, name);
  const expected = dnsRecords(domain);
  const lookups = new Map<string, Promise<string[]>>();
  const lookup = (r: DnsRecord) => {
    const key = `${r.type} ${r.name}`;
    if (!lookups.has(key)) lookups.set(key, dohQuery(deps.config.dohResolverUrl, r.name, r.type, fetcher));
    return lookups.get(key)!;
  };
  const records = await Promise.all(
    expected.map(async (r) => {
      const found = await lookup(r);
      return { ...r, ok: matches(r, found), found };
    }),
  );
  const now = deps.clock.now();
  // Without a DKIM key there is nothing to sign with yet, so the domain cannot be fully verified.
  const verified = records.every((r) => r.ok) && records.some((r) => r.purpose === 'dkim');
  const report: DnsReport = { domain: domain.name, verified, checked_at: new Date(now).toISOString(), records };
  await recordDnsCheck(deps.db, domain.id, { report: JSON.stringify(report), now, verified });
  forgetDomainCache();
  return report;
}

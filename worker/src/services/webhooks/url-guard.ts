/**
 * Which webhook URLs we post to: http(s) only, no credentials in the URL, and — unless
 * WEBHOOK_ALLOW_PRIVATE is set for local development — never loopback, private, link-local,
 * metadata or otherwise internal hosts, whether written as IP literals (any spelling: the URL parser
 * normalises them) or as names that only resolve internally.
 */
import { classifyIp, isInternalHostName } from '../../lib/ip';

/** Why `raw` may not be a webhook URL, or null when it may. */
export function webhookUrlProblem(raw: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'url must be an absolute http(s) URL.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use http or https.';
  if (url.username || url.password) return 'url must not contain credentials; put a token in the path or query instead.';
  if (allowPrivate) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const ipClass = classifyIp(host);
  if (ipClass !== null && ipClass !== 'public') return `url points at a ${ipClass.replace('_', '-')} address; only public addresses are allowed.`;
  if (ipClass === null && isInternalHostName(host)) return `url host ${host} is internal (or a cloud metadata service); only public hosts are allowed.`;
  return null;
}

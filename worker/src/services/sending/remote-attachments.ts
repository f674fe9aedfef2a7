/**
 * Attachments given by URL instead of content (Resend's `path`): the Worker fetches them. The URL
 * comes from an API caller, so the fetch is guarded against reaching what the caller could not:
 * only http(s); with REMOTE_ATTACHMENTS=public (the default) no loopback, private, link-local or
 * internal host, whether written as an address or a name that resolves to one (checked over the
 * DoH resolver); every redirect is checked the same way; each fetch has a time limit and all of a
 * message's files together stay within MAX_MESSAGE_BYTES.
 */
import { lookup as typeOfExtension } from 'mrmime';
import { bytesToBase64, readAll } from '../../lib/bytes';
import { AppError } from '../../lib/errors';
import { isInternalHostName, isPrivateIp } from '../../lib/ip';
import type { Deps } from '../deps';
import { dohQuery } from '../domains/verify';
import type { DraftAttachment } from './types';

export interface RemoteAttachment {
  url: string;
  /** Defaults to the last segment of the URL's path. */
  filename?: string;
  /** Defaults to the response's Content-Type, then to a guess from the filename. */
  contentType?: string;
  contentId?: string;
}

const MAX_REDIRECTS = 3;

/** Fetches each attachment in turn; together they may not exceed MAX_MESSAGE_BYTES. */
export async function fetchRemoteAttachments(deps: Pick<Deps, 'config'>, refs: RemoteAttachment[], fetcher: typeof fetch = fetch): Promise<DraftAttachment[]> {
  let budget = deps.config.maxMessageBytes;
  const out: DraftAttachment[] = [];
  for (const ref of refs) {
    const { bytes, type, finalUrl } = await download(deps, ref.url, budget, fetcher);
    budget -= bytes.byteLength;
    const filename = ref.filename ?? nameFromUrl(finalUrl) ?? 'attachment';
    out.push({
      filename,
      contentType: ref.contentType ?? type ?? typeOfExtension(filename) ?? 'application/octet-stream',
      contentBase64: bytesToBase64(bytes),
      ...(ref.contentId ? { contentId: `<${ref.contentId.replace(/^<|>$/g, '')}>`, inline: true } : {}),
    });
  }
  return out;
}

async function download(deps: Pick<Deps, 'config'>, start: string, maxBytes: number, fetcher: typeof fetch) {
  const { mode, timeoutMs } = deps.config.remoteAttachments;
  if (mode === 'off') throw refused(start, 'this server does not fetch attachments by URL (REMOTE_ATTACHMENTS=off); send the content instead');
  const signal = AbortSignal.timeout(timeoutMs);
  let url = parseUrl(start);
  for (let hop = 0; ; hop++) {
    if (mode === 'public') await assertPublic(deps, url, fetcher);
    let res: Response;
    try {
      res = await fetcher(url.href, { redirect: 'manual', signal, headers: { accept: '*/*' } });
    } catch (err) {
      const timedOut = signal.aborted;
      throw refused(start, timedOut ? `no answer within ${timeoutMs} ms` : `the fetch failed (${err instanceof Error ? err.message : String(err)})`);
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw refused(start, `more than ${MAX_REDIRECTS} redirects`);
      url = parseUrl(new URL(res.headers.get('location')!, url).href);
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw refused(start, `the server answered HTTP ${res.status}`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await res.body.cancel();
      throw tooLarge(start, maxBytes);
    }
    let bytes;
    try {
      bytes = await readAll(res.body, maxBytes);
    } catch {
      throw refused(start, signal.aborted ? `no answer within ${timeoutMs} ms` : 'the download broke off');
    }
    if (!bytes) throw tooLarge(start, maxBytes);
    const type = res.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
    return { bytes, type: type && /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type) ? type : undefined, finalUrl: url };
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused(text, 'it is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused(text, 'only http and https URLs are fetched');
  if (url.username || url.password) throw refused(text, 'URLs with credentials are not fetched');
  return url;
}

/** Refuses hosts that are, or resolve to, addresses inside a network. */
async function assertPublic(deps: Pick<Deps, 'config'>, url: URL, fetcher: typeof fetch): Promise<void> {
  // The URL parser already turned 2130706433, 0x7f.1 and friends into dotted quads.
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const literal = /^[\d.]+$/.test(host) || host.includes(':');
  if (literal) {
    if (isPrivateIp(host)) throw refused(url.href, `${host} is a private or loopback address`);
    return;
  }
  if (isInternalHostName(host)) throw refused(url.href, `${host} is an internal host name`);
  const [v4, v6] = await Promise.all([
    dohQuery(deps.config.dohResolverUrl, host, 'A', fetcher),
    dohQuery(deps.config.dohResolverUrl, host, 'AAAA', fetcher),
  ]);
  if (v4.length + v6.length === 0) throw refused(url.href, `${host} does not resolve`);
  const inside = [...v4, ...v6].find(isPrivateIp);
  if (inside) throw refused(url.href, `${host} resolves to the private address ${inside}`);
}

function nameFromUrl(url: URL): string | undefined {
  const last = url.pathname.split('/').filter(Boolean).pop();
  if (!last) return undefined;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

const refused = (url: string, why: string) => new AppError('invalid_attachment', `The attachment at ${url} was not fetched: ${why}.`, 'attachments');

const tooLarge = (url: string, max: number) =>
  new AppError('payload_too_large', `The attachment at ${url} is larger than the ${max} bytes left for this message (MAX_MESSAGE_BYTES).`, 'attachments');

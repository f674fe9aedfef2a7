/**
 * IP literals and what kind of network they belong to: the webhook SSRF guard refuses everything but
 * `public`, and open tracking records the class of the fetching address (never the address itself).
 */
export type IpClass = 'public' | 'private' | 'loopback' | 'link_local' | 'reserved';

/** Dotted-quad IPv4 (what the WHATWG URL parser normalises every IPv4 spelling to), or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** An IPv6 literal (without brackets or zone) as 16 bytes, or null. */
export function parseIpv6(text: string): number[] | null {
  if (!text.includes(':') || /[^0-9a-f:.]/i.test(text)) return null;
  let tail: number[] = [];
  let body = text;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    body = `${text.slice(0, lastColon + 1)}${text[lastColon - 1] === ':' ? '' : '0'}`;
    if (body.endsWith(':0') && text[lastColon - 1] !== ':') body = body.slice(0, -2);
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  const wanted = 8 - tail.length / 2;
  if (halves.length === 1 && head.length !== wanted) return null;
  if (halves.length === 2 && head.length + rest.length >= wanted) return null;
  const all = [...head, ...Array(wanted - head.length - rest.length).fill('0'), ...rest];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return [...all.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]), ...tail];
}

function classifyV4([a, b]: number[]): IpClass {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168) || (a === 100 && b! >= 64 && b! <= 127)) return 'private';
  // 169.254.169.254 (cloud metadata) lives here.
  if (a === 169 && b === 254) return 'link_local';
  if (a === 0 || a! >= 224 || (a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19))) return 'reserved';
  return 'public';
}

function classifyV6(bytes: number[]): IpClass {
  const zeroUntil = (n: number) => bytes.slice(0, n).every((b) => b === 0);
  if (zeroUntil(15) && bytes[15] === 1) return 'loopback';
  if (zeroUntil(16)) return 'reserved';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::/96) carry an IPv4 address that decides.
  if (zeroUntil(10) && bytes[10] === 0xff && bytes[11] === 0xff) return classifyV4(bytes.slice(12));
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.slice(4, 12).every((b) => b === 0)) return classifyV4(bytes.slice(12));
  if ((bytes[0]! & 0xfe) === 0xfc) return 'private';
  if (bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80) return 'link_local';
  if (bytes[0] === 0xff) return 'reserved';
  return 'public';
}

/** The class of an IP literal (brackets allowed); null when `text` is not one. */
export function classifyIp(text: string): IpClass | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = parseIpv4(bare);
  if (v4) return classifyV4(v4);
  const v6 = parseIpv6(bare);
  return v6 ? classifyV6(v6) : null;
}

/**
 * IP literals and host names, judged for server-side fetches of URLs that API callers give (webhook
 * endpoints, attachments by URL): loopback, private networks, link-local (cloud metadata lives
 * there), carrier-grade NAT, multicast and the reserved and documentation ranges are never fetched.
 * Open tracking records the class of the fetching address, never the address itself.
 */
export type IpClass = 'public' | 'private' | 'loopback' | 'link_local' | 'reserved';

// [first address, prefix length]: reserved IPv4 ranges besides loopback, private and link-local.
const RESERVED_V4: [string, number][] = [
  ['0.0.0.0', 8],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const PRIVATE_V4: [string, number][] = [
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
];

/** The IPv4 address as a 32-bit number, or null when it is not dotted-quad (what URL parsers normalise to). */
export function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** The eight 16-bit groups of an IPv6 address (with `::` and a trailing dotted quad), or null. */
export function ipv6Groups(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '').toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (quad) {
    const n = ipv4ToNumber(quad[1]!);
    if (n === null) return null;
    s = `${s.slice(0, quad.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

const within = (n: number, [base, bits]: [string, number]) => {
  const size = 2 ** (32 - bits);
  return Math.floor(n / size) === Math.floor(ipv4ToNumber(base)! / size);
};

function classifyV4(n: number): IpClass {
  if (within(n, ['127.0.0.0', 8])) return 'loopback';
  if (within(n, ['169.254.0.0', 16])) return 'link_local';
  if (PRIVATE_V4.some((r) => within(n, r))) return 'private';
  if (RESERVED_V4.some((r) => within(n, r))) return 'reserved';
  return 'public';
}

function classifyV6(g: number[]): IpClass {
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'loopback';
  if (g.every((x) => x === 0)) return 'reserved';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address that decides.
  const v4 = () => g[6]! * 65536 + g[7]!;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return classifyV4(v4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4(v4());
  const first = g[0]!;
  if ((first & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return 'link_local'; // fe80::/10
  if ((first & 0xff00) === 0xff00) return 'reserved'; // multicast
  if (first === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (first === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only
  return 'public';
}

/** The class of an IP literal (brackets and zone allowed); null when `text` is not one. */
export function classifyIp(text: string): IpClass | null {
  const bare = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const n = ipv4ToNumber(bare);
  if (n !== null) return classifyV4(n);
  const g = ipv6Groups(bare);
  return g ? classifyV6(g) : null;
}

/** True for an IP literal that is anything but public; false for public ones and for non-IPs. */
export function isPrivateIp(text: string): boolean {
  const cls = classifyIp(text);
  return cls !== null && cls !== 'public';
}

// Cloud metadata services answer under these names inside their networks.
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'instance-data', 'instance-data.ec2.internal']);

/** Host names that only mean something inside a network: `localhost`, `.local`, metadata services, single labels… */
export function isInternalHostName(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!h.includes('.') || METADATA_NAMES.has(h)) return true;
  return /(^|\.)(localhost|localdomain|local|internal|intranet|lan|home\.arpa)$/.test(h);
}

/**
 * Who a per-client limit counts: an IPv4 address as it is, an IPv6 one by its /64, the block one
 * subscriber is usually given (counting single IPv6 addresses, one client would be many). Text that
 * is neither stays as it is.
 */
export function clientKey(ip: string): string {
  const groups = ipv6Groups(ip);
  if (!groups || ipv4ToNumber(ip) !== null) return ip;
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/**
 * Adds tracking to an HTML body: every http(s) link in an `<a href>` goes through `linkFor`, and a
 * 1×1 image is placed before `</body>`. Everything else — other attributes, mailto: and anchor
 * links, the rest of the markup — is left byte for byte as it was.
 */

const A_TAG = /<a\b[^>]*>/gi;
const HREF = /(\shref\s*=\s*)("([^"]*)"|'([^']*)'|([^\s"'>]+))/i;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Attribute values are HTML-escaped: `&amp;` in an href is `&` in the URL. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const encodeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;');

/**
 * A tracked link carries its URL base64-encoded (4/3 as long) and Cloudflare refuses URLs over 16 KB,
 * so longer links are left as they are rather than turned into links that cannot be followed.
 */
export const MAX_TRACKED_URL_BYTES = 8_000;

const trackable = (url: string) => /^https?:\/\/[^\s]/i.test(url.trim()) && new TextEncoder().encode(url).byteLength <= MAX_TRACKED_URL_BYTES;

/** The http(s) link targets of `<a href>` elements, decoded, in document order (duplicates kept once). */
export function linkTargets(html: string): string[] {
  const out = new Set<string>();
  for (const tag of html.match(A_TAG) ?? []) {
    const m = HREF.exec(tag);
    if (!m) continue;
    const url = decodeAttribute(m[3] ?? m[4] ?? m[5] ?? '').trim();
    if (trackable(url)) out.add(url);
  }
  return [...out];
}

/**
 * The HTML with links replaced by `links.get(url)` (targets missing from the map stay as they are)
 * and, when given, the pixel image added.
 */
export function addTracking(html: string, links: Map<string, string>, pixelUrl?: string): string {
  let out = html.replace(A_TAG, (tag) =>
    tag.replace(HREF, (whole, prefix: string, _v, dq?: string, sq?: string, bare?: string) => {
      const replacement = links.get(decodeAttribute(dq ?? sq ?? bare ?? '').trim());
      return replacement === undefined ? whole : `${prefix}"${encodeAttribute(replacement)}"`;
    }),
  );
  if (pixelUrl !== undefined) {
    const img = `<img src="${encodeAttribute(pixelUrl)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`;
    const end = out.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
    out = end >= 0 ? `${out.slice(0, end)}${img}${out.slice(end)}` : `${out}${img}`;
  }
  return out;
}

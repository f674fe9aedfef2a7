/**
 * Tracking tokens. A recipient's copy carries a random `trackId` (never an internal id); its pixel is
 * `/t/o/<trackId>.<mac>` and each link `/t/c/<trackId>.<url>.<mac>`, where the MAC (HMAC-SHA256 with
 * a key derived from TRACKING_SECRET, else JWT_SECRET) covers the recipient's trackId — which names
 * the message and the recipient — and, for links, the exact URL. A redirect therefore only ever goes
 * to a URL we put in that recipient's message: changing any byte of the token fails verification.
 */
import { bytesToBase64 } from '../../lib/bytes';
import { randomToken } from '../../lib/clock';

const encoder = new TextEncoder();
// 128 bits of MAC: forging one is out of reach, and links stay reasonably short.
const MAC_BYTES = 16;
const keys = new Map<string, Promise<CryptoKey>>();

/** A key for link signatures only, derived from the configured secret (HKDF), cached per isolate. */
function keyFor(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode('edgemail tracking links v1') },
        base,
        { name: 'HMAC', hash: 'SHA-256', length: 256 },
        false,
        ['sign'],
      );
    })();
    keys.set(secret, key);
  }
  return key;
}

export const newTrackId = () => randomToken(22);

const b64url = (bytes: Uint8Array) => bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Only the canonical spelling: base64 leaves a last character's low bits unused, and a token whose
 * unused bits were changed must not verify, or "any changed byte fails" would not hold. */
function fromB64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  return b64url(bytes) === text ? bytes : null;
}

async function mac(secret: string, parts: string[]): Promise<Uint8Array> {
  // Length-prefixed, so no two different part lists sign the same bytes.
  const message = parts.map((p) => `${encoder.encode(p).byteLength}:${p}`).join('|');
  return new Uint8Array(await crypto.subtle.sign('HMAC', await keyFor(secret), encoder.encode(message))).slice(0, MAC_BYTES);
}

async function macMatches(secret: string, parts: string[], presented: string): Promise<boolean> {
  const given = fromB64url(presented);
  if (!given || given.byteLength !== MAC_BYTES) return false;
  return crypto.subtle.timingSafeEqual(given, await mac(secret, parts));
}

const TRACK_ID = /^[a-z0-9]{22}$/;

export async function openToken(secret: string, trackId: string): Promise<string> {
  return `${trackId}.${b64url(await mac(secret, ['open', trackId]))}`;
}

export async function clickToken(secret: string, trackId: string, url: string): Promise<string> {
  return `${trackId}.${b64url(encoder.encode(url))}.${b64url(await mac(secret, ['click', trackId, url]))}`;
}

/** The trackId of a genuine pixel token, else null. */
export async function verifyOpenToken(secret: string, token: string): Promise<string | null> {
  const [trackId, sig, extra] = token.split('.');
  if (extra !== undefined || !trackId || !sig || !TRACK_ID.test(trackId)) return null;
  return (await macMatches(secret, ['open', trackId], sig)) ? trackId : null;
}

/** The trackId and URL of a genuine link token, else null. */
export async function verifyClickToken(secret: string, token: string): Promise<{ trackId: string; url: string } | null> {
  const [trackId, encoded, sig, extra] = token.split('.');
  if (extra !== undefined || !trackId || !encoded || !sig || !TRACK_ID.test(trackId)) return null;
  const bytes = fromB64url(encoded);
  if (!bytes) return null;
  const url = new TextDecoder().decode(bytes);
  return (await macMatches(secret, ['click', trackId, url], sig)) ? { trackId, url } : null;
}

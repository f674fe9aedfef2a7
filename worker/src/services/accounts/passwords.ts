/**
 * Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto, a 16-byte random salt per user, compared
 * in constant time. Cloudflare's runtime refuses PBKDF2 above 100,000 iterations ("iteration counts
 * above 100000 are not supported"; workerd issue #1346) — the open-source workerd used locally does
 * not enforce it, so the cap is a constant here rather than something a test could discover.
 * The count is stored with each hash, so raising it later keeps old hashes verifiable.
 */
import { latin1Decode } from '../../lib/bytes';

/** The highest count Cloudflare Workers allows, and the one every new hash uses. */
export const PBKDF2_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const SCHEME = 'pbkdf2-sha256';

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
}

const b64 = (bytes: ArrayBuffer | Uint8Array) => btoa(latin1Decode(new Uint8Array(bytes)));
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return [SCHEME, PBKDF2_ITERATIONS, b64(salt), b64(await derive(password, salt, PBKDF2_ITERATIONS))].join('$');
}

/**
 * True when `password` matches `stored`. A malformed record, or one asking for more work than the
 * runtime allows, never matches (and never throws).
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterText, saltText, hashText] = stored.split('$');
  const iterations = Number(iterText);
  if (scheme !== SCHEME || !Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_ITERATIONS || !saltText || !hashText) return false;
  let salt: Uint8Array<ArrayBuffer>;
  let expected: Uint8Array<ArrayBuffer>;
  try {
    salt = unb64(saltText);
    expected = unb64(hashText);
  } catch {
    return false;
  }
  const actual = new Uint8Array(await derive(password, salt, iterations));
  return actual.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(actual, expected);
}

/** A real hash of nothing, so an unknown login costs the same time as a wrong password. */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}

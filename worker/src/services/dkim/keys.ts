/**
 * DKIM keys: RSA-2048 pairs made with WebCrypto. The private key is stored only encrypted
 * (AES-256-GCM; the key is derived with HKDF-SHA256 from the DKIM_ENCRYPTION_KEY secret, and the
 * domain and selector are bound in as associated data, so a ciphertext moved to another row fails).
 */
import { bytesToBase64, type Bytes } from '../../lib/bytes';
import { AppError } from '../../lib/errors';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
const FORMAT = 'v1';

export interface DkimKeyPair {
  selector: string;
  /** Base64 SubjectPublicKeyInfo: the `p=` tag of the DNS record. */
  publicKey: string;
  /** `v1.<iv>.<ciphertext>` (base64). */
  encryptedPrivateKey: string;
}

function requireSecret(secret: string | null): string {
  if (!secret) {
    throw new AppError('not_configured', 'DKIM_ENCRYPTION_KEY is not set: the operator must set it (wrangler secret put DKIM_ENCRYPTION_KEY) before domains can be approved or signed for.');
  }
  return secret;
}

const wrapKeys = new Map<string, Promise<CryptoKey>>();

function wrappingKey(secret: string): Promise<CryptoKey> {
  let key = wrapKeys.get(secret);
  if (!key) {
    key = crypto.subtle
      .importKey('raw', new TextEncoder().encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          { name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('edgemail-dkim'), info: new TextEncoder().encode('dkim private key v1') },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      );
    wrapKeys.set(secret, key);
  }
  return key;
}

const aad = (domain: string, selector: string) => new TextEncoder().encode(`dkim:${domain}:${selector}`);
const unb64 = (text: string): Bytes => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** A selector per key, dated so a later key never collides: `em20261128`. */
export function selectorFor(now: number): string {
  return `em${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export async function generateDkimKey(secret: string | null, domain: string, selector: string): Promise<DkimKeyPair> {
  const wrap = await wrappingKey(requireSecret(secret));
  const pair = (await crypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const spki = new Uint8Array((await crypto.subtle.exportKey('spki', pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey('pkcs8', pair.privateKey)) as ArrayBuffer);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(domain, selector) }, wrap, pkcs8));
  return { selector, publicKey: bytesToBase64(spki), encryptedPrivateKey: [FORMAT, bytesToBase64(iv), bytesToBase64(sealed)].join('.') };
}

const signingKeys = new Map<string, Promise<CryptoKey>>();

/** The usable private key of a domain, decrypted once per isolate. */
export function loadSigningKey(secret: string | null, domain: string, selector: string, encrypted: string): Promise<CryptoKey> {
  const cacheKey = `${domain}\n${selector}\n${encrypted}`;
  let key = signingKeys.get(cacheKey);
  if (!key) {
    key = decrypt(requireSecret(secret), domain, selector, encrypted);
    // A failure is not cached: a fixed secret must work on the next message.
    key.catch(() => signingKeys.delete(cacheKey));
    signingKeys.set(cacheKey, key);
  }
  return key;
}

async function decrypt(secret: string, domain: string, selector: string, encrypted: string): Promise<CryptoKey> {
  const [format, ivText, sealedText] = encrypted.split('.');
  if (format !== FORMAT || !ivText || !sealedText) throw new Error(`DKIM key of ${domain} is stored in an unknown format`);
  let pkcs8: ArrayBuffer;
  try {
    pkcs8 = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(ivText), additionalData: aad(domain, selector) }, await wrappingKey(secret), unb64(sealedText));
  } catch {
    // Never the secret itself: only that it does not open this key.
    throw new AppError('not_configured', `The DKIM key of ${domain} cannot be decrypted: DKIM_ENCRYPTION_KEY differs from the one it was made with.`);
  }
  return crypto.subtle.importKey('pkcs8', pkcs8, RSA, false, ['sign']);
}

/**
 * What makes two deliveries "the same message": the same bytes, ignoring the trace fields relays
 * prepend on each attempt (Received, ARC-*, Authentication-Results …). The Message-ID is not used:
 * distinct messages share ids in the wild (digests, broken mailers, test corpora), and trusting it
 * would let anyone who delivers first with a chosen id make the genuine message vanish.
 */
import { latin1Decode, latin1Encode, type Bytes } from '../lib/bytes';

/** Header fields a relay adds or rewrites per delivery attempt (RFC 5321 §4.4, RFC 8617, RFC 8601). */
const PER_ATTEMPT_FIELDS = /^(received|return-path|delivered-to|x-original-to|received-spf|authentication-results|arc-seal|arc-message-signature|arc-authentication-results|x-forwarded-to|x-forwarded-for)$/i;

// Header blocks are small; a message without a blank line within this many bytes is hashed whole.
const MAX_HEADER_SCAN = 256 * 1024;

/** The dedupe identity of a raw message: `sha:` + SHA-256 of its bytes minus per-attempt trace fields. */
export async function deliveryIdentity(raw: Bytes): Promise<string> {
  const { head, bodyStart } = keptParts(raw);
  if (head === null) return `sha:${toHex(await crypto.subtle.digest('SHA-256', raw))}`;
  // Hashed in two writes, so a 25 MiB message is never copied just to leave out a few header lines.
  const hash = new crypto.DigestStream('SHA-256');
  const writer = hash.getWriter();
  await writer.write(head);
  await writer.write(raw.subarray(bodyStart));
  await writer.close();
  return `sha:${toHex(await hash.digest)}`;
}

/** The message with per-attempt header fields removed; everything else, body included, byte for byte. */
export function withoutTraceFields(raw: Bytes): Bytes {
  const { head, bodyStart } = keptParts(raw);
  if (head === null) return raw;
  const out = new Uint8Array(head.byteLength + raw.byteLength - bodyStart);
  out.set(head);
  out.set(raw.subarray(bodyStart), head.byteLength);
  return out;
}

/** The kept header fields (null when nothing is dropped) and where the untouched rest begins. */
function keptParts(raw: Bytes): { head: Bytes | null; bodyStart: number } {
  const headEnd = headerEnd(raw);
  if (headEnd < 0) return { head: null, bodyStart: 0 };
  const text = latin1Decode(raw.subarray(0, headEnd));
  // A field is its first line plus any folded continuation lines.
  const fields = text.match(/[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*(?:\r?\n|$)/g) ?? [];
  const kept = fields.filter((field) => {
    const name = /^([!-9;-~]+)[ \t]*:/.exec(field)?.[1];
    return !(name && PER_ATTEMPT_FIELDS.test(name));
  });
  if (kept.length === fields.length) return { head: null, bodyStart: 0 };
  return { head: latin1Encode(kept.join('')), bodyStart: headEnd };
}

const toHex = (digest: ArrayBuffer) => Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');

/** Offset just past the header block's last line break (before the blank line), or -1. */
function headerEnd(raw: Bytes): number {
  const limit = Math.min(raw.byteLength, MAX_HEADER_SCAN);
  for (let i = 0; i + 1 < limit; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return i + 1;
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return i + 1;
  }
  return -1;
}

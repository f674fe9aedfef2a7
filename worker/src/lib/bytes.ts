/** Byte helpers for MIME handling, free of Node's Buffer. */

/** Bytes backed by a plain ArrayBuffer: what Response bodies, R2 and D1 accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const input = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', input);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads a stream fully, failing as soon as it exceeds `maxBytes` (so a lying size cannot exhaust
 * memory). With the expected size, the bytes go straight into one buffer of that size: a 25 MiB
 * message then occupies 25 MiB, not chunks plus their concatenation.
 */
export async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number, expectedBytes?: number): Promise<Bytes | null> {
  const reader = stream.getReader();
  let buffer = new Uint8Array(expectedBytes !== undefined && expectedBytes <= maxBytes ? expectedBytes : 64 * 1024);
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (total + value.byteLength > maxBytes) {
      await reader.cancel();
      return null;
    }
    if (total + value.byteLength > buffer.byteLength) {
      // More than announced (or no announcement): grow geometrically, within the cap.
      const grown = new Uint8Array(Math.min(maxBytes, Math.max(total + value.byteLength, buffer.byteLength * 2)));
      grown.set(buffer.subarray(0, total));
      buffer = grown;
    }
    buffer.set(value, total);
    total += value.byteLength;
  }
  // Exactly filled, the buffer is the message; parse.ts can then read it without a copy.
  return total === buffer.byteLength ? buffer : buffer.slice(0, total);
}

export function concat(chunks: Uint8Array[], total = chunks.reduce((n, c) => n + c.byteLength, 0)): Bytes {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** One char per byte: a lossless bridge for byte-oriented text scanning (mbox splitting). */
export function latin1Decode(data: Uint8Array): string {
  let out = '';
  for (let i = 0; i < data.length; i += 0x8000) {
    out += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return out;
}

export function latin1Encode(text: string): Bytes {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  return btoa(latin1Decode(bytes));
}

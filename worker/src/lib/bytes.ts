/** Byte helpers for MIME handling, free of Node's Buffer. */

/** Bytes backed by a plain ArrayBuffer: what Response bodies, R2 and D1 accept. */
export type Bytes = Uint8Array<ArrayBuffer>;

export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const input = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', input);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Reads a stream fully, failing as soon as it exceeds `maxBytes` (so a lying size cannot exhaust memory). */
export async function readAll(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Bytes | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return concat(chunks, total);
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

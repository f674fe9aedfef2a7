/** Where large raw messages and attachments live in R2, and how they are read back. */
import type { Bytes } from '../lib/bytes';

/** Objects of one message share a prefix so a mailbox or message can be swept by listing it. */
export function mailBlobPrefix(addressId: number, dedupeHash: string): string {
  return `mail/${addressId}/${dedupeHash}/`;
}

export function sentBlobPrefix(addressId: number): string {
  return `sent/${addressId}/`;
}

/** Compose inputs of accepted messages not yet built (the sending queue's payloads). */
export function outboundBlobPrefix(addressId: number): string {
  return `outbound/${addressId}/`;
}

/** Every prefix under which an address owns objects. */
export function addressBlobPrefixes(addressId: number): string[] {
  return [`mail/${addressId}/`, sentBlobPrefix(addressId), outboundBlobPrefix(addressId)];
}

export async function putBlob(bucket: R2Bucket, key: string, data: Uint8Array | ReadableStream, contentType: string): Promise<void> {
  await bucket.put(key, data, { httpMetadata: { contentType } });
}

/** Reads a blob; a missing object is an integrity error (its row says it exists), not a 404. */
export async function getBlob(bucket: R2Bucket, key: string): Promise<R2ObjectBody> {
  const object = await bucket.get(key);
  if (!object) throw new Error(`blob ${key} is referenced but missing from R2`);
  return object;
}

/** Bytes kept either inline in a D1 row or in R2 under a key, whichever the row says. */
export async function readStoredBytes(bucket: R2Bucket, stored: { raw: Bytes | null; rawKey: string | null }): Promise<Bytes> {
  if (stored.raw) return stored.raw;
  if (!stored.rawKey) throw new Error('row has neither inline bytes nor a blob key');
  return new Uint8Array(await (await getBlob(bucket, stored.rawKey)).arrayBuffer());
}

export async function deleteBlobs(bucket: R2Bucket, keys: string[]): Promise<void> {
  // R2 deletes up to 1000 keys per call.
  for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
}

export async function deleteBlobPrefix(bucket: R2Bucket, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length) await bucket.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

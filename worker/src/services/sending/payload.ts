/** Where an accepted message's compose input and its built MIME are kept: inline in D1, or in R2 when large. */
import type { EmailRow } from '../../db/schema-sending';
import type { Bytes } from '../../lib/bytes';
import { outboundBlobPrefix, putBlob, readStoredBytes, sentBlobPrefix } from '../blobs';
import type { Deps } from '../deps';
import type { StoredPayload } from './types';

export async function storePayload(deps: Deps, addressId: number, publicId: string, payload: StoredPayload) {
  const bytes = new TextEncoder().encode(JSON.stringify(payload)) as Bytes;
  if (bytes.byteLength <= deps.config.blobThresholdBytes) return { payload: bytes, payloadKey: null };
  const payloadKey = `${outboundBlobPrefix(addressId)}${publicId}.json`;
  await putBlob(deps.blobs, payloadKey, bytes, 'application/json');
  return { payload: null, payloadKey };
}

export async function loadPayload(deps: Deps, row: Pick<EmailRow, 'payload' | 'payloadKey'>): Promise<StoredPayload> {
  const bytes = await readStoredBytes(deps.blobs, { raw: row.payload, rawKey: row.payloadKey });
  return JSON.parse(new TextDecoder().decode(bytes)) as StoredPayload;
}

/** Keeps the built message; its key is fixed per email, so a retried store overwrites rather than orphans. */
export async function storeRaw(deps: Deps, row: Pick<EmailRow, 'addressId' | 'publicId'>, raw: Bytes) {
  if (raw.byteLength <= deps.config.blobThresholdBytes) return { raw, rawKey: null, rawSize: raw.byteLength };
  const rawKey = `${sentBlobPrefix(row.addressId)}${row.publicId}.eml`;
  await putBlob(deps.blobs, rawKey, raw, 'message/rfc822');
  return { raw: null, rawKey, rawSize: raw.byteLength };
}

export async function loadRaw(deps: Deps, row: Pick<EmailRow, 'raw' | 'rawKey'>): Promise<Bytes | null> {
  if (!row.raw && !row.rawKey) return null;
  return readStoredBytes(deps.blobs, row);
}

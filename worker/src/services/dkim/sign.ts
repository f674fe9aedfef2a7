/**
 * DKIM signing (RFC 6376): rsa-sha256, relaxed/relaxed, with WebCrypto's RSASSA-PKCS1-v1_5.
 * Written here rather than taken from `mailauth` because mailauth's signer calls
 * `crypto.sign('rsa-sha256', …)` from node:crypto, which workerd rejects ("Unknown digest:
 * rsa-sha256"); tests check every signature with independent verifiers (mailauth and dkimpy).
 */
import { latin1Decode, latin1Encode, type Bytes } from '../../lib/bytes';
import { fieldName, relaxedBody, relaxedHeader, splitMessage, toCrlf } from './canonicalize';

/**
 * The fields receivers expect signed, in h= order. Each instance present is signed; `from` is
 * signed once more than it appears, so no second From can be added without breaking the signature.
 */
export const SIGNED_FIELDS = [
  'from',
  'sender',
  'reply-to',
  'subject',
  'date',
  'message-id',
  'to',
  'cc',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'in-reply-to',
  'references',
  'list-id',
  'list-unsubscribe',
  'list-unsubscribe-post',
] as const;

export interface DkimSignOptions {
  domain: string;
  selector: string;
  privateKey: CryptoKey;
  /** Signing time (ms since epoch), the t= tag. */
  now: number;
}

const b64 = (bytes: ArrayBuffer) => btoa(latin1Decode(new Uint8Array(bytes)));

/** Wraps a base64 value or a colon list into lines a mail client will not refold. */
function fold(value: string, width: number, separator = ''): string {
  const parts = separator ? value.split(separator) : value.match(new RegExp(`.{1,${width}}`, 'g')) ?? [''];
  const lines: string[] = [];
  let line = '';
  for (const part of parts) {
    const piece = line === '' ? part : `${separator}${part}`;
    if (line !== '' && line.length + piece.length > width) {
      lines.push(line + separator);
      line = part;
    } else line += piece;
  }
  lines.push(line);
  return lines.join('\r\n\t');
}

/** The message with a DKIM-Signature field prepended (line endings normalised to CRLF). */
export async function dkimSign(raw: Bytes, opts: DkimSignOptions): Promise<Bytes> {
  const text = toCrlf(latin1Decode(raw));
  const { fields, body } = splitMessage(text);

  const bodyHash = b64(await crypto.subtle.digest('SHA-256', latin1Encode(relaxedBody(body))));

  // h= names the fields bottom-up per name, as verifiers pick instances (RFC 6376 §5.4.2).
  const names: string[] = [];
  const signed: string[] = [];
  for (const name of SIGNED_FIELDS) {
    const instances = fields.filter((f) => fieldName(f) === name).reverse();
    for (const field of instances) {
      names.push(name);
      signed.push(relaxedHeader(field));
    }
    if (name === 'from') names.push('from');
  }

  const head = [
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${opts.domain}; s=${opts.selector};`,
    `\tt=${Math.floor(opts.now / 1000)}; h=${fold(names.join(':'), 60, ':')};`,
    `\tbh=${bodyHash};`,
    '\tb=',
  ].join('\r\n');
  const data = signed.join('') + relaxedHeader(head).slice(0, -2);
  const signature = b64(await crypto.subtle.sign('RSASSA-PKCS1-v1_5', opts.privateKey, latin1Encode(data)));
  return latin1Encode(`${head}${fold(signature, 72)}\r\n${text}`);
}

/**
 * Worker answers → SMTP replies. 4xx replies make clients retry later (Worker down, rate limited);
 * 5xx replies are final (bad credentials, refused sender, too large, no recipient accepted).
 */
import type { WorkerResult } from './worker-client.js';

export interface SmtpReply {
  code: number;
  message: string;
}

/** A wrong or malformed credential: final, so a client never retries a bad password forever. */
export const INVALID_CREDENTIALS: SmtpReply = { code: 535, message: '5.7.8 Authentication credentials invalid' };

/**
 * A token can only be a run of visible ASCII (it travels as an HTTP header); anything else is wrong
 * by construction and is refused here without asking the Worker.
 */
export function isPlausibleCredential(password: string): boolean {
  return password.length > 0 && password.length <= 8192 && /^[\x21-\x7e]+$/.test(password);
}

export function authReply(result: WorkerResult): SmtpReply & { address?: string } {
  if (result.kind === 'ok' && typeof result.body.address === 'string') {
    return { code: 235, message: '2.7.0 Authentication successful', address: result.body.address };
  }
  // The Worker looked at the credential and refused it (malformed, wrong, revoked, not allowed).
  if (result.kind === 'error' && [400, 401, 403].includes(result.status)) return INVALID_CREDENTIALS;
  // Worker down, failing or rate limiting: a temporary failure, so the client tries again (RFC 4954).
  return { code: 454, message: '4.7.0 Temporary authentication failure, try again later' };
}

export function dataReply(result: WorkerResult): SmtpReply {
  if (result.kind === 'error' && result.code === 'unknown') {
    // The Worker took it (2xx) but its answer did not arrive whole: a retry would send it twice.
    if (result.status >= 200 && result.status < 300) return { code: 250, message: '2.0.0 OK queued' };
    // Something in front of the Worker answered (a gateway's HTML 502): nothing says the message was
    // refused, so the client keeps it and tries again.
    if (result.status >= 500) return { code: 451, message: `4.3.0 Mail service failing (HTTP ${result.status}), try again later` };
  }
  if (result.kind === 'unreachable') return { code: 451, message: '4.4.1 Mail service unreachable, try again later' };
  if (result.kind === 'ok') {
    const id = String(result.body.message_id ?? '');
    const partial = result.body.delivery_status === 'partial' ? ' (some recipients failed; see the Sent box)' : '';
    return { code: 250, message: `2.0.0 OK queued as ${id}${partial}` };
  }
  const text = oneLine(result.message);
  switch (result.status) {
    case 401:
      return { code: 535, message: `5.7.8 ${text}` };
    case 403:
      return result.code === 'sender_not_allowed' ? { code: 553, message: `5.7.1 ${text}` } : { code: 554, message: `5.7.1 ${text}` };
    case 413:
      return { code: 552, message: `5.3.4 ${text}` };
    case 429:
      return { code: 451, message: `4.7.1 ${text}` };
    case 400:
    case 404:
    case 422:
      return { code: 554, message: `5.6.0 ${text}` };
    case 502:
      // The Worker's own answer: the provider refused every recipient (the Sent box has each reason).
      return { code: 554, message: `5.0.0 ${text}` };
    default:
      return result.status >= 500
        ? { code: 451, message: `4.3.0 Temporary failure, try again later (${text})` }
        : { code: 554, message: `5.0.0 ${text}` };
  }
}

/** SMTP reply text must be one line of printable ASCII. */
export function oneLine(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').replace(/ {2,}/g, ' ').trim().slice(0, 400);
}

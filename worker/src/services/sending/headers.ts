/**
 * Which custom headers a sender may set, for every door: none the MIME builder owns (From, To, Cc,
 * Bcc, Subject, Date, Message-ID, threading, trace and signature headers) and no Content-* header,
 * which would break the message's structure. One predicate, so doors cannot disagree.
 */
import { RESERVED_HEADERS } from '../../lib/mime';

/** Header names are printable ASCII without ":" (RFC 5322 field names), at most 76 characters. */
export const HEADER_NAME = /^[!-9;-~]{1,76}$/;

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith('content-');
}

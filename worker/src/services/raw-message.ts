/**
 * Rules for a complete message a client submits as it is (SMTP proxy, POST /api/send_raw): it may
 * only claim to come from the authenticated address, and what recipients receive never shows Bcc.
 * Checked on the raw header block, because a MIME parser keeps one From of several, one mailbox of
 * a list, and drops groups — exactly where a forged originator would hide.
 */
import { parseAddressList } from '../lib/address-list';
import type { Bytes } from '../lib/bytes';
import { AppError } from '../lib/errors';
import { readHeaderBlock, withoutFields } from '../lib/header-block';

/** The originator fields of RFC 5322 3.6.2 and their resent forms (3.6.6); Reply-To is not one. */
const ORIGINATOR_FIELDS = new Set(['from', 'sender', 'resent-from', 'resent-sender']);

/** Fields recipients must never see: they would disclose the blind copies. */
const BLIND_FIELDS = new Set(['bcc', 'resent-bcc']);

/**
 * Throws unless every originator header names `address` and nothing else: exactly one From, at
 * most one Sender, no groups, no second mailbox, nothing a reader could resolve differently.
 */
export function assertOriginator(raw: Bytes, address: string): void {
  const block = readHeaderBlock(raw);
  if (block.problems.length) {
    throw new AppError('invalid_mime', `The header block is malformed: ${block.problems.slice(0, 3).join('; ')}.`);
  }
  const refuse = (why: string): never => {
    throw new AppError('sender_not_allowed', `The From header must be ${address} (${why}).`, 'from');
  };
  const count = (name: string) => block.fields.filter((f) => f.name === name).length;
  if (count('from') !== 1) refuse(`found ${count('from')} From headers, expected one`);
  if (count('sender') > 1) refuse('more than one Sender header');
  for (const field of block.fields) {
    if (!ORIGINATOR_FIELDS.has(field.name)) continue;
    const list = parseAddressList(field.value);
    const label = field.name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    if (!list.ok) refuse(`${label} cannot be read unambiguously: ${list.error}`);
    else if (list.groups > 0) refuse(`${label} uses group syntax`);
    else if (list.mailboxes.length !== 1) refuse(`${label} names ${list.mailboxes.length} mailboxes, it may name only yours`);
    else if (list.mailboxes[0]!.address !== address) refuse(`${label} names ${list.mailboxes[0]!.address}`);
  }
}

/**
 * The bytes recipients get: without Bcc (the sender's Sent copy keeps it). Returns `raw` itself when
 * there is nothing to remove, so the common case costs one scan of the header block. Bcc is never
 * DKIM-signed, so stripping it after signing keeps the signature valid.
 */
export function withoutBlindFields(raw: Bytes): Bytes {
  return withoutFields(raw, BLIND_FIELDS);
}

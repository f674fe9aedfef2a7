/**
 * What the AI features need besides the user's text: the referenced message (only one the caller
 * may read, by the v1 rules) as plain text, and the domain a compose/reply is written for.
 */
import { findAddressById } from '../../db/addresses';
import { findByPublicId, findByPublicIdInAnyMailbox } from '../../db/folders';
import type { MailRow } from '../../db/schema';
import { AppError } from '../../lib/errors';
import { mayReadMailbox } from '../accounts/access';
import type { Deps } from '../deps';
import { allDomains } from '../domains/registry';
import { getFullMessage } from '../mailbox';
import type { MailboxAddress } from '../parse';
import type { Principal } from '../principal';
import { readHtml } from '../verification/html';
import type { MessageContext } from './prompts';

// "Not yours" and "does not exist" answer alike, as everywhere in v1.
const notFound = () => new AppError('message_not_found', 'No such message.', 'message_id');

const person = (name: string | null, address: string | null) => (address ? (name ? `${name} <${address}>` : address) : 'unknown');

/** The message `uid` as plain text, if `principal` may read it. Reading it for AI does not mark it seen. */
export async function messageContext(deps: Deps, principal: Principal, uid: string): Promise<MessageContext> {
  let row: MailRow | null;
  if (principal.kind === 'mailbox') row = await findByPublicId(deps.db, principal.addressId, uid);
  else row = await findByPublicIdInAnyMailbox(deps.db, uid);
  if (!row) throw notFound();
  const mailbox = await findAddressById(deps.db, row.addressId);
  // A user reads the mailboxes the access rules give them; any other message is "not found".
  if (!mailbox || !(await mayReadMailbox(deps, principal, mailbox.address))) throw notFound();
  const full = await getFullMessage(deps, mailbox, row.id, { markSeen: false });
  const to = (JSON.parse(row.toJson) as MailboxAddress[]).map((m) => person(m.name, m.address)).join(', ');
  return {
    from: person(row.fromName, row.fromAddress),
    to: to || row.recipient,
    subject: row.subject ?? '(no subject)',
    date: row.sentAt === null ? null : new Date(row.sentAt).toISOString(),
    text: (full.text ?? (full.html ? readHtml(full.html).text : '')).trim(),
  };
}

/** The name of the domain a `domain_id` names (the id of GET /api/v1/domains). */
export async function domainById(deps: Deps, id: number): Promise<string> {
  const domain = (await allDomains(deps)).find((d) => d.id === id);
  if (!domain) throw new AppError('validation_failed', `No domain with id ${id}.`, 'domain_id');
  return domain.name;
}

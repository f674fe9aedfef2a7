/**
 * Replies and reads, noticed on the receiving side. An inbound message whose In-Reply-To or
 * References names a message we sent marks that message replied, whichever mailbox receives it (a
 * follow-up by the original sender is not a reply). When one of our own mailboxes marks a message we
 * sent it as seen, the sent message gets read_at.
 */
import { emailsByMessageIds, markRead, markReplied, addEvent } from '../../db/tracking';
import type { MailRow } from '../../db/schema';
import { isReceivedFolder } from '../../db/mails';
import type { Deps } from '../deps';
import { emitEvents } from '../webhooks/emit';
import { emailData } from '../webhooks/payloads';

// A long thread's References can name dozens of messages; the nearest ones are the ones that matter.
const MAX_REFERENCES = 20;

/** The Message-IDs (with angle brackets) an inbound message answers. */
export function answeredIds(inReplyTo: string | null, references: string | null): string[] {
  const ids = [...`${references ?? ''} ${inReplyTo ?? ''}`.matchAll(/<[^<>\s]+>/g)].map((m) => m[0]);
  return [...new Set(ids.reverse())].slice(0, MAX_REFERENCES);
}

export async function noteReply(
  deps: Deps,
  mail: Pick<MailRow, 'inReplyTo' | 'references' | 'fromAddress' | 'messageId'>,
): Promise<void> {
  const ids = answeredIds(mail.inReplyTo, mail.references);
  if (ids.length === 0) return;
  const replier = (mail.fromAddress ?? '').toLowerCase();
  const now = deps.clock.now();
  for (const email of await emailsByMessageIds(deps.db, ids)) {
    if (email.from === replier) continue;
    await markReplied(deps.db, email.id, now, { type: 'replied', recipient: replier || null, detail: mail.messageId, createdAt: now });
    await emitEvents(deps, [{ type: 'email.replied', address: email.from, data: emailData(email, email.from, { replied_by: replier, reply_message_id: mail.messageId }) }]);
  }
}

/** Called when a mailbox's message turns seen: a message we sent to that mailbox gets read_at. */
export async function noteRead(deps: Deps, mail: Pick<MailRow, 'messageId' | 'folder' | 'recipient'>): Promise<void> {
  if (!mail.messageId || !isReceivedFolder(mail.folder)) return;
  const now = deps.clock.now();
  const emailId = await markRead(deps.db, mail.messageId, mail.recipient, now);
  if (emailId !== null) await addEvent(deps.db, emailId, { type: 'read', recipient: mail.recipient, detail: null, createdAt: now });
}

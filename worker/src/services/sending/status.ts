/** Pure rules: a recipient's status from a delivery outcome, and a message's status from its recipients'. */
import type { EmailStatus, RecipientStatus } from '../../db/schema-sending';
import type { RecipientResult } from '../providers/types';

export const PENDING: readonly RecipientStatus[] = ['queued', 'deferred'];
const ACCEPTED: readonly RecipientStatus[] = ['sent', 'delivered'];

/** `final` turns a transient failure into a failure: no attempts are left. */
export function recipientStatus(result: RecipientResult, final: boolean): RecipientStatus {
  switch (result.outcome) {
    case 'accepted':
      // Internal delivery is into the mailbox itself; a provider's acceptance is a hand-over.
      return result.via === 'internal' ? 'delivered' : 'sent';
    case 'deferred':
      return final ? 'failed' : 'deferred';
    case 'bounced':
      return 'bounced';
    case 'failed':
      return 'failed';
  }
}

/**
 * sending while anyone is pending; delivered when every recipient is in a mailbox; sent when every
 * one was accepted; partially_failed when some were; otherwise bounced if any bounced, else failed.
 */
export function emailStatus(statuses: RecipientStatus[]): EmailStatus {
  if (statuses.some((s) => PENDING.includes(s))) return 'sending';
  if (statuses.every((s) => s === 'cancelled')) return 'cancelled';
  const accepted = statuses.filter((s) => ACCEPTED.includes(s)).length;
  if (accepted === statuses.length) return statuses.every((s) => s === 'delivered') ? 'delivered' : 'sent';
  if (accepted > 0) return 'partially_failed';
  return statuses.includes('bounced') ? 'bounced' : 'failed';
}

/** Queue retry delay: base, doubling per attempt, capped at Queues' 12-hour maximum. */
export function retryDelaySeconds(attempt: number, baseSeconds: number): number {
  return Math.min(43_200, baseSeconds * 2 ** Math.max(0, attempt - 1));
}

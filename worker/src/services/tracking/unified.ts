/**
 * `unified_status`: one word for where a message got to, end to end. Engagement wins over delivery:
 * replied > clicked > opened (or read by one of our own mailboxes) > delivered > sent > queued; a
 * message that reached nobody is bounced, failed, suppressed or cancelled.
 */
import type { EmailRow, RecipientStatus } from '../../db/schema-sending';

export const UNIFIED_STATUSES = ['scheduled', 'queued', 'sent', 'delivered', 'opened', 'clicked', 'replied', 'bounced', 'failed', 'suppressed', 'cancelled'] as const;
export type UnifiedStatus = (typeof UNIFIED_STATUSES)[number];

type Facts = Pick<EmailRow, 'status' | 'firstOpenedAt' | 'firstClickedAt' | 'firstRepliedAt' | 'readAt'>;

export function unifiedStatus(email: Facts, recipients: { status: RecipientStatus }[]): UnifiedStatus {
  if (email.firstRepliedAt !== null) return 'replied';
  if (email.firstClickedAt !== null) return 'clicked';
  if (email.firstOpenedAt !== null || email.readAt !== null) return 'opened';
  const some = (s: RecipientStatus) => recipients.some((r) => r.status === s);
  switch (email.status) {
    case 'scheduled':
      return 'scheduled';
    case 'cancelled':
      return 'cancelled';
    case 'delivered':
      return 'delivered';
    case 'bounced':
      return 'bounced';
    case 'failed':
      return recipients.length > 0 && recipients.every((r) => r.status === 'suppressed') ? 'suppressed' : 'failed';
    default:
      // queued, sending (some recipients may be through already), sent, partially_failed.
      if (some('delivered') && !some('sent')) return 'delivered';
      if (some('sent') || some('delivered')) return 'sent';
      return 'queued';
  }
}

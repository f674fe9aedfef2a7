/**
 * The sending service: what every door (v1, the original send_mail/send_raw/SMTP doors, and the
 * compatibility doors) calls. Doors turn their request shapes into an EmailDraft and their answers
 * out of AcceptedEmail / EmailView; every rule (who may send as whom, limits, metering, scheduling,
 * idempotent storage, suppressions, delivery and retries) lives behind these functions.
 *
 * - acceptEmail / acceptMany (strict or permissive) / expandTemplate: take messages for the queue.
 * - fetchRemoteAttachments: attachments given by URL, fetched with the SSRF guard.
 * - sendNow / sendRawNow: store and dispatch once, synchronously (doors that must answer per recipient).
 * - listSentEmails / getSentEmail / emailFor / senderAddresses: read the outbound record (a mailbox sees only its own);
 *   getEmailContent: its bodies and Reply-To.
 * - rescheduleEmail / cancelEmail: change a message not yet dispatched.
 * - listSuppressed / liftSuppression: the hard-bounce list.
 * - processSendJobs / processDeadLetters / releaseDueEmails: the queue consumer and the scheduler.
 */
export { acceptEmail, commitEmails, prepareEmail, type PreparedEmail } from './accept';
export { acceptMany } from './batch';
export { getEmailContent, type EmailContent } from './content';
export { processDeadLetters, processSendJobs } from './consumer';
export { domainOf, servesDomain } from './domains';
export { cancelEmail, emailFor, rescheduleEmail } from './manage';
export { getSentEmail, listSentEmails, senderAddresses, type EmailQuery, type EmailView } from './read';
export { fetchRemoteAttachments, type RemoteAttachment } from './remote-attachments';
export { releaseDueEmails } from './schedule';
export { liftSuppression, listSuppressed } from './suppressions';
export { sendNow, sendRawNow, type SyncResult } from './sync';
export { expandTemplate } from './template';
export { EMAIL_STATUSES, RECIPIENT_STATUSES } from '../../db/schema-sending';
export type { AcceptedEmail, DraftAttachment, EmailDraft, Mailbox, SendJob } from './types';

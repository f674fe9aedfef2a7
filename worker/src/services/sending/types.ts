/** The shapes the sending service takes and gives, shared by every door (v1, legacy, compat). */
import type { EmailStatus } from '../../db/schema-sending';

export interface Mailbox {
  address: string;
  name?: string;
}

export interface DraftAttachment {
  filename: string;
  contentType: string;
  /** Base64 (whitespace allowed). */
  contentBase64: string;
  contentId?: string;
  inline?: boolean;
}

/** A message as a door hands it over, already validated for shape. */
export interface EmailDraft {
  /** Who it is from; omitted, a mailbox key sends as its own address. */
  from?: Mailbox;
  to: Mailbox[];
  cc: Mailbox[];
  bcc: Mailbox[];
  /** One address, or several. */
  replyTo?: Mailbox | Mailbox[];
  subject: string;
  text?: string;
  html?: string;
  /** Extra headers, already checked (printable names, no line breaks, none the builder owns). */
  headers: Record<string, string>;
  attachments: DraftAttachment[];
  /** `name` or `name:value`. */
  tags: string[];
  /** When to send (ms since epoch); omitted or past means now. */
  scheduledAt?: number;
  inReplyTo?: string;
  references?: string;
  /** Open/click tracking for this send; what is left out follows TRACK_OPENS / TRACK_CLICKS. */
  track?: { opens?: boolean; clicks?: boolean };
  /** The origin the request came in on: tracking URLs point there unless PUBLIC_URL is set. */
  origin?: string;
}

/** What the MIME builder needs at dispatch; stored as JSON until then (Bcc lives in the recipients). */
export type StoredPayload = Omit<EmailDraft, 'from' | 'bcc' | 'tags' | 'scheduledAt' | 'track' | 'origin'> & { from: Mailbox };

/** The body of a message on SEND_QUEUE (see handlers/queue.ts). */
export interface SendJob {
  kind: 'send';
  /** The email's public id. */
  id: string;
}

/** What a door learns when a message is accepted. */
export interface AcceptedEmail {
  id: string;
  messageId: string;
  status: EmailStatus;
  from: Mailbox;
  to: Mailbox[];
  subject: string;
  scheduledAt: number | null;
  /** Envelope recipients (To, Cc and Bcc, each address once). */
  recipientCount: number;
}

/** Where accepted messages go: SEND_QUEUE, and the dead-letter queue for those given up on. */
export interface Outbox {
  enqueue(jobs: SendJob[]): Promise<void>;
  deadLetter(job: SendJob): Promise<void>;
}

/** Wakes the scheduler no later than `at` (ms since epoch). */
export interface Scheduler {
  wake(at: number): Promise<void>;
}

export const TERMINAL_STATUSES: readonly EmailStatus[] = ['sent', 'delivered', 'partially_failed', 'bounced', 'failed', 'cancelled'];

/** How long a dispatch may hold a message: long enough for a slow SMTP transaction; a crashed consumer's claim lapses after it. */
export const DISPATCH_LEASE_MS = 10 * 60_000;

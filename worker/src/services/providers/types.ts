/** The contract every outbound provider meets: deliver one raw message to some envelope recipients. */
import type { Bytes } from '../../lib/bytes';
import type { ParsedMessage } from '../parse';

export interface OutboundMessage {
  /** Envelope sender: always the sending address. */
  from: string;
  /** Envelope recipients this provider must deliver to (Bcc included; they are in no header). */
  recipients: string[];
  raw: Bytes;
  /** The same message parsed, for providers that take fields rather than MIME. */
  parsed: ParsedMessage;
}

export type ProviderName = 'cloudflare' | 'resend' | 'smtp' | 'internal';

/**
 * What became of one recipient:
 * - `accepted`: the provider (or our own mailbox) took it;
 * - `deferred`: a transient failure (4xx, network, provider 5xx) worth retrying later;
 * - `bounced`: the recipient was refused permanently (5xx to RCPT, unknown mailbox): suppress it;
 * - `failed`: a permanent failure that is not the recipient's (bad credentials, content refused).
 */
export type DeliveryOutcome = 'accepted' | 'deferred' | 'bounced' | 'failed';

export interface RecipientResult {
  address: string;
  outcome: DeliveryOutcome;
  via: ProviderName;
  /** The SMTP reply code, where the provider gives one (or its equivalent for internal delivery). */
  smtpCode?: number;
  /** Enhanced status code (RFC 3463), e.g. `5.1.1`. */
  dsnCode?: string;
  /** The provider's words: the SMTP reply text, or an HTTP API's error. */
  response?: string;
  providerId?: string;
}

export interface OutboundProvider {
  readonly name: Exclude<ProviderName, 'internal'>;
  /** Never throws for a delivery failure: each recipient's result says what happened. */
  send(message: OutboundMessage): Promise<RecipientResult[]>;
}

/** The enhanced status code at the start of an SMTP reply text, if any. */
export function enhancedCode(text: string): string | undefined {
  return /^\s*([245]\.\d{1,3}\.\d{1,3})\b/.exec(text)?.[1];
}

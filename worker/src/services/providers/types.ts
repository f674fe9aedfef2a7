/** The contract every outbound provider meets: deliver one raw message to some envelope recipients. */
import type { Bytes } from '../../lib/bytes';
import type { ParsedMessage } from '../parse';

export interface OutboundMessage {
  /** Envelope sender: always the sending address. */
  from: string;
  /** Envelope recipients this provider must deliver to. */
  recipients: string[];
  raw: Bytes;
  /** The same message parsed, for providers that take fields rather than MIME. */
  parsed: ParsedMessage;
}

export type RecipientOutcome =
  | { address: string; status: 'sent'; via: ProviderName; provider_id?: string }
  | { address: string; status: 'failed'; via: ProviderName | 'internal'; error: string };

export type ProviderName = 'cloudflare' | 'resend' | 'internal';

export interface OutboundProvider {
  readonly name: ProviderName;
  /** Never throws for a delivery failure: each recipient's outcome says what happened. */
  send(message: OutboundMessage): Promise<RecipientOutcome[]>;
}

/** Whether a message is tracked: the send's own choice, else the TRACK_* defaults; never with TRACKING=off, without HTML, or without a URL to point at. */
import type { Config } from '../../config';
import type { EmailDraft } from '../sending/types';

export interface TrackingChoice {
  opens: boolean;
  clicks: boolean;
  /** The origin pixel and link URLs use; null when nothing is tracked. */
  base: string | null;
}

export function trackingFor(config: Config, draft: Pick<EmailDraft, 'track' | 'origin' | 'html'>): TrackingChoice {
  const base = config.publicUrl ?? draft.origin ?? null;
  const possible = config.tracking.enabled && draft.html !== undefined && base !== null;
  const opens = possible && (draft.track?.opens ?? config.tracking.opens);
  const clicks = possible && (draft.track?.clicks ?? config.tracking.clicks);
  return { opens, clicks, base: opens || clicks ? base : null };
}

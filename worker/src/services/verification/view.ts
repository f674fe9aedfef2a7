/**
 * The verification fields as every API shows them (legacy, v1, and the `email.received` webhook
 * payload): one place, so the names and nulls cannot drift between doors.
 */
import type { MailRow } from '../../db/schema';

export interface VerificationView {
  /** The one-time code, e.g. "482913"; null when the message has none. */
  verification_code: string | null;
  /** The primary sign-in / confirmation link; null when the message has none. */
  verification_link: string | null;
  /** 0–1; null when nothing was found. */
  verification_confidence: number | null;
}

export function verificationView(row: Pick<MailRow, 'verificationCode' | 'verificationLink' | 'verificationConfidence'>): VerificationView {
  return {
    verification_code: row.verificationCode,
    verification_link: row.verificationLink,
    verification_confidence: row.verificationConfidence,
  };
}

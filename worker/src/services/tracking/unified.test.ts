import { describe, expect, it } from 'vitest';
import type { EmailStatus, RecipientStatus } from '../../db/schema-sending';
import { unifiedStatus } from './unified';

const email = (status: EmailStatus, at: Partial<Record<'firstOpenedAt' | 'firstClickedAt' | 'firstRepliedAt' | 'readAt', number>> = {}) => ({
  status,
  firstOpenedAt: at.firstOpenedAt ?? null,
  firstClickedAt: at.firstClickedAt ?? null,
  firstRepliedAt: at.firstRepliedAt ?? null,
  readAt: at.readAt ?? null,
});
const rs = (...s: RecipientStatus[]) => s.map((status) => ({ status }));

describe('unified_status', () => {
  it('is the furthest step reached: queued → sent → delivered → opened → clicked → replied', () => {
    expect(unifiedStatus(email('queued'), rs('queued'))).toBe('queued');
    expect(unifiedStatus(email('sending'), rs('sent', 'deferred'))).toBe('sent');
    expect(unifiedStatus(email('sent'), rs('sent'))).toBe('sent');
    expect(unifiedStatus(email('delivered'), rs('delivered'))).toBe('delivered');
    expect(unifiedStatus(email('sent', { firstOpenedAt: 1 }), rs('sent'))).toBe('opened');
    expect(unifiedStatus(email('delivered', { readAt: 1 }), rs('delivered'))).toBe('opened');
    expect(unifiedStatus(email('sent', { firstOpenedAt: 1, firstClickedAt: 2 }), rs('sent'))).toBe('clicked');
    // A reply outranks everything, even when it arrives before anything was opened or clicked.
    expect(unifiedStatus(email('sent', { firstRepliedAt: 3 }), rs('sent'))).toBe('replied');
    expect(unifiedStatus(email('sent', { firstOpenedAt: 1, firstClickedAt: 2, firstRepliedAt: 3 }), rs('sent'))).toBe('replied');
  });

  it('names why a message reached nobody', () => {
    expect(unifiedStatus(email('bounced'), rs('bounced'))).toBe('bounced');
    expect(unifiedStatus(email('failed'), rs('failed', 'suppressed'))).toBe('failed');
    expect(unifiedStatus(email('failed'), rs('suppressed', 'suppressed'))).toBe('suppressed');
    expect(unifiedStatus(email('cancelled'), rs('cancelled'))).toBe('cancelled');
    expect(unifiedStatus(email('scheduled'), rs('queued'))).toBe('scheduled');
  });

  it('counts a partial delivery by how far the recipients who got it went', () => {
    expect(unifiedStatus(email('partially_failed'), rs('delivered', 'bounced'))).toBe('delivered');
    expect(unifiedStatus(email('partially_failed'), rs('sent', 'bounced'))).toBe('sent');
  });
});

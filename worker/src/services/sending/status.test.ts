import { describe, expect, it } from 'vitest';
import { emailStatus, recipientStatus, retryDelaySeconds } from './status';

describe('sending status rules', () => {
  it('derives a message status from its recipients', () => {
    expect(emailStatus(['delivered', 'delivered'])).toBe('delivered');
    expect(emailStatus(['delivered', 'sent'])).toBe('sent');
    expect(emailStatus(['sent', 'deferred'])).toBe('sending');
    expect(emailStatus(['sent', 'bounced'])).toBe('partially_failed');
    expect(emailStatus(['bounced', 'failed'])).toBe('bounced');
    expect(emailStatus(['failed', 'suppressed'])).toBe('failed');
    expect(emailStatus(['cancelled'])).toBe('cancelled');
  });

  it('turns a deferral into a failure on the last attempt only', () => {
    expect(recipientStatus({ address: 'a', outcome: 'deferred', via: 'smtp' }, false)).toBe('deferred');
    expect(recipientStatus({ address: 'a', outcome: 'deferred', via: 'smtp' }, true)).toBe('failed');
    expect(recipientStatus({ address: 'a', outcome: 'accepted', via: 'internal' }, false)).toBe('delivered');
    expect(recipientStatus({ address: 'a', outcome: 'accepted', via: 'smtp' }, false)).toBe('sent');
  });

  it('backs off exponentially, capped at twelve hours', () => {
    expect([1, 2, 3, 4].map((a) => retryDelaySeconds(a, 30))).toEqual([30, 60, 120, 240]);
    expect(retryDelaySeconds(20, 3600)).toBe(43_200);
  });
});

import { describe, expect, it } from 'vitest';
import { parseWhen } from './when';

// Wednesday 2026-01-14 10:30:00 UTC (New York is UTC-5 then, Berlin UTC+1).
const NOW = Date.UTC(2026, 0, 14, 10, 30, 0);
const at = (text: string, now = NOW) => {
  const ms = parseWhen(text, now);
  return ms === null ? null : new Date(ms).toISOString();
};

describe('parseWhen', () => {
  it('reads ISO 8601 with and without an offset (without: UTC)', () => {
    expect(at('2026-01-20T09:00:00.000Z')).toBe('2026-01-20T09:00:00.000Z');
    expect(at('2026-01-20T09:00:00+02:00')).toBe('2026-01-20T07:00:00.000Z');
    expect(at('2026-01-20T09:00')).toBe('2026-01-20T09:00:00.000Z');
    expect(at('2026-01-20')).toBe('2026-01-20T00:00:00.000Z');
    expect(at('2026-13-45T09:00:00Z')).toBeNull();
  });

  it('reads delays in words and units', () => {
    expect(at('in 1 min')).toBe('2026-01-14T10:31:00.000Z');
    expect(at('In 1 Minute')).toBe('2026-01-14T10:31:00.000Z');
    expect(at('in 5mins')).toBe('2026-01-14T10:35:00.000Z');
    expect(at('in an hour')).toBe('2026-01-14T11:30:00.000Z');
    expect(at('in 2 hours and 30 minutes')).toBe('2026-01-14T13:00:00.000Z');
    expect(at('in 1.5 hours')).toBe('2026-01-14T12:00:00.000Z');
    expect(at('in half an hour')).toBe('2026-01-14T11:00:00.000Z');
    expect(at('in 3 days')).toBe('2026-01-17T10:30:00.000Z');
    expect(at('in two weeks')).toBe('2026-01-28T10:30:00.000Z');
    expect(at('90 seconds from now')).toBe('2026-01-14T10:31:30.000Z');
    expect(at('now')).toBe('2026-01-14T10:30:00.000Z');
  });

  it('reads a day with a clock time, in UTC unless a zone is named', () => {
    expect(at('tomorrow at 9am')).toBe('2026-01-15T09:00:00.000Z');
    expect(at('today at 17:45')).toBe('2026-01-14T17:45:00.000Z');
    expect(at('tomorrow at 9 a.m.')).toBe('2026-01-15T09:00:00.000Z');
    expect(at('tomorrow noon')).toBe('2026-01-15T12:00:00.000Z');
    // Friday at 3pm New York time, winter: UTC-5.
    expect(at('Friday at 3pm ET')).toBe('2026-01-16T20:00:00.000Z');
    expect(at('friday 3:30pm Europe/Berlin')).toBe('2026-01-16T14:30:00.000Z');
    expect(at('tomorrow at 9am utc+2')).toBe('2026-01-15T07:00:00.000Z');
    expect(at('tomorrow at 09:00 -05:00')).toBe('2026-01-15T14:00:00.000Z');
  });

  it('follows daylight saving in named zones', () => {
    // New York is UTC-4 in July.
    const july = Date.UTC(2026, 6, 1, 12, 0, 0);
    expect(at('tomorrow at 9am ET', july)).toBe('2026-07-02T13:00:00.000Z');
    expect(at('tomorrow at 9am PT', july)).toBe('2026-07-02T16:00:00.000Z');
  });

  it('takes the next occurrence of a bare time or a weekday that has passed', () => {
    expect(at('at 9am')).toBe('2026-01-15T09:00:00.000Z');
    expect(at('at 11pm')).toBe('2026-01-14T23:00:00.000Z');
    // Today is Wednesday: "wednesday at 9am" has passed, "next wednesday" is a week on.
    expect(at('wednesday at 9am')).toBe('2026-01-21T09:00:00.000Z');
    expect(at('wednesday at 11am')).toBe('2026-01-14T11:00:00.000Z');
    expect(at('next wednesday at 11am')).toBe('2026-01-21T11:00:00.000Z');
    expect(at('monday')).toBe('2026-01-19T10:30:00.000Z');
    expect(at('tomorrow')).toBe('2026-01-15T10:30:00.000Z');
  });

  it('returns null for what it does not understand', () => {
    for (const text of ['', 'soon', 'in a while', 'in 5 fortnights', 'tomorrow at 25:00', 'at 13pm', 'someday at 9am', 'friday at 3pm Mars/Olympus', 'yesterday']) {
      expect(parseWhen(text, NOW), text).toBeNull();
    }
  });
});

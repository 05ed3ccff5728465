import { describe, expect, it } from '@jest/globals';
import { formatClock, formatElapsed, formatRelative, formatTimestamp, formatWhen } from '../../src/report/time.js';

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [59.9, '59s'],
    [60, '1m00s'],
    [206, '3m26s'],
    [3599, '59m59s'],
    [3600, '1h00m'],
    [3720, '1h02m'],
    [-5, '0s'],
    [Number.NaN, '0s'],
  ])('%s seconds reads as %s', (seconds, text) => {
    expect(formatElapsed(seconds)).toBe(text);
  });
});

describe('formatRelative', () => {
  const now = new Date('2024-03-01T12:00:00Z');
  const ago = (seconds: number) => formatRelative(new Date(now.getTime() - seconds * 1000), now);

  it('says how long ago, in the largest whole unit', () => {
    expect(ago(3)).toBe('just now');
    expect(ago(40)).toBe('40 seconds ago');
    expect(ago(60)).toBe('1 minute ago');
    expect(ago(5 * 60 + 30)).toBe('5 minutes ago');
    expect(ago(2 * 3600 + 100)).toBe('2 hours ago');
    expect(ago(3 * 86400)).toBe('3 days ago');
  });

  it('handles moments in the future (clock skew) without saying "ago"', () => {
    expect(ago(-300)).toBe('in 5 minutes');
  });
});

describe('one rule for absolute times: UTC, with the zone written out', () => {
  it('the clock column is HH:MM:SS in UTC with a Z', () => {
    expect(formatClock(new Date('2017-06-14T06:05:09Z'))).toBe('06:05:09Z');
  });

  it('timestamps in sentences and tables name UTC, from Dates or the ISO strings the history stores', () => {
    expect(formatTimestamp(new Date('2026-11-23T09:04:05.678Z'))).toBe('2026-11-23 09:04:05 UTC');
    expect(formatTimestamp('2026-11-23T09:04:05.678Z')).toBe('2026-11-23 09:04:05 UTC');
    // A record written with an offset is still shown in UTC.
    expect(formatTimestamp('2026-11-23T10:34:05+01:30')).toBe('2026-11-23 09:04:05 UTC');
  });

  it('relative and exact together', () => {
    expect(formatWhen('2026-11-23T09:00:00.000Z', new Date('2026-11-23T12:00:00Z'))).toBe('3 hours ago (2026-11-23 09:00:00 UTC)');
  });
});

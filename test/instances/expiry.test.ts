/** When an instance counts as expired, and how its expiry reads: pure, no clock but the one given. */
import { describe, expect, it } from '@jest/globals';
import { formatExpiry, formatSpan, isExpired } from '../../src/instances/expiry.js';
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { ServiceStack } from '../../src/instances/find.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const instance = (expiresAtTag?: string): ServiceStack => {
  const at = expiresAtTag ? new Date(expiresAtTag) : undefined;
  return { stackName: 'hello-test-pr-1', stackId: 'id', status: 'CREATE_COMPLETE', instance: 'pr-1', expiresAtTag, expiresAt: at && !Number.isNaN(at.getTime()) ? at : undefined, stack: {} as Stack };
};

describe('instance expiry', () => {
  it('is past at and after the moment of the tag, never without a (readable) tag, never for the main stack', () => {
    expect(isExpired(instance('2026-12-01T12:00:00Z'), NOW)).toBe(true);
    expect(isExpired(instance('2026-12-01T11:59:59Z'), NOW)).toBe(true);
    expect(isExpired(instance('2026-12-01T12:00:01Z'), NOW)).toBe(false);
    expect(isExpired(instance(), NOW)).toBe(false);
    expect(isExpired(instance('next tuesday'), NOW)).toBe(false);
    expect(isExpired({ ...instance('2020-01-01T00:00:00Z'), instance: undefined }, NOW)).toBe(false);
  });

  it('reads as people say it, in the two largest units', () => {
    expect(formatExpiry(instance('2026-12-03T15:30:00Z'), NOW)).toBe('in 2d 3h');
    expect(formatExpiry(instance('2026-12-01T10:00:00Z'), NOW)).toBe('expired 2h ago');
    expect(formatExpiry(instance('2026-12-01T11:55:00Z'), NOW)).toBe('expired 5m ago');
    expect(formatExpiry(instance(), NOW)).toBe('never');
    expect(formatExpiry(instance('next tuesday'), NOW)).toBe('unreadable (next tuesday)');
    expect([formatSpan(40), formatSpan(3600), formatSpan(3660), formatSpan(86400 * 3)]).toEqual(['40s', '1h', '1h 1m', '3d']);
  });
});

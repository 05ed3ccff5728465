import { describe, expect, it } from '@jest/globals';
import type { Release } from '../../src/releases/record.js';
import { liveRelease, rollbackTarget } from '../../src/releases/select.js';
import { PreflightError } from '../../src/errors.js';

const digest = (c: string) => `sha256:${c.repeat(64)}`;
function release(number: number, tag: string, d: string, outcome: Release['outcome']): Release {
  return { shipper: 1, kind: 'deploy', service: 's', env: 'test', stackName: 's-test', imageTag: tag, imageDigest: digest(d), by: 'me', shipperVersion: '0.1.0', startedAt: `2026-11-0${number}T10:00:00.000Z`, number, outcome };
}

// Newest first, as the store returns them.
const history = [
  release(5, 'v5', 'e', 'rolled-back'),
  release(4, 'v4', 'd', 'live'),
  release(3, 'v3', 'c', 'live'),
  release(2, 'v2', 'b', 'cancelled'),
  release(1, 'v1', 'a', 'live'),
];

describe('the live release', () => {
  it('is the newest that went live with the digest the stack runs', () => {
    expect(liveRelease(history, digest('d'))?.number).toBe(4);
    expect(liveRelease(history, digest('e'))).toBeUndefined();
    expect(liveRelease(history, undefined)).toBeUndefined();
  });
});

describe('choosing what to roll back to', () => {
  it('defaults to the release live before the current one, skipping failures', () => {
    expect(rollbackTarget(history, digest('d'), {}).number).toBe(3);
  });

  it('after a rollback, goes further back rather than to the release just rolled away from', () => {
    const afterRollback = [{ ...release(6, 'v3', 'c', 'live'), kind: 'rollback' as const, rollbackOf: 3 }, ...history];
    expect(rollbackTarget(afterRollback, digest('c'), {}).number).toBe(4);
  });

  it('finds the newest live release of a tag, or a release by number', () => {
    expect(rollbackTarget(history, digest('d'), { to: 'v1' }).number).toBe(1);
    expect(rollbackTarget(history, digest('d'), { release: 3 }).imageDigest).toBe(digest('c'));
  });

  it('refuses a tag or release that never went live, listing what can be rolled back to', () => {
    for (const want of [{ to: 'v5' }, { to: 'v9' }, { release: 2 }, { release: 42 }]) {
      let err: unknown;
      try {
        rollbackTarget(history, digest('d'), want);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PreflightError);
      expect((err as PreflightError).hint).toMatch(/#3 +v3/);
      expect((err as PreflightError).hint).not.toMatch(/#4 /); // the live one is not a rollback target
    }
  });

  it('refuses to "roll back" to what is already live', () => {
    expect(() => rollbackTarget(history, digest('d'), { release: 4 })).toThrow(/already live/);
  });

  it('has nothing to roll back to in an empty history', () => {
    expect(() => rollbackTarget([], digest('d'), {})).toThrow(/no earlier release/);
  });
});

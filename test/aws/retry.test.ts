import { describe, it, expect } from '@jest/globals';
import { awsError, type Clock } from '../../src/aws/api.js';
import { backoffDelayMs, withThrottleRetry } from '../../src/aws/retry.js';

function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return { slept, now: () => new Date(0), sleep: async (ms) => void slept.push(ms) };
}

describe('withThrottleRetry', () => {
  it('retries throttling with growing, jittered, capped delays until the call succeeds', async () => {
    const clock = recordingClock();
    let calls = 0;
    const value = await withThrottleRetry(
      async () => {
        if (++calls < 5) throw awsError('Throttling', 'Rate exceeded');
        return 'ok';
      },
      clock,
      { baseDelayMs: 100, maxDelayMs: 500, random: () => 1 },
    );
    expect(value).toBe('ok');
    expect(clock.slept).toEqual([100, 200, 400, 500]);
  });

  it('rethrows other errors at once', async () => {
    const clock = recordingClock();
    await expect(withThrottleRetry(async () => Promise.reject(awsError('ValidationError', 'Stack with id x does not exist')), clock)).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(clock.slept).toEqual([]);
  });

  it('gives up after maxAttempts with the last throttling error', async () => {
    const clock = recordingClock();
    await expect(withThrottleRetry(async () => Promise.reject(awsError('ThrottlingException', 'Rate exceeded')), clock, { maxAttempts: 3 })).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    expect(clock.slept).toHaveLength(2);
  });

  it('keeps at least half the exponential delay whatever the jitter', () => {
    expect(backoffDelayMs(1, { baseDelayMs: 1000, random: () => 0 })).toBe(500);
    expect(backoffDelayMs(3, { baseDelayMs: 1000, random: () => 0 })).toBe(2000);
    expect(backoffDelayMs(40, { baseDelayMs: 1000, maxDelayMs: 20_000, random: () => 0.999 })).toBeLessThanOrEqual(20_000);
  });
});

/**
 * The shared pacer: nothing changes until AWS throttles; then every user of the clients slows
 * down together, far fewer calls are refused than when each caller only retries, and the rate
 * grows back while calls succeed. Time is the simulated clock's; nothing here is real timing.
 */
import { describe, expect, it } from '@jest/globals';
import type { AwsClients } from '../../src/aws/api.js';
import { AdaptivePacer, type CallPacer } from '../../src/aws/pacer.js';
import { pacedClients } from '../../src/aws/paced-clients.js';
import { withThrottleRetry } from '../../src/aws/retry.js';
import { FakeClock } from '../sim/clock.js';
import { ApiThrottle } from '../sim/throttle.js';

const API = 'cloudFormation.describeStacks';

/** Clients whose DescribeStacks and DescribeStackEvents AWS allows 5 a second each (bursts of 5); call times are logged. */
function throttledAccount(clock: FakeClock) {
  const throttle = new ApiThrottle(() => clock.nowMs(), {
    [API]: { bucket: 'DescribeStacks', size: 5, refillPerSecond: 5 },
    'cloudFormation.describeStackEvents': { bucket: 'DescribeStackEvents', size: 5, refillPerSecond: 5 },
  });
  const sent: Array<{ api: string; at: number; by: string }> = [];
  const call = (api: string) => async (input: { StackName?: string }) => {
    sent.push({ api, at: clock.nowMs(), by: input.StackName ?? '' });
    throttle.check(api, '123456789012', 'eu-west-1');
    return {};
  };
  const clients = { cloudFormation: { describeStacks: call(API), describeStackEvents: call('cloudFormation.describeStackEvents') } } as unknown as AwsClients;
  return { throttle, sent, clients };
}

/** `users` pollers sharing the clients, each wanting a DescribeStacks every 100 ms, retrying throttles as a deploy does. */
async function poll(clients: AwsClients, clock: FakeClock, users: number, callsEach: number) {
  const user = async (name: string) => {
    for (let i = 0; i < callsEach; i++) {
      await withThrottleRetry(() => clients.cloudFormation.describeStacks({ StackName: name }), clock, { maxAttempts: Infinity, random: () => 0.5 });
      await clock.sleep(100);
    }
  };
  await Promise.all(Array.from({ length: users }, (_, i) => user(`user-${i}`)));
}

const noPacing: CallPacer = { take: async () => undefined, settle: () => undefined };

describe('AdaptivePacer', () => {
  it('paces nothing until AWS throttles: a burst of calls goes out at once, no waiting', async () => {
    const clock = new FakeClock();
    const pacer = new AdaptivePacer(clock);
    const { clients, sent } = throttledAccount(clock);
    const paced = pacedClients(clients, pacer);
    await Promise.all(Array.from({ length: 5 }, () => paced.cloudFormation.describeStacks({})));
    expect(sent).toHaveLength(5);
    expect(clock.sleeps).toBe(0);
    expect(pacer.rateOf(API)).toBe(Infinity);
  });

  it('after a throttle, slows every user of the shared clients, so far fewer calls are refused than with retries alone', async () => {
    const paced = new FakeClock().runConcurrently();
    const pacer = new AdaptivePacer(paced);
    const withPacer = throttledAccount(paced);
    await poll(pacedClients(withPacer.clients, pacer), paced, 4, 50);

    const bare = new FakeClock().runConcurrently();
    const withoutPacer = throttledAccount(bare);
    await poll(pacedClients(withoutPacer.clients, noPacing), bare, 4, 50);

    // The same 200 successful calls; retries alone meet "Rate exceeded" several times as often.
    expect(withPacer.sent.length - withPacer.throttle.throttled).toBe(200);
    expect(withoutPacer.throttle.throttled).toBeGreaterThan(3 * withPacer.throttle.throttled);
    expect(pacer.rateOf(API)).toBeLessThan(Infinity);
    // Every user was slowed, not just the one that met the throttle: each one's calls end up
    // spread over the time AWS's 5 a second needs for all of them (200 calls: about 40 s).
    for (let i = 0; i < 4; i++) {
      const mine = withPacer.sent.filter((s) => s.by === `user-${i}`);
      expect(mine.at(-1)!.at - mine[0]!.at).toBeGreaterThan(30_000);
    }
  });

  it('leaves other APIs alone: a throttled DescribeStacks does not pace DescribeStackEvents', async () => {
    const clock = new FakeClock().runConcurrently();
    const pacer = new AdaptivePacer(clock);
    const { clients } = throttledAccount(clock);
    await poll(pacedClients(clients, pacer), clock, 4, 20);
    expect(pacer.rateOf(API)).toBeLessThan(Infinity);
    expect(pacer.rateOf('cloudFormation.describeStackEvents')).toBe(Infinity);
    const sleepsBefore = clock.sleeps;
    await Promise.all(Array.from({ length: 5 }, () => pacedClients(clients, pacer).cloudFormation.describeStackEvents({ StackName: 'x' })));
    expect(clock.sleeps).toBe(sleepsBefore);
  });

  it('paces Auto Scaling as one, since AWS gives all its actions one bucket', () => {
    const clock = new FakeClock();
    const pacer = new AdaptivePacer(clock);
    pacer.settle('autoScaling.describeAutoScalingGroups', true);
    expect(pacer.rateOf('autoScaling.describeScalingActivities')).toBe(pacer.rateOf('autoScaling.describeAutoScalingGroups'));
    expect(pacer.rateOf('autoScaling.describeScalingActivities')).toBeLessThan(Infinity);
    expect(pacer.rateOf('cloudFormation.describeStacks')).toBe(Infinity);
  });

  it('cuts the rate on Throttling and lets it grow back while calls succeed', () => {
    const clock = new FakeClock('2024-01-01T00:00:00Z');
    const pacer = new AdaptivePacer(clock);
    // Ten calls a second for three seconds, then a throttle.
    for (let i = 0; i < 30; i++) {
      pacer.settle(API, false);
      clock.advance(100);
    }
    pacer.settle(API, true);
    const cut = pacer.rateOf(API);
    // Cut to about 70% of the ten a second actually sent (the SDK's beta).
    expect(cut).toBeGreaterThan(5);
    expect(cut).toBeLessThan(10);
    // Successes, each second for ten seconds: the rate climbs back past where it was cut from.
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      for (let k = 0; k < 10; k++) pacer.settle(API, false);
      seen.push(pacer.rateOf(API));
    }
    expect(Math.max(...seen)).toBeGreaterThan(10);
    expect(seen.at(-1)!).toBeGreaterThan(cut);
  });
});

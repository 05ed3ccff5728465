import { describe, expect, it } from '@jest/globals';
import { FakeClock } from './clock.js';
import { SimCloud } from './cloud.js';
import { ApiThrottle, TokenBucket } from './throttle.js';
import { AWS_THROTTLE_RATES } from './throttle-rates.js';

describe('TokenBucket', () => {
  it('allows a burst of its size, then one call per refilled token', () => {
    const bucket = new TokenBucket(5, 2, 0);
    expect(Array.from({ length: 6 }, () => bucket.take(0))).toEqual([true, true, true, true, true, false]);
    // Half a second refills one token (2 a second), and only one.
    expect(bucket.take(500)).toBe(true);
    expect(bucket.take(500)).toBe(false);
  });

  it('refills continuously but never beyond its size', () => {
    const bucket = new TokenBucket(5, 2, 0);
    for (let i = 0; i < 5; i++) bucket.take(0);
    expect(bucket.available(1000)).toBeCloseTo(2);
    expect(bucket.available(60_000)).toBe(5);
  });
});

describe('ApiThrottle', () => {
  const rates = {
    'cloudFormation.describeStacks': { bucket: 'cfn:DescribeStacks', size: 2, refillPerSecond: 1 },
    'cloudFormation.describeStackEvents': { bucket: 'cfn:DescribeStackEvents', size: 2, refillPerSecond: 1 },
    'autoScaling.describeAutoScalingGroups': { bucket: 'autoscaling', size: 2, refillPerSecond: 1 },
    'autoScaling.describeScalingActivities': { bucket: 'autoscaling', size: 2, refillPerSecond: 1 },
  };

  it('throttles each CloudFormation action on its own, with the error the SDK throws', () => {
    const throttle = new ApiThrottle(() => 0, rates);
    throttle.check('cloudFormation.describeStacks', 'a', 'r');
    throttle.check('cloudFormation.describeStacks', 'a', 'r');
    let thrown: unknown;
    try {
      throttle.check('cloudFormation.describeStacks', 'a', 'r');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });
    // DescribeStackEvents has its own bucket, still full.
    expect(() => throttle.check('cloudFormation.describeStackEvents', 'a', 'r')).not.toThrow();
    expect(throttle.throttled).toBe(1);
    expect(throttle.snapshot()).toEqual({ 'cloudFormation.describeStacks': 1 });
  });

  it('draws every Auto Scaling action from one shared bucket', () => {
    const throttle = new ApiThrottle(() => 0, rates);
    throttle.check('autoScaling.describeAutoScalingGroups', 'a', 'r');
    throttle.check('autoScaling.describeScalingActivities', 'a', 'r');
    expect(() => throttle.check('autoScaling.describeAutoScalingGroups', 'a', 'r')).toThrow('Rate exceeded');
  });

  it('keeps separate buckets per account and per Region', () => {
    const throttle = new ApiThrottle(() => 0, rates);
    for (let i = 0; i < 2; i++) throttle.check('cloudFormation.describeStacks', '111111111111', 'eu-west-1');
    expect(() => throttle.check('cloudFormation.describeStacks', '111111111111', 'eu-west-1')).toThrow('Rate exceeded');
    expect(() => throttle.check('cloudFormation.describeStacks', '222222222222', 'eu-west-1')).not.toThrow();
    expect(() => throttle.check('cloudFormation.describeStacks', '111111111111', 'us-east-1')).not.toThrow();
  });

  it('lets calls through again as the simulated clock refills the bucket', () => {
    let now = 0;
    const throttle = new ApiThrottle(() => now, rates);
    throttle.check('cloudFormation.describeStacks', 'a', 'r');
    throttle.check('cloudFormation.describeStacks', 'a', 'r');
    expect(() => throttle.check('cloudFormation.describeStacks', 'a', 'r')).toThrow();
    now = 1000;
    expect(() => throttle.check('cloudFormation.describeStacks', 'a', 'r')).not.toThrow();
  });

  it('has a rate, with its source, for every CloudFormation and Auto Scaling call a deploy makes', () => {
    const cloud = new SimCloud();
    const clients = cloud.clients();
    for (const service of ['cloudFormation', 'autoScaling'] as const) {
      for (const method of Object.keys(clients[service])) expect(AWS_THROTTLE_RATES[`${service}.${method}`]).toBeDefined();
    }
  });
});

describe('SimCloud with throttling', () => {
  it('is off unless asked for: a burst of calls all pass', async () => {
    const cloud = new SimCloud();
    const cfn = cloud.clients().cloudFormation;
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => cfn.describeStacks({}).then(() => 'ok', (e: Error) => e.name)));
    expect(outcomes.filter((o) => o === 'Throttling')).toEqual([]);
    expect(cloud.throttle).toBeUndefined();
  });

  it('throttles a burst beyond AWS’s bucket, counts the throttled calls among the calls made, and recovers with time', async () => {
    const cloud = new SimCloud({ throttle: true });
    const cfn = cloud.clients().cloudFormation;
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => cfn.describeStacks({}).then(() => 'ok', (e: Error) => e.name)));
    expect(outcomes.filter((o) => o === 'Throttling')).toHaveLength(8 - AWS_THROTTLE_RATES['cloudFormation.describeStacks']!.size);
    expect(cloud.throttle!.throttled).toBe(3);
    expect(cloud.calls.count('describeStacks')).toBe(8);
    await cloud.clock.sleep(1000);
    await expect(cfn.describeStacks({})).resolves.toBeDefined();
  });

  it('still applies injected faults first', async () => {
    const cloud = new SimCloud({ throttle: true });
    cloud.faults.throttleBurst(1, 'describeStacks');
    await expect(cloud.clients().cloudFormation.describeStacks({})).rejects.toMatchObject({ name: 'Throttling' });
    expect(cloud.faults.injected).toBe(1);
    expect(cloud.throttle!.throttled).toBe(0);
  });
});

describe('FakeClock running concurrently', () => {
  it('wakes parallel sleepers in time order: elapsed time is the longest task, not the sum', async () => {
    const clock = new FakeClock('2024-01-01T00:00:00Z').runConcurrently();
    const woke: string[] = [];
    const task = async (name: string, naps: number[]) => {
      for (const ms of naps) await clock.sleep(ms);
      woke.push(`${name}@${clock.nowMs() - Date.parse('2024-01-01T00:00:00Z')}`);
    };
    clock.schedule(2500, () => woke.push('step@2500'));
    await Promise.all([task('a', [1000, 1000, 1000]), task('b', [2000, 2000]), task('c', [500])]);
    expect(woke).toEqual(['c@500', 'step@2500', 'a@3000', 'b@4000']);
  });

  it('wakes a sleeper early when its signal aborts', async () => {
    const clock = new FakeClock('2024-01-01T00:00:00Z').runConcurrently();
    const controller = new AbortController();
    clock.schedule(2000, () => controller.abort());
    await Promise.all([clock.sleep(60_000, controller.signal), clock.sleep(3000)]);
    expect(clock.nowMs() - Date.parse('2024-01-01T00:00:00Z')).toBe(3000);
  });
});

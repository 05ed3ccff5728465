import { describe, expect, it } from '@jest/globals';
import { SimCloud } from './cloud.js';
import { uniformLatency, WIRE_LATENCY } from './latency.js';

const DIGEST = `sha256:${'1'.repeat(64)}`;

describe('API calls over the wire', () => {
  it('take their latency in simulated time; the service answers halfway, and the call log says when', async () => {
    const cloud = new SimCloud({ apiLatency: () => 200 });
    const ecr = cloud.clients().ecr;
    const start = cloud.clock.nowMs();
    // Pushed while the request travels: the answer has it.
    cloud.clock.schedule(50, () => cloud.ecr.addImage('hello', 'v1', DIGEST));
    const first = await ecr.describeImages({ repositoryName: 'hello', imageIds: [{ imageTag: 'v1' }] });
    expect(first.imageDetails?.[0]?.imageDigest).toBe(DIGEST);
    expect(cloud.clock.nowMs() - start).toBe(200);
    // Pushed while the response travels back: the answer is already on its way without it.
    cloud.clock.schedule(150, () => cloud.ecr.addImage('hello', 'v2', DIGEST));
    await expect(ecr.describeImages({ repositoryName: 'hello', imageIds: [{ imageTag: 'v2' }] })).rejects.toThrow();
    expect(cloud.calls.log('describeImages').map((c) => c.atMs - start)).toEqual([100, 300]);
    // Not a sleep of the code under test.
    expect(cloud.clock.sleeps).toBe(0);
  });

  it('draws latencies in the stated range, the same ones for the same seed', () => {
    const a = uniformLatency(WIRE_LATENCY, 3);
    const b = uniformLatency(WIRE_LATENCY, 3);
    const drawn = Array.from({ length: 200 }, () => a('cloudFormation.describeStacks'));
    expect(Math.min(...drawn)).toBeGreaterThanOrEqual(WIRE_LATENCY.minMs);
    expect(Math.max(...drawn)).toBeLessThanOrEqual(WIRE_LATENCY.maxMs);
    expect(Array.from({ length: 200 }, () => b('cloudFormation.describeStacks'))).toEqual(drawn);
  });
});

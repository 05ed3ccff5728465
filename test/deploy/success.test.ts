import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V2, STACK, touchesOf, world } from './harness.js';

describe('a replacing update that goes live', () => {
  it('reports live with the outputs and leaves the old group to CloudFormation', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/REPLACED/);
    expect(run.stdout).toMatch(/is live after 3m\d\ds/);
    expect(run.stdout).toMatch(/ImageDigest\s+sha256:2{64}/);
    const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
    expect(stack.StackStatus).toBe('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect(stack.Parameters?.find((p) => p.ParameterKey === 'ImageDigest')?.ParameterValue).toBe(DIGEST_V2);
    // shipper itself never touched the serving group.
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });
});

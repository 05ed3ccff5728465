/**
 * `deploy --image-tag T --image-digest D`: the release is recorded as T, so T must be D in ECR,
 * or the deploy is refused in preflight with nothing changed.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, STACK, world } from './harness.js';

const MUTATING = ['createChangeSet', 'executeChangeSet', 'deleteChangeSet', 'cancelUpdateStack', 'deleteStack', 'putParameter'];

async function stackParameters(w: ReturnType<typeof world>): Promise<Record<string, string>> {
  const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
  return Object.fromEntries((stack.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? '']));
}

describe('--image-tag with --image-digest', () => {
  it("refuses a tag that is another image than the digest, naming both, and changes nothing", async () => {
    const w = world({ live: true });
    const before = await stackParameters(w);

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1', '--image-digest', DIGEST_V2]);

    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toBe(
      'error: image tag "v1" in hello is 111111111111, not the --image-digest given (222222222222)\n' +
        '  pass only --image-tag v1 to deploy what the tag is now, or only --image-digest to deploy exactly that image; nothing was changed\n',
    );
    expect(MUTATING.map((call) => w.cloud.calls.count(call))).toEqual(MUTATING.map(() => 0));
    expect(await stackParameters(w)).toEqual(before);
    expect((await w.run(['releases', '--env', 'test', '--json'])).stdout).toMatch(/"releases":\[\]/);
  });

  it('plan refuses the same, and creates no change set', async () => {
    const w = world({ live: true });
    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v1', '--image-digest', DIGEST_V2]);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/^error: image tag "v1" in hello is 111111111111, not the --image-digest given \(222222222222\)\n/);
    expect(MUTATING.map((call) => w.cloud.calls.count(call))).toEqual(MUTATING.map(() => 0));
  });

  it('deploys when the tag is that digest, recording both', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--image-digest', DIGEST_V2]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(await stackParameters(w)).toMatchObject({ ImageTag: 'v2', ImageDigest: DIGEST_V2 });
    const history = JSON.parse((await w.run(['releases', '--env', 'test', '--json'])).stdout);
    expect(history.releases[0]).toMatchObject({ imageTag: 'v2', imageDigest: DIGEST_V2, outcome: 'live' });
  });

  it('refuses a tag that does not exist, as a tag alone would be', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v9', '--image-digest', DIGEST_V1]);
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/^error: image tag "v9" does not exist in ECR repository hello/);
  });
});

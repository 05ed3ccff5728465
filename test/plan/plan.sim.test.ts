/**
 * `shipper plan` in the simulated cloud: the CLI run in-process as a user runs it. A plan creates
 * the change set a deploy would, shows what CloudFormation says would change, and deletes it:
 * nothing is executed, no release is recorded, and the stack is left as it was found.
 */
import { describe, expect, it } from '@jest/globals';
import { awsError } from '../../src/aws/api.js';
import { ExitCode } from '../../src/errors.js';
import { declaredSidecarImages } from '../../src/compose/sidecars/images.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { DIGEST_V1, DIGEST_V2, STACK, touchesOf, world, type World } from '../deploy/harness.js';
import { exampleDescriptor, exampleDir } from '../helpers/paths.js';
import { editedExample } from '../helpers/temp-service.js';

const plan = (w: World, ...flags: string[]) => w.run(['plan', '--env', 'test', ...flags]);

/** The calls that change something, or record a release: a plan makes only the change set ones. */
function writes(w: World): Record<string, number> {
  return Object.fromEntries(Object.entries(w.cloud.calls.snapshot()).filter(([call]) => /\.(create|execute|delete|cancel|put)/.test(call)));
}

function leftAsFound(w: World) {
  const stack = w.cloud.cloudFormation.findStack(STACK)!;
  expect(stack.changeSets.size).toBe(0);
  expect(stack.status).toBe('CREATE_COMPLETE');
  expect(stack.params).toMatchObject({ ImageTag: 'v1', ImageDigest: DIGEST_V1 });
  expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
}

describe('shipper plan', () => {
  it('shows each resource change with its changed properties, the parameters and the images old → new, then deletes the change set', async () => {
    const w = world({ live: true });
    const run = await plan(w, '--image-tag', 'v2');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    const out = run.stdout;
    expect(out).toMatch(/Update stack hello-test: 0 added, 1 modified, 3 replaced, 0 removed/);
    expect(out).toMatch(/The Auto Scaling group is REPLACED/);
    // Per resource: the action, then what changes, whether it recreates it, and why.
    expect(out).toMatch(/LaunchTemplate AWS::EC2::LaunchTemplate: modify\n +\/Properties\/LaunchTemplateData \(in place; parameter ImageDigest\)\n +….*1{12}.* → ….*2{12}/);
    // The group's own LaunchTemplate property updates in place; its replacement is the update policy's doing.
    expect(out).toMatch(/AutoScalingGroup AWS::AutoScaling::AutoScalingGroup: replace\n +Properties\.LaunchTemplate \(in place; follows LaunchTemplate\.LatestVersionNumber; known only during the update\)/);
    expect(out).toMatch(/ScheduledActionScaleInAtNight AWS::AutoScaling::ScheduledAction: replace\n +Properties\.AutoScalingGroupName \(replaces the resource; follows AutoScalingGroup/);
    expect(out).toMatch(/Parameters\n +ImageTag +v1 → v2\n +ImageDigest +sha256:1{64} → sha256:2{64}\n +unchanged: DesiredCapacity/);
    expect(out).toMatch(/Images\n +app +v1 \(1{12}\) → v2 \(2{12}\)/);
    expect(out).toMatch(/Nothing was executed: the change set was deleted and no release was recorded\. To deploy it: shipper deploy --env test --image-tag v2/);

    // Nothing executed, nothing recorded: the change set was created and deleted, and that is all.
    expect(writes(w)).toEqual({ 'cloudFormation.createChangeSet': 1, 'cloudFormation.deleteChangeSet': 1 });
    leftAsFound(w);
  });

  it('--json prints the same plan as one JSON object on stdout', async () => {
    const w = world({ live: true });
    const run = await plan(w, '--image-tag', 'v2', '--json');

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    const parsed = JSON.parse(run.stdout);
    expect(parsed).toMatchObject({ stackName: STACK, env: 'test', operation: 'update', changes: true, groupReplaced: true, capacity: { desired: 2, starts: 2 } });
    expect(parsed.resources.map((r: { logicalId: string; action: string; replacement: string }) => `${r.logicalId} ${r.action} ${r.replacement}`)).toEqual([
      'LaunchTemplate Modify False',
      'AutoScalingGroup Modify True',
      'ScheduledActionScaleInAtNight Modify True',
      'ScheduledActionScaleOutInTheMorning Modify True',
    ]);
    expect(parsed.resources[0].details).toEqual([
      expect.objectContaining({ attribute: 'Properties', name: 'LaunchTemplateData', requiresRecreation: 'Never', evaluation: 'Static', changeSource: 'ParameterReference', causingEntity: 'ImageDigest', changeType: 'Modify' }),
    ]);
    expect(parsed.resources[0].details[0].after).toContain(DIGEST_V2);
    expect(parsed.resources[1].details).toContainEqual({ attribute: 'Properties', name: 'LaunchTemplate', requiresRecreation: 'Never', evaluation: 'Dynamic', changeSource: 'ResourceAttribute', causingEntity: 'LaunchTemplate.LatestVersionNumber' });
    expect(parsed.parameters).toEqual(expect.arrayContaining([{ name: 'ImageDigest', old: DIGEST_V1, new: DIGEST_V2 }, { name: 'DesiredCapacity', old: '2', new: '2' }]));
    expect(parsed.images[0]).toEqual({ name: 'app', old: { tag: 'v1', digest: DIGEST_V1 }, new: { tag: 'v2', digest: DIGEST_V2 } });
    // Each sidecar's image as preflight resolved it; what runs now is unknown here (the seeded stack has no release history).
    const pinned = w.registry.pinnedFor(loadServiceEnvironment({ file: exampleDescriptor, env: 'test' }).service);
    expect(Object.fromEntries(parsed.images.slice(1).map((i: { name: string; new: { tag: string; digest: string }; old?: unknown }) => [i.name, `${i.new.tag}@${i.new.digest}${i.old ? ' old' : ''}`]))).toEqual(pinned);
    // The progress a person watches goes to stderr, as text.
    expect(run.stderr).toMatch(/Preflight checks for hello-test/);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    leftAsFound(w);
  });

  it('says "no changes" and exits 0 when the release is already live', async () => {
    const w = world({ live: true });
    const run = await plan(w, '--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/[Nn]o changes/);
    const json = await plan(w, '--image-tag', 'v1', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ changes: false, resources: [] });
    expect(JSON.parse(json.stdout).images[0]).toMatchObject({ name: 'app', old: { digest: DIGEST_V1 }, new: { digest: DIGEST_V1 } });
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    leftAsFound(w);
  });

  it('plans a first deploy without leaving a stack behind', async () => {
    const w = world();
    const run = await plan(w, '--image-tag', 'v1');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/Create stack hello-test: \d+ added/);
    expect(run.stdout).toMatch(/app +v1 \(1{12}\) \(new\)/);
    w.cloud.clock.runUntilIdle();
    // CreateChangeSet made an empty REVIEW_IN_PROGRESS stack; the plan deleted it again.
    expect(w.cloud.cloudFormation.findStack(STACK)).toBeUndefined();
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
  });

  it('after a failed first deploy, says a deploy would delete and recreate the stack, and deletes nothing', async () => {
    const w = world();
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 60 }, { signal: 'FAILURE', afterSeconds: 60 }]);
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.deployRolledBack);
    expect(w.cloud.cloudFormation.findStack(STACK)!.status).toBe('ROLLBACK_COMPLETE');
    w.cloud.calls.reset();

    const run = await plan(w, '--image-tag', 'v2');

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/a deploy first deletes hello-test \(ROLLBACK_COMPLETE from a failed first deploy\), then creates it/);
    expect(writes(w)).toEqual({});
    expect(w.cloud.cloudFormation.findStack(STACK)!.status).toBe('ROLLBACK_COMPLETE');
  });

  it("shows each sidecar's image old → new, old as the live release recorded it", async () => {
    const w = world();
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    const service = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' }).service;
    const proxy = declaredSidecarImages(service).find((d) => d.sidecar === 'reverse-proxy')!;
    const before = w.registry.pinnedFor(service)['reverse-proxy']!;
    // The proxy's tag moved to a new image since v1 went out.
    w.registry.tag(proxy.image, `sha256:${'a'.repeat(64)}`);

    const run = await plan(w, '--image-tag', 'v2', '--json');

    expect(run.code).toBe(ExitCode.ok);
    const images = Object.fromEntries(JSON.parse(run.stdout).images.map((i: { name: string }) => [i.name, i]));
    expect(images['reverse-proxy']).toEqual({
      name: 'reverse-proxy',
      old: { tag: before.slice(0, before.indexOf('@')), digest: before.slice(before.indexOf('@') + 1) },
      new: { tag: before.slice(0, before.indexOf('@')), digest: `sha256:${'a'.repeat(64)}` },
    });
    expect(images['log-router'].old).toEqual(images['log-router'].new);
    const text = await plan(w, '--image-tag', 'v2');
    expect(text.stdout).toMatch(new RegExp(`reverse-proxy +public\\.ecr\\.aws/nginx/nginx \\(${before.slice(-64, -52)}\\) → public\\.ecr\\.aws/nginx/nginx \\(a{12}\\)`));
    expect(text.stdout).toMatch(/log-router +\S+ \(\w{12}\), unchanged/);
  });

  it('deletes the change set when describing it fails', async () => {
    const w = world({ live: true });
    w.cloud.faults.failNext('describeChangeSet', awsError('AccessDenied', 'User is not authorized to perform: cloudformation:DescribeChangeSet', 403));
    const run = await plan(w, '--image-tag', 'v2');
    expect(run.code).toBe(ExitCode.aws);
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(1);
    leftAsFound(w);
  });

  it('Ctrl-C while CloudFormation prepares the change set deletes it and exits 130', async () => {
    const w = world({ live: true });
    // The first moment the plan waits on the clock is while the change set is being created.
    w.cloud.clock.schedule(500, () => process.emit('SIGINT'));
    const run = await plan(w, '--image-tag', 'v2');
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/interrupted while CloudFormation prepared the change set; it was deleted and nothing was changed/);
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(1);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    leftAsFound(w);
  });

  it('says when deploy would refuse the plan for a shared-resource change, and still changes nothing', async () => {
    const w = world({ live: true });
    const cwd = editedExample(exampleDir, (t) => t.replace('  path: /health', '  path: /ready'));
    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v2'], { cwd });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout + run.stderr).toMatch(/shipper deploy would refuse this plan without --allow-shared-change/);
    expect(run.stdout + run.stderr).toMatch(/TargetGroup \(AWS::ElasticLoadBalancingV2::TargetGroup\): HealthCheckPath/);
    expect(writes(w)).toEqual({ 'cloudFormation.createChangeSet': 1, 'cloudFormation.deleteChangeSet': 1 });

    const json = await w.run(['plan', '--env', 'test', '--image-tag', 'v2', '--json'], { cwd });
    expect(JSON.parse(json.stdout).sharedResourceChanges).toEqual([expect.objectContaining({ logicalId: 'TargetGroup', kind: 'health-check', what: ['HealthCheckPath'] })]);
  });

  it('needs an image', async () => {
    const w = world({ live: true });
    const run = await plan(w);
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/--image-tag: which image should be planned\?/);
    expect(w.cloud.calls.total()).toBe(0);
  });
});

/**
 * `shipper plan` over HTTP against moto_server with the real SDK clients: the change set is
 * created, described (IncludePropertyValues on the wire) and deleted; the stack, its change sets
 * and the release history in SSM are exactly as before.
 */
import { describe, expect, it } from '@jest/globals';
import { DescribeStacksCommand, ListChangeSetsCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { GetParameterHistoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { useLocalAws, type LocalAws } from './local-aws.js';

const STACK = `hello-${LOCAL_ENV}`;
const local = useLocalAws();
const shipper = (command: string, tag: string, ...flags: string[]) => local.shipper([command, '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', tag, ...flags]);

async function stackOf(aws: LocalAws): Promise<Stack | undefined> {
  try {
    return (await aws.cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0];
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) return undefined;
    throw err;
  }
}

async function releaseVersions(aws: LocalAws): Promise<number> {
  const ssm = new SSMClient({ region: LOCAL_REGION, endpoint: aws.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    const out = await ssm.send(new GetParameterHistoryCommand({ Name: `/shipper/hello/${LOCAL_ENV}/releases` }));
    return out.Parameters?.length ?? 0;
  } catch (err) {
    if (err instanceof Error && err.name === 'ParameterNotFound') return 0;
    throw err;
  } finally {
    ssm.destroy();
  }
}

describe('shipper plan against moto_server', () => {
  it('previews a new tag with parameters and images old → new, and leaves the stack, its change sets and the history as they were', async () => {
    expect((await shipper('deploy', 'v1')).code).toBe(0);
    const before = await stackOf(local);
    const releasesBefore = await releaseVersions(local);

    const run = await shipper('plan', 'v2', '--json');

    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan).toMatchObject({ stackName: STACK, operation: 'update', changes: true });
    expect(plan.parameters).toEqual(expect.arrayContaining([{ name: 'ImageDigest', old: local.seeded.images.v1, new: local.seeded.images.v2 }]));
    expect(plan.images[0]).toEqual({ name: 'app', old: { tag: 'v1', digest: local.seeded.images.v1 }, new: { tag: 'v2', digest: local.seeded.images.v2 } });
    // Sidecars: what v1 recorded in the history, and what preflight resolves now (the same images).
    expect(plan.images.length).toBeGreaterThan(1);
    for (const sidecar of plan.images.slice(1)) expect(sidecar.old).toEqual(sidecar.new);
    expect(plan.resources.map((r: { logicalId: string }) => r.logicalId)).toContain('LaunchTemplate');

    const after = await stackOf(local);
    expect(after?.StackStatus).toBe(before?.StackStatus);
    expect(after?.Parameters).toEqual(before?.Parameters);
    expect((await local.cloudFormation.send(new ListChangeSetsCommand({ StackName: STACK }))).Summaries ?? []).toEqual([]);
    expect(await releaseVersions(local)).toBe(releasesBefore);
  });

  it('plans a first deploy as text and leaves no stack behind', async () => {
    const run = await shipper('plan', 'v1');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Create stack hello-local: \d+ added/);
    expect(run.stdout).toMatch(/Nothing was executed/);
    const stack = await stackOf(local);
    expect(stack === undefined || /^DELETE_/.test(stack.StackStatus ?? '')).toBe(true);
  });
});

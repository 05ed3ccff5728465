/**
 * `shipper list` and `shipper destroy` over HTTP with the real SDK against moto_server: the main
 * stack deployed by `shipper deploy`, two instance stacks created directly with the tags every
 * instance carries (one expired), each with its own release history in SSM and a retained log
 * group. moto deletes stacks at once, so following a deletion event by event (and DELETE_FAILED)
 * is covered by the simulated cloud; here: ListStacks/DescribeStacks/DeleteStack, CloudWatch Logs
 * tags and SSM DeleteParameters as AWS answers them.
 */
import { describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { ExitCode } from '../../src/errors.js';
import { StackTags, instanceStackName } from '../../src/instances/identity.js';
import { historyParameterNames } from '../../src/releases/store.js';
import { useLocalAws } from './local-aws.js';

const MAIN = `hello-${LOCAL_ENV}`;
const local = useLocalAws();
const config = () => ({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const logGroupOf = (instance: string) => `/shipper/hello/${LOCAL_ENV}/instances/${instance}`;

/** An instance's stack as its deploy leaves it, reduced to what list and destroy look at. */
async function createInstance(instance: string, expiresAt: string): Promise<void> {
  const template = {
    Resources: {
      AppLogGroup: {
        Type: 'AWS::Logs::LogGroup',
        DeletionPolicy: 'Retain',
        Properties: { LogGroupName: logGroupOf(instance), RetentionInDays: 7, Tags: [{ Key: 'shipper:stack', Value: { Ref: 'AWS::StackName' } }] },
      },
      Jobs: { Type: 'AWS::SQS::Queue' },
    },
  };
  await local.cloudFormation.send(
    new CreateStackCommand({
      StackName: instanceStackName(MAIN, instance),
      TemplateBody: JSON.stringify(template),
      Tags: [
        { Key: StackTags.service, Value: 'hello' },
        { Key: StackTags.environment, Value: LOCAL_ENV },
        { Key: StackTags.managedBy, Value: 'shipper' },
        { Key: StackTags.instance, Value: instance },
        { Key: StackTags.owner, Value: 'bob' },
        { Key: StackTags.branch, Value: `feature/${instance}` },
        { Key: StackTags.expiresAt, Value: expiresAt },
      ],
    }),
  );
  const ssm = new SSMClient(config());
  const names = historyParameterNames('hello', LOCAL_ENV, instance);
  await ssm.send(new PutParameterCommand({ Name: names.releases, Type: 'String', Value: JSON.stringify({ shipper: 1, kind: 'deploy', service: 'hello', env: LOCAL_ENV, stackName: instanceStackName(MAIN, instance), imageTag: 'v2', imageDigest: local.seeded.images.v2, by: 'bob', shipperVersion: '0.1.0', startedAt: new Date().toISOString() }) }));
  await ssm.send(new PutParameterCommand({ Name: names.outcomes, Type: 'String', Value: JSON.stringify({ shipper: 1, release: 1, outcome: 'live', endedAt: new Date().toISOString() }) }));
}

async function stackExists(name: string): Promise<boolean> {
  try {
    const stack = (await local.cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
    return stack !== undefined && stack.StackStatus !== 'DELETE_COMPLETE';
  } catch (err) {
    if (err instanceof Error && /does not exist/.test(err.message)) return false;
    throw err;
  }
}

async function parameterExists(name: string): Promise<boolean> {
  try {
    await new SSMClient(config()).send(new GetParameterCommand({ Name: name }));
    return true;
  } catch (err) {
    if (err instanceof Error && err.name === 'ParameterNotFound') return false;
    throw err;
  }
}

async function logGroupExists(name: string): Promise<boolean> {
  const out = await new CloudWatchLogsClient(config()).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
  return (out.logGroups ?? []).some((g) => g.logGroupName === name);
}

describe('short-lived instances against moto_server', () => {
  it('lists the main stack and two instances, destroys one, and --expired removes the expired one', async () => {
    expect((await local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
    await createInstance('pr-1', new Date(Date.now() - 3 * 3600_000).toISOString());
    await createInstance('pr-2', new Date(Date.now() + (47 * 60 + 10) * 60_000).toISOString());

    const list = await local.shipper(['list', '--env', LOCAL_ENV, '-f', local.descriptor, '--json']);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(ExitCode.ok);
    const listing = JSON.parse(list.stdout) as { stacks: Array<{ name: string; stackName: string; expired: boolean; owner?: string; live?: { tag?: string; release?: number } }> };
    expect(listing.stacks.map((s) => [s.name, s.stackName, s.expired])).toEqual([
      ['main', MAIN, false],
      ['pr-1', `${MAIN}-pr-1`, true],
      ['pr-2', `${MAIN}-pr-2`, false],
    ]);
    expect(listing.stacks[0]!.live).toMatchObject({ tag: 'v1', release: 1 });
    expect(listing.stacks[1]!.owner).toBe('bob');
    const table = await local.shipper(['list', '--env', LOCAL_ENV, '-f', local.descriptor]);
    expect(table.stdout).toMatch(/^pr-1\s+hello-local-pr-1\s+CREATE_COMPLETE\s+-\s+\S+\s+bob\s+feature\/pr-1\s+expired 3h ago$/m);
    expect(table.stdout).toMatch(/^pr-2\s+hello-local-pr-2\s+CREATE_COMPLETE\s+-\s+\S+\s+bob\s+feature\/pr-2\s+in 1d 23h$/m);

    const one = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', local.descriptor, '--instance', 'pr-2', '--yes']);
    expect(one.stderr).toBe('');
    expect(one.code).toBe(ExitCode.ok);
    expect(one.stdout).toContain('Deleted hello-local-pr-2');
    expect(one.stdout).toContain(`Log group ${logGroupOf('pr-2')}: deleted`);
    expect(await stackExists(`${MAIN}-pr-2`)).toBe(false);
    expect(await logGroupExists(logGroupOf('pr-2'))).toBe(false);
    const pr2 = historyParameterNames('hello', LOCAL_ENV, 'pr-2');
    expect(await parameterExists(pr2.releases)).toBe(false);
    expect(await parameterExists(pr2.outcomes)).toBe(false);
    expect(await stackExists(`${MAIN}-pr-1`)).toBe(true);
    expect(await logGroupExists(logGroupOf('pr-1'))).toBe(true);

    const expired = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', local.descriptor, '--expired', '--yes']);
    expect(expired.stderr).toBe('');
    expect(expired.code).toBe(ExitCode.ok);
    expect(expired.stdout).toContain('Deleted 1 of 1 expired instance(s).');
    expect(await stackExists(`${MAIN}-pr-1`)).toBe(false);
    expect(await logGroupExists(logGroupOf('pr-1'))).toBe(false);
    expect(await parameterExists(historyParameterNames('hello', LOCAL_ENV, 'pr-1').releases)).toBe(false);

    // The environment itself is untouched: its stack, its history.
    expect(await stackExists(MAIN)).toBe(true);
    expect(await parameterExists(historyParameterNames('hello', LOCAL_ENV).releases)).toBe(true);
    const after = JSON.parse((await local.shipper(['list', '--env', LOCAL_ENV, '-f', local.descriptor, '--json'])).stdout) as { stacks: Array<{ name: string }> };
    expect(after.stacks.map((s) => s.name)).toEqual(['main']);
    const again = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', local.descriptor, '--expired', '--yes']);
    expect(again.code).toBe(ExitCode.ok);
    expect(again.stdout).toContain('No expired instances of hello in local.');
  });

  it('--keep-history keeps the instance history in SSM', async () => {
    await createInstance('pr-3', new Date(Date.now() + 3600_000).toISOString());
    const run = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', local.descriptor, '--instance', 'pr-3', '--yes', '--keep-history']);
    expect(run.code).toBe(ExitCode.ok);
    expect(await stackExists(`${MAIN}-pr-3`)).toBe(false);
    expect(await parameterExists(historyParameterNames('hello', LOCAL_ENV, 'pr-3').releases)).toBe(true);
  });
});

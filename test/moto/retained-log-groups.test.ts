/**
 * Log groups of a failed first create are retained (DeletionPolicy: Retain) so they can be read
 * after the rollback; the next create of the same stack removes this stack's retained group
 * instead of failing on "already exists", and refuses (exit 3) to touch a group that is not its
 * own. moto_server serves CloudWatch Logs over HTTP with the real SDK.
 */
import { describe, expect, it } from '@jest/globals';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, ListTagsForResourceCommand, PutLogEventsCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeStacksCommand, DeleteStackCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { ExitCode } from '../../src/errors.js';
import { useLocalAws } from './local-aws.js';

const STACK = `hello-${LOCAL_ENV}`;
const LOG_GROUP = `/shipper/hello/${LOCAL_ENV}`;
const local = useLocalAws();
const logs = () => new CloudWatchLogsClient({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const deploy = () => local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', 'v1']);

async function logGroup(name = LOG_GROUP) {
  return (await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.find((g) => g.logGroupName === name);
}

describe('log groups of a failed first create', () => {
  it('are tagged with their stack, so a retained one can be recognised', async () => {
    expect((await deploy()).code).toBe(ExitCode.ok);
    const group = await logGroup();
    expect(group).toBeDefined();
    const tags = (await logs().send(new ListTagsForResourceCommand({ resourceArn: group!.logGroupArn ?? group!.arn!.replace(/:\*$/, '') }))).tags;
    expect(tags?.['shipper:stack']).toBe(STACK);
  });

  it('do not block the next create: this stack\'s retained group is removed first, with a notice', async () => {
    // What a rolled-back first create leaves: no stack, the log group with what the instances wrote.
    await logs().send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP, tags: { 'shipper:stack': STACK } }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: 'boot/i-0abc' }));
    await logs().send(new PutLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: 'boot/i-0abc', logEvents: [{ timestamp: Date.now(), message: 'docker pull failed' }] }));
    const run = await deploy();
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout + run.stderr).toMatch(/deleting log group \/shipper\/hello\/local, kept from an earlier failed create of hello-local/);
    expect((await local.cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }))).Stacks?.[0]?.StackStatus).toBe('CREATE_COMPLETE');
  });

  it('refuse to remove a group that is not this stack\'s: exit 3 and no stack', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    const run = await deploy();
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/log group \/shipper\/hello\/local already exists and was not created by stack hello-local/);
    expect(run.stderr).toMatch(/aws logs delete-log-group --log-group-name \/shipper\/hello\/local/);
    expect(await logGroup()).toBeDefined();
    await expect(local.cloudFormation.send(new DescribeStacksCommand({ StackName: STACK }))).rejects.toThrow(/does not exist/);
  });

  it('stay when the stack is deleted (moto honours DeletionPolicy: Retain)', async () => {
    expect((await deploy()).code).toBe(ExitCode.ok);
    await local.cloudFormation.send(new DeleteStackCommand({ StackName: STACK }));
    expect(await logGroup()).toBeDefined();
  });
});

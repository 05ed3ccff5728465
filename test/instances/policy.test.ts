/**
 * The deployer policy covers list and destroy: ListStacks (no resource-level permissions), the
 * instances' stacks, deleting only instances' history, and their log groups by tag; and nothing
 * for instances in a protected environment, where none may exist.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { exampleDir } from '../helpers/paths.js';
import { editedExample } from '../helpers/temp-service.js';

interface Statement {
  Sid: string;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

/** The example with its test environment opted in to short-lived instances. */
const withInstances = () => editedExample(exampleDir, (text) => text.replace('    region: eu-west-1\n', '    region: eu-west-1\n    instances:\n      ttl: 3d\n'));

async function policy(env: string): Promise<Statement[]> {
  const run = await cli(['policy', '--env', env, '-f', path.join(env === 'test' ? withInstances() : exampleDir, 'shipper.yml')]);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { Statement: Statement[] }).Statement;
}

describe('the deployer policy for short-lived instances', () => {
  it('in an environment that may have instances: their stacks, their history, their log groups by tag', async () => {
    const statements = await policy('test');
    const sid = (name: string) => statements.find((s) => s.Sid === name);

    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    expect(sid('DescribeWithoutResourceLevelPermissions')?.Action).toContain('cloudformation:ListStacks');
    expect(sid('Stack')?.Resource).toEqual(['arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-test-*/*', 'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-test/*']);
    // Deleting history is allowed for instances only, never for the environment's own.
    expect(sid('InstanceReleaseHistoryParameters')).toMatchObject({ Action: ['ssm:DeleteParameters'], Resource: ['arn:aws:ssm:eu-west-1:123456789012:parameter/shipper/hello/test/instances/*'] });
    expect(statements.filter((s) => s.Action.includes('ssm:DeleteParameters')).flatMap((s) => s.Resource)).toEqual(['arn:aws:ssm:eu-west-1:123456789012:parameter/shipper/hello/test/instances/*']);
    expect(sid('InstanceLogGroups')).toEqual({
      Sid: 'InstanceLogGroups',
      Effect: 'Allow',
      Action: ['logs:DeleteLogGroup', 'logs:ListTagsForResource'],
      Resource: ['arn:aws:logs:eu-west-1:123456789012:log-group:*'],
      Condition: { StringLike: { 'aws:ResourceTag/shipper:stack': 'hello-test-*' } },
    });
  });

  it('in a protected environment: nothing for instances, ListStacks only', async () => {
    const statements = await policy('prod');
    expect(statements.find((s) => s.Sid === 'Stack')?.Resource).toEqual(['arn:aws:cloudformation:eu-west-1:210987654321:stack/hello-prod/*']);
    expect(statements.map((s) => s.Sid)).not.toContain('InstanceLogGroups');
    expect(statements.flatMap((s) => s.Action)).not.toContain('ssm:DeleteParameters');
    expect(JSON.stringify(statements)).not.toContain('/instances/');
  });
});

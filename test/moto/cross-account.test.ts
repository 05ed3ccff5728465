/**
 * Cross-account deploys over the wire: the environment's roleArn is assumed through moto's STS,
 * the account guard checks the assumed role's account (moto answers GetCallerIdentity for
 * assumed credentials with the role's account), and cloudFormationRoleArn reaches the stack.
 * moto accepts any AssumeRole, so a role that cannot be assumed is tested with a stub STS in
 * test/aws/assume-role.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_ENV } from '../../examples/local/seed.mjs';
import path from 'node:path';
import { cli } from '../helpers/cli.js';
import { useLocalAws } from './local-aws.js';

const local = useLocalAws();

/** The seeded `local` environment with the given fields added. */
function withLocalFields(fields: Record<string, string>): void {
  const doc = parseDocument(readFileSync(local.descriptor, 'utf8'));
  for (const [key, value] of Object.entries(fields)) doc.setIn(['environments', LOCAL_ENV, key], value);
  writeFileSync(local.descriptor, doc.toString());
}

const deploy = () => local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', 'v1']);

describe('roleArn and cloudFormationRoleArn against moto_server', () => {
  it('assumes the role, passes the account guard with its account, and hands CloudFormation the service role', async () => {
    const account = local.seeded.account;
    withLocalFields({ roleArn: `arn:aws:iam::${account}:role/shipper-deployer`, cloudFormationRoleArn: `arn:aws:iam::${account}:role/shipper-cloudformation` });

    // As a Buildkite step runs it: the session name says which build deployed.
    const env = { PATH: process.env.PATH, AWS_ENDPOINT_URL: local.endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: local.seeded.region, BUILDKITE_PIPELINE_SLUG: 'hello', BUILDKITE_BUILD_NUMBER: '42' };
    const run = await cli(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', 'v1'], { cwd: path.dirname(local.descriptor), env });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Every call after AssumeRole is the role's: the account guard's GetCallerIdentity shows its session.
    expect(run.stdout).toContain(`${account} (arn:aws:sts::${account}:assumed-role/shipper-deployer/buildkite-hello-42)`);
    const stack = (await local.cloudFormation.send(new DescribeStacksCommand({ StackName: `hello-${LOCAL_ENV}` }))).Stacks?.[0];
    expect(stack?.StackStatus).toBe('CREATE_COMPLETE');
    expect(stack?.RoleARN).toBe(`arn:aws:iam::${account}:role/shipper-cloudformation`);
  });

  it("refuses (exit 3) a role in another account than the environment's, before anything changes", async () => {
    withLocalFields({ roleArn: 'arn:aws:iam::111122223333:role/shipper-deployer' });

    const run = await deploy();

    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`these credentials are for account 111122223333, but environment "${LOCAL_ENV}" deploys to account ${local.seeded.account}`);
    expect(run.stderr).toContain('roleArn');
    const stacks = await local.cloudFormation.send(new DescribeStacksCommand({})).catch(() => ({ Stacks: [] }));
    expect(stacks.Stacks ?? []).toEqual([]);
  });
});

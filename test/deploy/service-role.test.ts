/**
 * cloudFormationRoleArn reaches every CloudFormation call that makes or removes resources:
 * the change set, and deleting a failed first create (the stack in ROLLBACK_COMPLETE).
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import type { CreateChangeSetCommandInput, DeleteStackCommandInput } from '@aws-sdk/client-cloudformation';
import { ExitCode } from '../../src/errors.js';
import { exampleDir } from '../helpers/paths.js';
import { editedExample } from '../helpers/temp-service.js';
import { world } from './harness.js';

const SERVICE_ROLE = 'arn:aws:iam::123456789012:role/shipper-cloudformation';

describe('cloudFormationRoleArn', () => {
  it('is the RoleARN of the change sets and of deleting a failed first create', async () => {
    const dir = editedExample(exampleDir, (text) => text.replace('  test:\n    account: "123456789012"\n', `  test:\n    account: "123456789012"\n    cloudFormationRoleArn: ${SERVICE_ROLE}\n`));
    const w = world({ descriptor: path.join(dir, 'shipper.yml') });
    const changeSets: CreateChangeSetCommandInput[] = [];
    const deletes: DeleteStackCommandInput[] = [];
    const clients = async () => {
      const real = w.cloud.clients();
      const cfn = real.cloudFormation;
      return {
        ...real,
        cloudFormation: {
          ...cfn,
          createChangeSet: (i: CreateChangeSetCommandInput) => (changeSets.push(i), cfn.createChangeSet(i)),
          deleteStack: (i: DeleteStackCommandInput) => (deletes.push(i), cfn.deleteStack(i)),
        },
      };
    };
    w.cloud.scriptInstances([{ signal: 'FAILURE', afterSeconds: 100 }, { signal: 'SUCCESS', afterSeconds: 100 }]);

    const first = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'], { cwd: dir, deps: { clients } });
    expect(first.code).toBe(ExitCode.deployRolledBack);
    const second = await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'], { cwd: dir, deps: { clients } });

    expect(second.code).toBe(ExitCode.ok);
    expect(changeSets.map((c) => c.RoleARN)).toEqual([SERVICE_ROLE, SERVICE_ROLE]);
    expect(deletes).toEqual([{ StackName: 'hello-test', RoleARN: SERVICE_ROLE }]);
  });
});

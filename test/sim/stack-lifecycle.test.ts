import { describe, it, expect } from '@jest/globals';
import { findRootCause } from '../../src/stack-events/root-cause.js';
import { mustBeDeletedFirst } from '../../src/stack-events/status.js';
import { NO_CHANGES_REASON } from './cloudformation.js';
import { runChangeSet } from './drive.js';
import { DIGEST_A, DIGEST_B, firstCreateScenario, serviceTemplate, updateScenario } from './scenarios.js';

const params = (digest: string) => [
  { ParameterKey: 'ImageDigest', ParameterValue: digest },
  { ParameterKey: 'DesiredCapacity', ParameterValue: '2' },
];

describe('first create', () => {
  it('succeeds with CREATE_COMPLETE and no cleanup phase', async () => {
    const s = firstCreateScenario();
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, s);
    expect(result.changeSetType).toBe('CREATE');
    expect(result.finalStatus).toBe('CREATE_COMPLETE');
    const stackLines = result.events.filter((e) => e.LogicalResourceId === s.stackName).map((e) => e.ResourceStatus);
    expect(stackLines).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    expect(result.events.filter((e) => /Received SUCCESS signal/.test(e.ResourceStatusReason ?? '') && e.ResourceStatus === 'CREATE_IN_PROGRESS')).toHaveLength(2);
    expect(result.events.some((e) => e.ResourceStatus?.startsWith('DELETE_'))).toBe(false);
  });

  it('that fails rolls back to ROLLBACK_COMPLETE, after which the stack can only be deleted', async () => {
    const s = firstCreateScenario([{ signal: 'FAILURE', afterSeconds: 90 }]);
    const clients = s.cloud.clients();
    const result = await runChangeSet(clients, s.cloud.clock, s);
    expect(result.finalStatus).toBe('ROLLBACK_COMPLETE');
    expect(result.finalReason).toBeUndefined();
    const rollback = result.events.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS')!;
    expect(rollback.ResourceStatusReason).toBe('The following resource(s) failed to create: [AutoScalingGroup]. Rollback requested by user.');
    expect(findRootCause(result.events, { stackName: s.stackName })).toMatchObject({ status: 'CREATE_FAILED', classification: { kind: 'signal-failure' } });
    expect(result.events.filter((e) => e.ResourceStatus === 'DELETE_COMPLETE').map((e) => e.LogicalResourceId)).toEqual(['AutoScalingGroup', 'LaunchTemplate']);
    expect(mustBeDeletedFirst(result.finalStatus!)).toBe(true);

    const stackId = (await clients.cloudFormation.describeStacks({ StackName: s.stackName })).Stacks![0]!.StackId!;
    await expect(
      clients.cloudFormation.createChangeSet({ StackName: s.stackName, ChangeSetName: 'again', ChangeSetType: 'UPDATE', TemplateBody: s.templateBody, Parameters: params(DIGEST_A) }),
    ).rejects.toMatchObject({ name: 'ValidationError', message: `Stack:${stackId} is in ROLLBACK_COMPLETE state and can not be updated.` });
    await expect(
      clients.cloudFormation.createChangeSet({ StackName: s.stackName, ChangeSetName: 'again', ChangeSetType: 'CREATE', TemplateBody: s.templateBody, Parameters: params(DIGEST_A) }),
    ).rejects.toMatchObject({ name: 'AlreadyExistsException', message: `Stack [${s.stackName}] already exists` });

    await clients.cloudFormation.deleteStack({ StackName: s.stackName });
    await s.cloud.clock.sleep(60_000);
    await expect(clients.cloudFormation.describeStacks({ StackName: s.stackName })).rejects.toMatchObject({
      name: 'ValidationError',
      message: `Stack with id ${s.stackName} does not exist`,
    });
    // By id, a deleted stack still answers.
    expect((await clients.cloudFormation.describeStacks({ StackName: stackId })).Stacks![0]!.StackStatus).toBe('DELETE_COMPLETE');
  });
});

describe('change sets', () => {
  it('UPDATE on a missing stack is a ValidationError', async () => {
    const s = firstCreateScenario();
    await expect(
      s.cloud.clients().cloudFormation.createChangeSet({ StackName: 'nope', ChangeSetName: 'c', ChangeSetType: 'UPDATE', TemplateBody: s.templateBody }),
    ).rejects.toMatchObject({ name: 'ValidationError', message: 'Stack [nope] does not exist' });
  });

  it('CREATE puts a new stack in REVIEW_IN_PROGRESS, and the change set becomes CREATE_COMPLETE after a moment', async () => {
    const s = firstCreateScenario();
    const cfn = s.cloud.clients().cloudFormation;
    const created = await cfn.createChangeSet({ StackName: s.stackName, ChangeSetName: 'c1', ChangeSetType: 'CREATE', TemplateBody: s.templateBody, Parameters: params(DIGEST_A) });
    expect((await cfn.describeStacks({ StackName: s.stackName })).Stacks![0]!.StackStatus).toBe('REVIEW_IN_PROGRESS');
    expect((await cfn.describeChangeSet({ ChangeSetName: created.Id })).Status).toBe('CREATE_PENDING');
    await s.cloud.clock.sleep(5000);
    const cs = await cfn.describeChangeSet({ ChangeSetName: 'c1', StackName: s.stackName });
    expect(cs).toMatchObject({ Status: 'CREATE_COMPLETE', ExecutionStatus: 'AVAILABLE' });
    expect(cs.Changes!.map((c) => [c.ResourceChange!.Action, c.ResourceChange!.LogicalResourceId])).toEqual([
      ['Add', 'LaunchTemplate'],
      ['Add', 'AutoScalingGroup'],
    ]);
  });

  it('describes a digest change as a launch template update and a group replacement', async () => {
    const s = updateScenario({ scheduledActions: ['ScaleIn'] });
    const cfn = s.cloud.clients().cloudFormation;
    await cfn.createChangeSet({ StackName: s.stackName, ChangeSetName: 'c', ChangeSetType: 'UPDATE', TemplateBody: s.templateBody, Parameters: params(DIGEST_B) });
    await s.cloud.clock.sleep(5000);
    const cs = await cfn.describeChangeSet({ ChangeSetName: 'c', StackName: s.stackName });
    expect(cs.Changes!.map((c) => c.ResourceChange)).toEqual([
      expect.objectContaining({ Action: 'Modify', LogicalResourceId: 'LaunchTemplate', ResourceType: 'AWS::EC2::LaunchTemplate', Replacement: 'False' }),
      expect.objectContaining({ Action: 'Modify', LogicalResourceId: 'AutoScalingGroup', Replacement: 'True', PhysicalResourceId: s.seeded!.groupName }),
      expect.objectContaining({ Action: 'Modify', LogicalResourceId: 'ScaleIn', ResourceType: 'AWS::AutoScaling::ScheduledAction', Replacement: 'True' }),
    ]);
  });

  it('fails with CloudFormation\'s reason when nothing changed', async () => {
    const s = updateScenario();
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, { ...s, parameters: { ImageDigest: DIGEST_A, DesiredCapacity: '2' } });
    expect(result.changeSetStatus).toBe('FAILED');
    expect(result.changeSetReason).toBe(NO_CHANGES_REASON);
    expect(result.startedAt).toBeUndefined();
  });

  it('a capacity-only change updates the group in place, no replacement', async () => {
    const s = updateScenario();
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, { ...s, templateBody: serviceTemplate({ maxSize: 8 }), parameters: { ImageDigest: DIGEST_A, DesiredCapacity: '2' } });
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expect(result.events.map((e) => `${e.LogicalResourceId} ${e.ResourceStatus}`)).toEqual([
      `${s.stackName} UPDATE_IN_PROGRESS`,
      'AutoScalingGroup UPDATE_IN_PROGRESS',
      'AutoScalingGroup UPDATE_COMPLETE',
      `${s.stackName} UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`,
      `${s.stackName} UPDATE_COMPLETE`,
    ]);
    const group = (await s.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [s.seeded!.groupName!] })).AutoScalingGroups![0]!;
    expect(group.MaxSize).toBe(8);
  });

  it('refuses templates with IAM resources unless the capability is acknowledged', async () => {
    const s = firstCreateScenario();
    const body = serviceTemplate({ extraResources: { Role: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } } } });
    await expect(
      s.cloud.clients().cloudFormation.createChangeSet({ StackName: s.stackName, ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body, Parameters: params(DIGEST_A) }),
    ).rejects.toMatchObject({ name: 'InsufficientCapabilitiesException', message: 'Requires capabilities : [CAPABILITY_IAM]' });
  });

  it('accepts CloudFormation YAML with short tags', async () => {
    const s = firstCreateScenario();
    const yaml = [
      'Parameters:',
      '  ImageDigest: {Type: String}',
      'Resources:',
      '  Queue:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      QueueName: !Sub "${AWS::StackName}-jobs"',
      '      Tags: [{Key: digest, Value: !Ref ImageDigest}]',
    ].join('\n');
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, { stackName: 'yaml-stack', templateBody: yaml, parameters: { ImageDigest: DIGEST_A } });
    expect(result.finalStatus).toBe('CREATE_COMPLETE');
  });
});

describe('seeded live stacks', () => {
  it('carry a scaled-out group so capacity carry-over can be tested', async () => {
    const s = updateScenario({ liveDesiredCapacity: 4 });
    const group = (await s.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [s.seeded!.groupName!] })).AutoScalingGroups![0]!;
    expect(group.DesiredCapacity).toBe(4);
    expect(group.Instances).toHaveLength(4);
    s.cloud.autoScaling.setDesiredCapacity(s.seeded!.groupName!, 3);
    const after = (await s.cloud.clients().autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [s.seeded!.groupName!] })).AutoScalingGroups![0]!;
    expect(after.DesiredCapacity).toBe(3);
    expect(s.cloud.groupMutations(s.seeded!.groupName!).every((m) => m.by === 'setup')).toBe(true);
  });
});

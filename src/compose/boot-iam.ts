/**
 * What the instance role needs for the boot script's own conversation with AWS, beyond pulling
 * images and reading secrets: completing its group's launch hook, checking that the group it
 * signals for is the one the stack is waiting on, and leaving its log behind when it fails.
 */
import type { IamStatement } from './containers.js';

export function bootScriptStatements(input: { logicalGroupId: string; logGroupName: string }): IamStatement[] {
  return [
    {
      Sid: 'BootCompletesLaunchHook',
      Effect: 'Allow',
      Action: ['autoscaling:CompleteLifecycleAction'],
      // CloudFormation names the groups of this stack `<stack>-<logical id>-<suffix>`: every
      // replacement group is covered, no other stack's group is.
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:autoscaling:\${AWS::Region}:\${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/\${AWS::StackName}-${input.logicalGroupId}-*`,
      },
    },
    // DescribeAutoScalingInstances supports no resource-level permissions: AWS requires "*".
    { Sid: 'BootFindsItsGroup', Effect: 'Allow', Action: ['autoscaling:DescribeAutoScalingInstances'], Resource: '*' },
    { Sid: 'BootReadsItsStackResource', Effect: 'Allow', Action: ['cloudformation:DescribeStackResource'], Resource: { Ref: 'AWS::StackId' } },
    {
      Sid: 'BootLeavesItsLogOnFailure',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: {
        'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:${input.logGroupName}:log-stream:boot/*`,
      },
    },
  ];
}

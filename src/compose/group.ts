/**
 * The launch template and the Auto Scaling group, wired for immutable replacement:
 * the image digest lives in the launch template's user data, the group follows the newest
 * launch template version, and `AutoScalingReplacingUpdate` makes CloudFormation build a new
 * group (and wait for its instances' signals) whenever that version changes.
 */
import type { ResolvedService } from '../descriptor/schema.js';
import { launchHookSpecification } from './boot-budget.js';
import { isoDurationSeconds } from './checks.js';
import type { CfnResource } from './template.js';
import { LogicalIds, ParameterNames } from './template.js';

export interface GroupInput {
  service: ResolvedService;
  userData: unknown;
  targetGroupArn?: unknown;
  tags: Array<{ Key: string; Value: unknown }>;
}

export function launchTemplateResource(input: GroupInput): Record<string, CfnResource> {
  const { service } = input;
  return {
    [LogicalIds.launchTemplate]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          ImageId: { Ref: ParameterNames.amiId },
          InstanceType: service.instance.type,
          IamInstanceProfile: { Arn: { 'Fn::GetAtt': [LogicalIds.instanceProfile, 'Arn'] } },
          SecurityGroupIds: [{ 'Fn::GetAtt': [LogicalIds.securityGroup, 'GroupId'] }],
          ...(service.instance.keyName ? { KeyName: service.instance.keyName } : {}),
          // IMDSv2 only; a hop limit of 2 lets containers on the Docker bridge reach it too.
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { VolumeSize: service.instance.rootVolumeGiB, VolumeType: 'gp3', Encrypted: true, DeleteOnTermination: true } },
          ],
          TagSpecifications: [
            { ResourceType: 'instance', Tags: input.tags },
            { ResourceType: 'volume', Tags: input.tags },
          ],
          UserData: input.userData,
        },
      },
    },
  };
}

export function autoScalingGroupResource(input: GroupInput): Record<string, CfnResource> {
  const { service } = input;
  const hasTargetGroup = input.targetGroupArn !== undefined;
  return {
    [LogicalIds.autoScalingGroup]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      CreationPolicy: {
        ResourceSignal: { Count: { Ref: ParameterNames.desiredCapacity }, Timeout: service.signalTimeout },
        AutoScalingCreationPolicy: { MinSuccessfulInstancesPercent: service.minSuccessfulInstancesPercent },
      },
      UpdatePolicy: {
        AutoScalingReplacingUpdate: { WillReplace: true },
        // Scheduled actions change the group's size; don't let a deploy fight them.
        AutoScalingScheduledAction: { IgnoreUnmodifiedGroupSizeProperties: true },
      },
      Properties: {
        LaunchTemplate: {
          LaunchTemplateId: { Ref: LogicalIds.launchTemplate },
          Version: { 'Fn::GetAtt': [LogicalIds.launchTemplate, 'LatestVersionNumber'] },
        },
        MinSize: String(service.capacity.min),
        MaxSize: String(service.capacity.max),
        DesiredCapacity: { Ref: ParameterNames.desiredCapacity },
        VPCZoneIdentifier: service.network.subnets,
        ...(hasTargetGroup ? { TargetGroupARNs: [input.targetGroupArn] } : {}),
        // With a target group, the load balancer's view of health decides replacement of sick instances.
        HealthCheckType: hasTargetGroup ? 'ELB' : 'EC2',
        // Starts at InService, which the launch hook holds back until the app is healthy (boot-budget.ts).
        HealthCheckGracePeriod: service.healthCheck.gracePeriodSeconds,
        LifecycleHookSpecificationList: [launchHookSpecification(isoDurationSeconds(service.signalTimeout) ?? 0)],
        MetricsCollection: [{ Granularity: '1Minute' }],
        Tags: input.tags.map((t) => ({ ...t, PropagateAtLaunch: false })),
      },
    },
  };
}

export function scheduledActionResources(service: ResolvedService): Record<string, CfnResource> {
  return Object.fromEntries(
    service.scheduledActions.map((action) => [
      scheduledActionLogicalId(action.name),
      {
        Type: 'AWS::AutoScaling::ScheduledAction',
        Properties: {
          AutoScalingGroupName: { Ref: LogicalIds.autoScalingGroup },
          Recurrence: action.recurrence,
          ...(action.timeZone ? { TimeZone: action.timeZone } : {}),
          ...(action.minSize !== undefined ? { MinSize: action.minSize } : {}),
          ...(action.maxSize !== undefined ? { MaxSize: action.maxSize } : {}),
          ...(action.desiredCapacity !== undefined ? { DesiredCapacity: action.desiredCapacity } : {}),
        },
      } satisfies CfnResource,
    ]),
  );
}

/** `scale-in-at-night` → `ScheduledActionScaleInAtNight`: stable across deploys. */
export function scheduledActionLogicalId(name: string): string {
  return 'ScheduledAction' + name.split('-').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/**
 * The Auto Scaling side: groups, their instances and scaling activities, as DescribeAutoScalingGroups
 * and DescribeScalingActivities show them. Every change to every group is written to an audit
 * log, so a test can prove that a failed deploy never scaled in, modified or deleted the group
 * that was serving.
 */
import type * as asg from '@aws-sdk/client-auto-scaling';
import type { AutoScalingApi } from '../../src/aws/api.js';
import type { FakeClock } from './clock.js';
import { abandonedLaunchStatus, elbHealthCheckFailureCause, unhealthyReplacementCause, type GroupHealthSpec } from './group-health.js';
import { launchFailureDescription, launchFailureStatusMessage } from './launch-failures.js';
import type { SimRandom } from './random.js';

export interface SimInstance {
  InstanceId: string;
  InstanceType: string;
  AvailabilityZone: string;
  LifecycleState: string;
  HealthStatus: string;
  ProtectedFromScaleIn: boolean;
  LaunchTemplate?: { LaunchTemplateId: string; LaunchTemplateName: string; Version: string };
  LaunchConfigurationName?: string;
}

export interface LaunchTemplateRef {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  Version: string;
}

export interface SimGroup {
  name: string;
  arn: string;
  min: number;
  max: number;
  desired: number;
  instances: SimInstance[];
  activities: asg.Activity[];
  tags: Array<{ Key: string; Value: string }>;
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  vpcZoneIdentifier: string;
  createdTime: Date;
  deleting: boolean;
  deleted: boolean;
  instanceType: string;
  /** Told about each launched instance (CloudFormation uses it to script the instance's signal). */
  onInstanceLaunched?: (instance: SimInstance) => { inServiceAfterSeconds?: number; healthyAfterSeconds?: number } | void;
  /** Health check type, grace period and launch hook (group-health.ts); none: EC2 checks only. */
  health?: GroupHealthSpec;
}

export type GroupMutationAction =
  | 'create-group'
  | 'set-desired-capacity'
  | 'launch-instance'
  | 'terminate-instance'
  | 'put-scheduled-action'
  | 'delete-scheduled-action'
  | 'delete-group-started'
  | 'group-deleted';

export interface GroupMutation {
  time: Date;
  group: string;
  action: GroupMutationAction;
  detail: string;
  /** Who asked: CloudFormation during a stack operation, or the test seeding the world. */
  by: 'cloudformation' | 'setup';
}

/** How one launched instance behaves: what it signals and when (seconds after launch). */
export interface InstanceScript {
  signal: 'SUCCESS' | 'FAILURE' | 'NONE';
  afterSeconds: number;
  /** Seconds from launch until Auto Scaling reports it InService (or Pending:Wait, with a launch hook). */
  inServiceAfterSeconds?: number;
  /** Lines its boot script writes to the service's log group just before it signals FAILURE. */
  bootLog?: string[];
  /**
   * Seconds from launch until its app answers health checks; the boot script then completes a
   * launch hook. Unset: healthy from the start, as far as the group's health checks go.
   */
  healthyAfterSeconds?: number;
}

export interface LaunchFailureScript {
  reason: string;
  /** How many launch attempts fail before launches work again. */
  attempts: number | 'always';
}

export class AutoScalingService implements AutoScalingApi {
  readonly groups = new Map<string, SimGroup>();
  readonly audit: GroupMutation[] = [];
  private launchFailures: LaunchFailureScript[] = [];
  instanceInServiceSeconds = 45;
  retryDelaysSeconds = [10, 20, 40, 80, 160, 300];

  constructor(
    private readonly clock: FakeClock,
    private readonly random: SimRandom,
    private readonly region: string,
    private readonly account: string,
  ) {}

  scriptLaunchFailure(script: LaunchFailureScript): void {
    this.launchFailures.push({ ...script });
  }

  /** Every mutation of one group, oldest first. */
  mutationsOf(groupName: string): GroupMutation[] {
    return this.audit.filter((m) => m.group === groupName);
  }

  createGroup(opts: {
    name: string;
    min: number;
    max: number;
    desired: number;
    tags: Array<{ Key: string; Value: string }>;
    launchTemplate?: LaunchTemplateRef;
    launchConfigurationName?: string;
    vpcZoneIdentifier?: string;
    instanceType?: string;
    by: GroupMutation['by'];
    /** Seeded groups start with their instances already InService and no launch history. */
    alreadyRunning?: boolean;
    onInstanceLaunched?: SimGroup['onInstanceLaunched'];
    health?: GroupHealthSpec;
  }): SimGroup {
    const group: SimGroup = {
      name: opts.name,
      arn: `arn:aws:autoscaling:${this.region}:${this.account}:autoScalingGroup:${this.random.uuid()}:autoScalingGroupName/${opts.name}`,
      min: opts.min,
      max: opts.max,
      desired: 0,
      instances: [],
      activities: [],
      tags: opts.tags,
      launchTemplate: opts.launchTemplate,
      launchConfigurationName: opts.launchConfigurationName,
      vpcZoneIdentifier: opts.vpcZoneIdentifier ?? 'subnet-0a1b2c3d,subnet-1a2b3c4d',
      createdTime: this.clock.now(),
      deleting: false,
      deleted: false,
      instanceType: opts.instanceType ?? 't3.small',
      onInstanceLaunched: opts.onInstanceLaunched,
      health: opts.health,
    };
    this.groups.set(group.name, group);
    this.record(group, 'create-group', `min ${opts.min}, max ${opts.max}, desired ${opts.desired}`, opts.by);
    this.setDesired(group, opts.desired, opts.by, opts.alreadyRunning ? 'running' : 'launch');
    return group;
  }

  /** Sets a live group's desired capacity, as a scaling policy or an operator would. */
  setDesiredCapacity(groupName: string, desired: number, by: GroupMutation['by'] = 'setup'): void {
    this.setDesired(this.requireGroup(groupName), desired, by, by === 'setup' ? 'running' : 'launch');
  }

  private setDesired(group: SimGroup, desired: number, by: GroupMutation['by'], mode: 'launch' | 'running'): void {
    const from = group.desired;
    group.desired = desired;
    if (from !== desired) this.record(group, 'set-desired-capacity', `${from} -> ${desired}`, by);
    const live = () => group.instances.filter((i) => i.LifecycleState !== 'Terminating' && i.LifecycleState !== 'Terminated');
    const cause = `At ${iso(this.clock.now())} a user request created an AutoScalingGroup changing the desired capacity from ${from} to ${desired}.`;
    if (live().length < desired) this.launch(group, desired - live().length, cause, by, mode, 0);
    while (live().length > desired) this.terminate(group, live()[live().length - 1]!, by, 'shrinking the capacity');
  }

  private launch(group: SimGroup, count: number, cause: string, by: GroupMutation['by'], mode: 'launch' | 'running', attempt: number): void {
    const now = this.clock.now();
    const capacityCause = `${cause ? `${cause}  ` : ''}At ${iso(now)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${group.instances.length} to ${group.desired}.`;
    const failure = mode === 'launch' ? this.takeLaunchFailure() : undefined;
    if (failure) {
      group.activities.unshift({
        ActivityId: this.random.uuid(),
        AutoScalingGroupName: group.name,
        AutoScalingGroupARN: group.arn,
        Description: launchFailureDescription(failure),
        Cause: capacityCause,
        StartTime: now,
        EndTime: now,
        StatusCode: 'Failed',
        StatusMessage: launchFailureStatusMessage(failure),
        Progress: 100,
        Details: JSON.stringify({ 'Subnet ID': group.vpcZoneIdentifier.split(',')[0], 'Availability Zone': `${this.region}a` }),
      });
      // Auto Scaling keeps trying, backing off, for as long as the group wants capacity.
      const delay = this.retryDelaysSeconds[Math.min(attempt, this.retryDelaysSeconds.length - 1)]!;
      this.clock.schedule(delay * 1000, () => {
        if (group.deleting || group.deleted) return;
        const missing = group.desired - group.instances.filter((i) => i.LifecycleState !== 'Terminating').length;
        if (missing > 0) this.launch(group, missing, cause, by, mode, attempt + 1);
      });
      return;
    }
    for (let n = 0; n < count; n++) {
      const zones = ['a', 'b', 'c'];
      const instance: SimInstance = {
        InstanceId: this.random.instanceId(),
        InstanceType: group.instanceType,
        AvailabilityZone: `${this.region}${zones[group.instances.length % zones.length]}`,
        LifecycleState: mode === 'running' ? 'InService' : 'Pending',
        HealthStatus: 'Healthy',
        ProtectedFromScaleIn: false,
        LaunchTemplate: group.launchTemplate && { ...group.launchTemplate },
        LaunchConfigurationName: group.launchConfigurationName,
      };
      group.instances.push(instance);
      this.record(group, 'launch-instance', instance.InstanceId, by);
      if (mode === 'running') continue;
      const activity: asg.Activity = {
        ActivityId: this.random.uuid(),
        AutoScalingGroupName: group.name,
        AutoScalingGroupARN: group.arn,
        Description: `Launching a new EC2 instance: ${instance.InstanceId}`,
        Cause: capacityCause,
        StartTime: now,
        StatusCode: 'InProgress',
        Progress: 30,
        Details: JSON.stringify({ 'Subnet ID': group.vpcZoneIdentifier.split(',')[0], 'Availability Zone': instance.AvailabilityZone }),
      };
      group.activities.unshift(activity);
      const behaviour = group.onInstanceLaunched?.(instance);
      const inService = (behaviour && behaviour.inServiceAfterSeconds) ?? this.instanceInServiceSeconds;
      const healthyAfter = behaviour ? behaviour.healthyAfterSeconds : undefined;
      const healthyAtMs = healthyAfter === undefined ? 0 : this.clock.nowMs() + healthyAfter * 1000;
      this.clock.schedule(inService * 1000, () => {
        if (instance.LifecycleState !== 'Pending') return;
        if (group.health?.launchHook) this.waitForLaunchHook(group, instance, activity, healthyAtMs, by);
        else this.putInService(group, instance, activity, healthyAtMs, by);
      });
    }
  }

  /** Pending:Wait until the boot script completes the hook (once healthy) or the heartbeat runs out. */
  private waitForLaunchHook(group: SimGroup, instance: SimInstance, activity: asg.Activity, healthyAtMs: number, by: GroupMutation['by']): void {
    const hook = group.health!.launchHook!;
    const token = this.random.uuid();
    instance.LifecycleState = 'Pending:Wait';
    this.clock.schedule(Math.max(0, healthyAtMs - this.clock.nowMs()), () => {
      if (instance.LifecycleState === 'Pending:Wait' && healthyAtMs <= this.clock.nowMs()) this.putInService(group, instance, activity, healthyAtMs, by);
    });
    this.clock.schedule(hook.heartbeatTimeoutSeconds * 1000, () => {
      if (instance.LifecycleState !== 'Pending:Wait') return;
      if (hook.defaultResult === 'CONTINUE') return this.putInService(group, instance, activity, healthyAtMs, by);
      activity.StatusCode = 'Cancelled';
      activity.Progress = 100;
      activity.EndTime = this.clock.now();
      activity.Description = `${activity.Description}.  Status Reason: ${abandonedLaunchStatus(token)}`;
      // the cancelled launch activity is the record; the group then refills its capacity
      instance.LifecycleState = 'Terminating';
      this.record(group, 'terminate-instance', instance.InstanceId, by);
      this.launch(group, 1, '', by, 'launch', 0);
    });
  }

  /** InService: registered with the target group, and the health check grace period starts. */
  private putInService(group: SimGroup, instance: SimInstance, activity: asg.Activity, healthyAtMs: number, by: GroupMutation['by']): void {
    instance.LifecycleState = 'InService';
    activity.StatusCode = 'Successful';
    activity.Progress = 100;
    activity.EndTime = this.clock.now();
    if (group.health?.type !== 'ELB') return;
    this.clock.schedule(group.health.gracePeriodSeconds * 1000, () => {
      if (instance.LifecycleState !== 'InService' || group.deleting || group.deleted || healthyAtMs <= this.clock.nowMs()) return;
      instance.HealthStatus = 'Unhealthy';
      const at = iso(this.clock.now());
      this.terminate(group, instance, by, '', elbHealthCheckFailureCause(at));
      this.launch(group, 1, unhealthyReplacementCause(at), by, 'launch', 0);
    });
  }

  private takeLaunchFailure(): string | undefined {
    const next = this.launchFailures[0];
    if (!next) return undefined;
    if (next.attempts !== 'always') {
      next.attempts--;
      if (next.attempts <= 0) this.launchFailures.shift();
    }
    return next.reason;
  }

  private terminate(group: SimGroup, instance: SimInstance, by: GroupMutation['by'], why: string, cause?: string): void {
    instance.LifecycleState = 'Terminating';
    this.record(group, 'terminate-instance', instance.InstanceId, by);
    const now = this.clock.now();
    group.activities.unshift({
      ActivityId: this.random.uuid(),
      AutoScalingGroupName: group.name,
      AutoScalingGroupARN: group.arn,
      Description: `Terminating EC2 instance: ${instance.InstanceId}`,
      Cause:
        cause ??
        `At ${iso(now)} an instance was taken out of service in response to a difference between desired and actual capacity, ${why} from ${group.instances.length} to ${group.desired}.  At ${iso(now)} instance ${instance.InstanceId} was selected for termination.`,
      StartTime: now,
      StatusCode: 'InProgress',
      Progress: 50,
    });
  }

  /** Deletes a group the way CloudFormation does: capacity to 0, instances terminate, group goes. */
  deleteGroup(groupName: string, durationSeconds: number, by: GroupMutation['by'], onDeleted?: () => void): void {
    const group = this.requireGroup(groupName);
    group.deleting = true;
    this.record(group, 'delete-group-started', `${group.instances.length} instances`, by);
    group.min = 0;
    group.max = 0;
    group.desired = 0;
    for (const instance of group.instances) if (instance.LifecycleState !== 'Terminating') this.terminate(group, instance, by, 'shrinking the capacity');
    this.clock.schedule(durationSeconds * 1000, () => {
      for (const instance of group.instances) instance.LifecycleState = 'Terminated';
      for (const activity of group.activities) {
        if (activity.StatusCode === 'InProgress') {
          activity.StatusCode = 'Successful';
          activity.Progress = 100;
          activity.EndTime = this.clock.now();
        }
      }
      group.instances = [];
      group.deleted = true;
      this.record(group, 'group-deleted', '', by);
      onDeleted?.();
    });
  }

  recordScheduledAction(groupName: string, action: 'put-scheduled-action' | 'delete-scheduled-action', name: string): void {
    const group = this.groups.get(groupName);
    if (group) this.record(group, action, name, 'cloudformation');
  }

  private record(group: SimGroup, action: GroupMutationAction, detail: string, by: GroupMutation['by']): void {
    this.audit.push({ time: this.clock.now(), group: group.name, action, detail, by });
  }

  requireGroup(name: string): SimGroup {
    const group = this.groups.get(name);
    if (!group || group.deleted) throw new Error(`no such simulated group: ${name}`);
    return group;
  }

  // --- the AutoScalingApi ---------------------------------------------------------------

  async describeAutoScalingGroups(input: asg.DescribeAutoScalingGroupsCommandInput): Promise<asg.DescribeAutoScalingGroupsCommandOutput> {
    let groups = [...this.groups.values()].filter((g) => !g.deleted);
    if (input.AutoScalingGroupNames?.length) groups = groups.filter((g) => input.AutoScalingGroupNames!.includes(g.name));
    for (const filter of input.Filters ?? []) {
      const values = filter.Values ?? [];
      if (filter.Name?.startsWith('tag:')) {
        const key = filter.Name.slice(4);
        groups = groups.filter((g) => g.tags.some((t) => t.Key === key && values.includes(t.Value)));
      } else if (filter.Name === 'tag-key') groups = groups.filter((g) => g.tags.some((t) => values.includes(t.Key)));
      else if (filter.Name === 'tag-value') groups = groups.filter((g) => g.tags.some((t) => values.includes(t.Value)));
    }
    const { page, next } = paginate(groups, input.MaxRecords ?? 50, input.NextToken);
    return { AutoScalingGroups: page.map((g) => this.describeGroup(g)), NextToken: next } as asg.DescribeAutoScalingGroupsCommandOutput;
  }

  private describeGroup(g: SimGroup): asg.AutoScalingGroup {
    return {
      AutoScalingGroupName: g.name,
      AutoScalingGroupARN: g.arn,
      LaunchTemplate: g.launchTemplate && { ...g.launchTemplate },
      LaunchConfigurationName: g.launchConfigurationName,
      MinSize: g.min,
      MaxSize: g.max,
      DesiredCapacity: g.desired,
      DefaultCooldown: 300,
      AvailabilityZones: [`${this.region}a`, `${this.region}b`],
      HealthCheckType: 'EC2',
      HealthCheckGracePeriod: 300,
      Instances: g.instances.filter((i) => i.LifecycleState !== 'Terminated').map((i) => ({ ...i }) as asg.Instance),
      CreatedTime: g.createdTime,
      VPCZoneIdentifier: g.vpcZoneIdentifier,
      Status: g.deleting ? 'Delete in progress' : undefined,
      Tags: g.tags.map((t) => ({ ResourceId: g.name, ResourceType: 'auto-scaling-group', Key: t.Key, Value: t.Value, PropagateAtLaunch: true })),
      TerminationPolicies: ['Default'],
      NewInstancesProtectedFromScaleIn: false,
      ServiceLinkedRoleARN: `arn:aws:iam::${this.account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    };
  }

  async describeScalingActivities(input: asg.DescribeScalingActivitiesCommandInput): Promise<asg.DescribeScalingActivitiesCommandOutput> {
    const groups = [...this.groups.values()].filter(
      (g) => (input.AutoScalingGroupName === undefined || g.name === input.AutoScalingGroupName) && (!g.deleted || input.IncludeDeletedGroups),
    );
    let activities = groups.flatMap((g) => g.activities).sort((a, b) => b.StartTime!.getTime() - a.StartTime!.getTime());
    if (input.ActivityIds?.length) activities = activities.filter((a) => input.ActivityIds!.includes(a.ActivityId!));
    const { page, next } = paginate(activities, input.MaxRecords ?? 100, input.NextToken);
    return { Activities: page.map((a) => ({ ...a })), NextToken: next } as asg.DescribeScalingActivitiesCommandOutput;
  }
}

function paginate<T>(items: T[], size: number, token: string | undefined): { page: T[]; next?: string } {
  const start = token ? Number(Buffer.from(token, 'base64').toString('utf8')) : 0;
  const page = items.slice(start, start + size);
  const nextStart = start + size;
  return { page, next: nextStart < items.length ? Buffer.from(String(nextStart)).toString('base64') : undefined };
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

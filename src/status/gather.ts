/**
 * `shipper status`: everything about one service in one environment, read-only: the stack
 * and any operation in progress, the live release, the group and its instances (with target
 * health), and resources the last cleanup failed to delete.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { verifyAccount } from '../deploy/account.js';
import { aws, retryOptions, type DeployContext } from '../deploy/context.js';
import { currentGroupName, describeGroup, describeStack, liveImage } from '../deploy/stack-state.js';
import type { Release } from '../releases/record.js';
import { liveRelease } from '../releases/select.js';
import type { ReleaseStore } from '../releases/store.js';
import { StackEventPoller } from '../stack-events/poller.js';
import { isInProgress } from '../stack-events/status.js';
import { targetFlags } from '../instances/flags.js';
import { bakeInProgress, type BakeStatus } from './bake.js';

export interface InstanceStatus {
  instanceId: string;
  lifecycleState: string;
  healthStatus?: string;
  launchTemplateVersion?: string;
  availabilityZone?: string;
  targetHealth?: string;
}

export interface StatusView {
  stackName: string;
  env: string;
  exists: boolean;
  stackStatus?: string;
  stackStatusReason?: string;
  lastUpdated?: Date;
  /** Set when an operation is running: how to follow it. */
  inProgress?: { status: string; attach: string };
  image?: { tag?: string; digest?: string };
  live?: Release;
  /** While an update runs, the stack already names the new image: that is being deployed, not live. */
  deploying?: { tag?: string; digest?: string };
  group?: { name: string; desired: number; min: number; max: number; launchTemplateVersion?: string; instances: InstanceStatus[] };
  leftovers: Array<{ logicalId: string; physicalId?: string; reason?: string }>;
  warnings: string[];
  /** The update is baking: CloudFormation's monitoring period, old group kept, alarms watched. */
  bake?: BakeStatus;
}

export async function gatherStatus(ctx: DeployContext, target: ServiceEnvironment, store: ReleaseStore): Promise<StatusView> {
  const { stackName, env } = target;
  const view: StatusView = { stackName, env, exists: false, leftovers: [], warnings: [] };
  await verifyAccount(ctx, target);
  const [stack, history] = await Promise.all([describeStack(ctx, stackName), store.history()]);
  view.warnings.push(...history.unreadable);
  if (!stack) return view;

  const status = stack.StackStatus ?? '';
  const image = liveImage(stack);
  Object.assign(view, {
    exists: true,
    stackStatus: status,
    stackStatusReason: stack.StackStatusReason,
    lastUpdated: stack.LastUpdatedTime ?? stack.CreationTime,
    image,
    live: liveRelease(history.releases, image.digest),
  });
  if (isInProgress(status)) {
    view.inProgress = { status, attach: `shipper watch ${targetFlags(target)}` };
    if (status !== 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' && !status.includes('ROLLBACK')) {
      // Until the new group is live, the last release that went live is still the one serving.
      view.deploying = image;
      const serving = history.releases.find((r) => r.outcome === 'live');
      view.live = serving;
      view.image = serving ? { tag: serving.imageTag, digest: serving.imageDigest } : undefined;
    }
  }

  const bake = view.inProgress ? await bakeInProgress(ctx, stack) : undefined;
  if (bake) view.bake = bake;

  const groupName = await currentGroupName(ctx, stackName);
  const group = groupName ? await describeGroup(ctx, groupName) : undefined;
  if (group && groupName) {
    const targetHealth = await readTargetHealth(ctx, group.TargetGroupARNs ?? []);
    view.group = {
      name: groupName,
      desired: group.DesiredCapacity ?? 0,
      min: group.MinSize ?? 0,
      max: group.MaxSize ?? 0,
      launchTemplateVersion: group.LaunchTemplate?.Version,
      instances: (group.Instances ?? []).map((i) => ({
        instanceId: i.InstanceId ?? '',
        lifecycleState: i.LifecycleState ?? '',
        healthStatus: i.HealthStatus,
        launchTemplateVersion: i.LaunchTemplate?.Version,
        availabilityZone: i.AvailabilityZone,
        targetHealth: targetHealth.get(i.InstanceId ?? ''),
      })),
    };
  }
  view.leftovers = await cleanupLeftovers(ctx, stackName);
  return view;
}

async function readTargetHealth(ctx: DeployContext, targetGroupArns: string[]): Promise<Map<string, string>> {
  const health = new Map<string, string>();
  const elbv2 = ctx.clients.elbv2;
  if (!elbv2) return health;
  for (const arn of targetGroupArns) {
    try {
      const out = await aws(ctx, () => elbv2.describeTargetHealth({ TargetGroupArn: arn }));
      for (const d of out.TargetHealthDescriptions ?? []) {
        if (d.Target?.Id) health.set(d.Target.Id, d.TargetHealth?.State ?? 'unknown');
      }
    } catch {
      // Target health is a nicety in a status view; a missing permission must not hide the rest.
    }
  }
  return health;
}

/** Resources the most recent operation could not delete (its cleanup left them behind). */
async function cleanupLeftovers(ctx: DeployContext, stackName: string): Promise<StatusView['leftovers']> {
  const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: ctx.clients.cloudFormation, stackName, clock: ctx.clock, retry: retryOptions(ctx) });
  const events = await poller.poll();
  return events
    .filter((e) => e.ResourceStatus === 'DELETE_FAILED')
    .map((e) => ({ logicalId: e.LogicalResourceId ?? '', physicalId: e.PhysicalResourceId, reason: e.ResourceStatusReason }));
}

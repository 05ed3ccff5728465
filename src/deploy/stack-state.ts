/** Reading the stack and its Auto Scaling group, read-only. */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { isStackMissing } from '../aws/api.js';
import { LogicalIds } from '../compose/template.js';
import { aws, type DeployContext } from './context.js';

export async function describeStack(ctx: DeployContext, stackName: string): Promise<Stack | undefined> {
  try {
    const out = await aws(ctx, () => ctx.clients.cloudFormation.describeStacks({ StackName: stackName }));
    return out.Stacks?.[0];
  } catch (err) {
    if (isStackMissing(err)) return undefined;
    throw err;
  }
}

export function stackOutputs(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Outputs ?? []).flatMap((o) => (o.OutputKey ? [[o.OutputKey, o.OutputValue ?? '']] : [])));
}

export function stackParameters(stack: Stack | undefined): Record<string, string> {
  return Object.fromEntries((stack?.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [[p.ParameterKey, p.ResolvedValue ?? p.ParameterValue ?? '']] : [])));
}

/**
 * The image the stack runs now. Parameters are the source of truth (a rolled-back update
 * restores them); outputs say the same for people reading the console.
 */
export function liveImage(stack: Stack | undefined): { tag?: string; digest?: string } {
  const outputs = stackOutputs(stack);
  const parameters = stackParameters(stack);
  return { tag: parameters.ImageTag ?? outputs.ImageTag, digest: parameters.ImageDigest ?? outputs.ImageDigest };
}

/** The physical name of the stack's Auto Scaling group right now, if it has one. */
export async function currentGroupName(ctx: DeployContext, stackName: string): Promise<string | undefined> {
  const out = await aws(ctx, () => ctx.clients.cloudFormation.describeStackResources({ StackName: stackName, LogicalResourceId: LogicalIds.autoScalingGroup }));
  return out.StackResources?.find((r) => r.LogicalResourceId === LogicalIds.autoScalingGroup)?.PhysicalResourceId || undefined;
}

export async function describeGroup(ctx: DeployContext, groupName: string): Promise<AutoScalingGroup | undefined> {
  const out = await aws(ctx, () => ctx.clients.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [groupName] }));
  return out.AutoScalingGroups?.[0];
}

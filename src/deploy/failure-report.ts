/**
 * After a failed operation: the root cause, what the new group said, which instances failed,
 * proof that the previous group is still the live one, and what to do next.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { appLogGroupName } from '../compose/sidecars/index.js';
import type { FailureReport } from '../report/events.js';
import { findRootCause, failedInstanceIds, type RootCause } from '../stack-events/root-cause.js';
import { needsAttention } from '../stack-events/status.js';
import { elapsedSeconds, type DeployContext } from './context.js';
import type { RolloutState } from './rollout-state.js';
import { currentGroupName, describeGroup } from './stack-state.js';

export async function buildFailureReport(
  ctx: DeployContext,
  target: ServiceEnvironment,
  stack: Stack,
  state: RolloutState,
  startedAt: Date,
  cancelled?: 'interrupt' | 'timeout',
): Promise<FailureReport> {
  const finalStatus = stack.StackStatus ?? '';
  const root = findRootCause(state.events, { stackName: target.stackName });
  const previousGroupName = state.oldGroupName;
  const previousReleaseLive = previousGroupName ? await groupIsStillLive(ctx, target.stackName, previousGroupName, finalStatus) : false;

  const failedInstances = new Map<string, string>();
  for (const id of failedInstanceIds(state.events)) failedInstances.set(id, 'signalled FAILURE (see its boot log)');
  for (const a of state.failedActivities) {
    const id = /(i-[0-9a-f]{8,17})/.exec(`${a.description} ${a.cause ?? ''}`)?.[1];
    if (id && !failedInstances.has(id)) failedInstances.set(id, a.statusMessage);
  }

  return {
    stackName: target.stackName,
    finalStatus,
    rootCause: root && { logicalId: root.logicalId, resourceType: root.resourceType, status: root.status, reason: root.reason },
    groupActivities: state.failedActivities.slice(0, 5),
    failedInstances: [...failedInstances].map(([instanceId, reason]) => ({ instanceId, reason })),
    previousReleaseLive,
    previousGroupName,
    nextSteps: nextSteps(target, finalStatus, root, state, cancelled),
    elapsedSeconds: elapsedSeconds(ctx, startedAt),
  };
}

/** The old group still exists, is the stack's group again, and has instances in service. */
async function groupIsStillLive(ctx: DeployContext, stackName: string, groupName: string, finalStatus: string): Promise<boolean> {
  if (needsAttention(finalStatus)) return false;
  try {
    const [current, group] = await Promise.all([currentGroupName(ctx, stackName), describeGroup(ctx, groupName)]);
    const inService = (group?.Instances ?? []).filter((i) => i.LifecycleState === 'InService').length;
    return current === groupName && inService > 0;
  } catch {
    return false;
  }
}

function nextSteps(target: ServiceEnvironment, finalStatus: string, root: RootCause | undefined, state: RolloutState, cancelled?: 'interrupt' | 'timeout'): string[] {
  const { stackName, env, service } = target;
  const region = service.region;
  const steps: string[] = [];
  if (finalStatus === 'UPDATE_ROLLBACK_FAILED') {
    steps.push(`CloudFormation could not roll back. Fix the resource named above, then: aws cloudformation continue-update-rollback --stack-name ${stackName} --region ${region}`);
  }
  if (finalStatus === 'ROLLBACK_COMPLETE' || finalStatus === 'ROLLBACK_FAILED' || finalStatus === 'DELETE_COMPLETE') {
    steps.push('This was the first deploy: no previous release exists. The next deploy deletes the failed stack and creates it again.');
  }
  if (cancelled === 'interrupt') steps.push('The update was cancelled on request; deploy again when ready.');
  if (cancelled === 'timeout') steps.push('The new group was not live within --timeout; raise it or find out why instances are slow to become healthy.');
  const kind = root?.classification.kind;
  const logs = service.sidecars['log-router'].enabled && service.sidecars['log-router'].output === 'cloudwatch' ? `CloudWatch log group ${appLogGroupName(service, env)}` : 'the instance logs';
  if (kind === 'signal-failure') {
    steps.push(`An instance reported its boot failed. The reason names the step; details are in /var/log/shipper-boot.log on the instance and in ${logs}.`);
  } else if (kind === 'signal-timeout') {
    steps.push(
      state.failedActivities.length
        ? 'Instances could not launch (see the scaling activities above): fix capacity, AMI or permissions.'
        : `Instances did not signal within ${service.signalTimeout}: check the health path ${service.healthCheck.path}, the boot log and ${logs}.`,
    );
  }
  steps.push(`Try the image locally, fix, push a new tag and run: shipper deploy --env ${env} --image-tag <tag>`);
  return steps;
}

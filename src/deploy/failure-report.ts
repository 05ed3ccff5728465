/**
 * After a failed operation: the root cause, what the new group said, which instances failed and
 * what their boot logs said, proof that the previous group is still the live one (and which
 * release it runs), what blocked a failed rollback, and what to do next.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import type { FailureReport, PreviousRelease, BootLog } from '../report/events.js';
import { describeCancellation } from '../report/failure.js';
import { findRollbackBlocker, findRootCause, failedInstanceIds, type RootCause } from '../stack-events/root-cause.js';
import { needsAttention } from '../stack-events/status.js';
import { bootLogGroupOf } from './boot-logs.js';
import { elapsedSeconds, type DeployContext } from './context.js';
import type { FollowResult } from './follow.js';
import { currentGroupName, describeGroup, liveImage } from './stack-state.js';
import { targetFlags } from '../instances/flags.js';

/** Asks the release history which release runs a digest (see releases/journal.ts). */
export interface ReleaseLookup {
  liveRelease(digest: string | undefined): Promise<PreviousRelease | undefined>;
}

export async function buildFailureReport(
  ctx: DeployContext,
  target: ServiceEnvironment,
  result: Pick<FollowResult, 'stack' | 'state' | 'cancelled' | 'cancellation' | 'bootLogs' | 'bakeBreach'>,
  startedAt: Date,
  releases?: Partial<ReleaseLookup>,
): Promise<FailureReport> {
  const { stack, state, cancelled } = result;
  const finalStatus = stack.StackStatus ?? '';
  const root = findRootCause(state.events, { stackName: target.stackName });
  const blocker = needsAttention(finalStatus) ? findRollbackBlocker(state.events, { stackName: target.stackName }) : undefined;
  const previousGroupName = state.oldGroupName;
  const previousReleaseLive = previousGroupName ? await groupIsStillLive(ctx, target.stackName, previousGroupName, finalStatus) : false;
  const previousRelease = previousReleaseLive ? await namePreviousRelease(stack, releases) : undefined;

  const failedInstances = new Map<string, string>();
  for (const id of failedInstanceIds(state.events)) failedInstances.set(id, 'signalled FAILURE');
  for (const a of state.failedActivities) {
    const id = /(i-[0-9a-f]{8,17})/.exec(`${a.description} ${a.cause ?? ''}`)?.[1];
    if (id && !failedInstances.has(id)) failedInstances.set(id, a.statusMessage);
  }
  // Usually read during the rollout already; this only catches instances not read yet.
  await result.bootLogs?.capture(failedInstanceIds(state.events));
  const bootLogs = result.bootLogs?.results() ?? [];

  return {
    stackName: target.stackName,
    finalStatus,
    rootCause: root && { logicalId: root.logicalId, resourceType: root.resourceType, status: root.status, reason: root.reason },
    groupActivities: state.failedActivities.slice(0, 5),
    failedInstances: [...failedInstances].map(([instanceId, reason]) => ({ instanceId, reason })),
    previousReleaseLive,
    previousGroupName,
    nextSteps: nextSteps(target, finalStatus, root, blocker, state.failedActivities.length > 0, bootLogs, result),
    elapsedSeconds: elapsedSeconds(ctx, startedAt),
    ...(bootLogs.length ? { bootLogs } : {}),
    ...(previousRelease ? { previousRelease } : {}),
    ...(blocker ? { rollbackBlocker: { logicalId: blocker.logicalId, resourceType: blocker.resourceType, status: blocker.status, reason: blocker.reason } } : {}),
    ...(cancelled && result.cancellation ? { cancelled: result.cancellation } : {}),
    ...(result.bakeBreach ? { bakeBreach: result.bakeBreach } : {}),
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

/**
 * After the rollback the stack's parameters are the previous release's again: its tag and
 * digest. The history adds its number, when and by whom; without a history, the image is all
 * that is known.
 */
async function namePreviousRelease(stack: FollowResult['stack'], releases?: Partial<ReleaseLookup>): Promise<PreviousRelease | undefined> {
  const image = liveImage(stack);
  const fromStack = image.digest || image.tag ? { tag: image.tag, digest: image.digest } : undefined;
  try {
    return (await releases?.liveRelease?.(image.digest)) ?? fromStack;
  } catch {
    return fromStack;
  }
}

function nextSteps(
  target: ServiceEnvironment,
  finalStatus: string,
  root: RootCause | undefined,
  blocker: RootCause | undefined,
  launchesFailed: boolean,
  bootLogs: BootLog[],
  result: Pick<FollowResult, 'cancelled' | 'cancellation' | 'bakeBreach'>,
): string[] {
  const { stackName, service } = target;
  const region = service.region;
  const steps: string[] = [];
  if (finalStatus === 'UPDATE_ROLLBACK_FAILED') {
    const retry = `aws cloudformation continue-update-rollback --stack-name ${stackName} --region ${region}`;
    steps.push(
      blocker
        ? `CloudFormation could not roll back ${blocker.logicalId}. Fix what its reason names, then: ${retry}` +
            ` (or leave it as it is: ${retry} --resources-to-skip ${blocker.logicalId})`
        : `CloudFormation could not roll back. Fix the resource named above, then: ${retry}`,
    );
  }
  if (finalStatus === 'ROLLBACK_COMPLETE' || finalStatus === 'ROLLBACK_FAILED' || finalStatus === 'DELETE_COMPLETE') {
    steps.push('This was the first deploy: no previous release exists. The next deploy deletes the failed stack and creates it again.');
  }
  if (result.cancelled === 'interrupt') {
    steps.push(`The update was cancelled by ${result.cancellation ? describeCancellation(result.cancellation) : 'an interrupt'}; deploy again when ready.`);
    return steps;
  }
  if (result.cancelled === 'timeout') {
    steps.push(
      `The new group was not live within ${result.cancellation ? describeCancellation(result.cancellation) : '--timeout'}: raise it, or find out why instances are slow to become healthy (health path ${service.healthCheck.path}).`,
    );
    return steps;
  }
  if (result.bakeBreach) {
    steps.push(...bakeBreachSteps(result.bakeBreach, targetFlags(target)));
    return steps;
  }
  const kind = root?.classification.kind;
  const group = bootLogGroupOf(target);
  const logs = group ? `CloudWatch log group ${group}` : 'the instance logs';
  if (kind === 'signal-failure') {
    steps.push(
      bootLogs.some((l) => l.lines.length)
        ? `The boot log above names the step that failed; all of it is in ${logs}, stream boot/<instance-id>.`
        : `An instance reported its boot failed. The reason names the step; details are in ${logs}${group ? ', stream boot/<instance-id>' : ''}.`,
    );
  } else if (kind === 'signal-timeout') {
    steps.push(
      launchesFailed
        ? 'Instances could not launch (see the scaling activities above): fix capacity, AMI or permissions.'
        : `Instances did not signal within ${service.signalTimeout}: check the health path ${service.healthCheck.path}, the boot log and ${logs}.`,
    );
  }
  steps.push(`Try the image locally, fix, push a new tag and run: shipper deploy ${targetFlags(target)} --image-tag <tag>`);
  return steps;
}

/** A breach is about the release's behaviour (or a missing alarm), not about how it booted. */
function bakeBreachSteps(breach: NonNullable<FollowResult['bakeBreach']>, flags: string): string[] {
  if (breach.kind === 'missing') {
    return [
      `The rollback trigger alarm ${breach.alarmName} does not exist (in this region), so CloudFormation failed the update. Create it, or leave it out of bake.alarms, and deploy again.`,
    ];
  }
  return [
    `CloudWatch alarm ${breach.alarmName} went to ALARM ${breach.during === 'bake' ? 'while the new release baked' : 'while the new group was being created'}: look at what it measures for the new release before deploying again.`,
    `When it is fixed, push a new tag and run: shipper deploy ${flags} --image-tag <tag>`,
  ];
}

/**
 * The end of an operation that was followed (by deploy, rollback or watch): report the live
 * release and any cleanup leftovers, or the one-screen failure report and the typed error.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { DeployRolledBackError, NeedsAttentionError } from '../errors.js';
import { needsAttention } from '../stack-events/status.js';
import { describeCancellation } from '../report/failure.js';
import { describeBreach } from '../report/bake.js';
import { elapsedSeconds, type DeployContext } from './context.js';
import type { DeployJournal } from './journal.js';
import { buildFailureReport, type ReleaseLookup } from './failure-report.js';
import type { FollowResult } from './follow.js';
import { stackOutputs } from './stack-state.js';

export interface Conclusion {
  target: ServiceEnvironment;
  result: FollowResult;
  startedAt: Date;
  waitCleanup?: boolean;
  /** A journal that can also name releases (releases/journal.ts) lets the failure report name the live one. */
  journal?: DeployJournal & Partial<ReleaseLookup>;
}


/** The moment a followed operation makes the new release live (deploy, rollback or watch). */
export function announceLive(ctx: DeployContext, target: ServiceEnvironment, stack: Stack, startedAt: Date, waitCleanup: boolean | undefined): void {
  ctx.reporter.emit({
    type: 'deploy.live',
    stackName: target.stackName,
    env: target.env,
    elapsedSeconds: elapsedSeconds(ctx, startedAt),
    outputs: stackOutputs(stack),
    cleanup: stack.StackStatus === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' ? (waitCleanup ? 'waiting' : 'background') : 'none',
    ...(target.instance ? { instance: target.instance.name } : {}),
  });
}

/** Returns when the release is live; throws the typed error when it is not. */
export async function concludeOperation(ctx: DeployContext, c: Conclusion): Promise<void> {
  const { result, startedAt } = c;
  const { stackName } = c.target;
  const endedAt = ctx.clock.now();
  if (result.live) {
    await c.journal?.finished({ status: 'live', endedAt, stack: result.stack });
    if (c.waitCleanup && result.stack.StackStatus === 'UPDATE_COMPLETE') {
      const leftovers = result.state.events
        .filter((e) => e.ResourceStatus === 'DELETE_FAILED')
        .map((e) => ({ logicalId: e.LogicalResourceId ?? '', physicalId: e.PhysicalResourceId, reason: e.ResourceStatusReason }));
      ctx.reporter.emit({ type: 'cleanup.complete', elapsedSeconds: elapsedSeconds(ctx, startedAt), leftovers });
    }
    return;
  }

  ctx.reporter.emit({ type: 'phase', phase: 'outcome', title: `${stackName} did not go live` });
  const report = await buildFailureReport(ctx, c.target, result, startedAt, c.journal);
  ctx.reporter.emit({ type: 'deploy.failed', report });
  // A cancelled update has no failed resource to blame (CloudFormation marks them "cancelled"): say what cancelled it.
  const cancelledBy = report.cancelled ? `by ${describeCancellation(report.cancelled)}` : undefined;
  const rootCause = report.bakeBreach
    ? describeBreach(report.bakeBreach)
    : report.rootCause
      ? `${report.rootCause.logicalId}: ${report.rootCause.reason}`
      : (cancelledBy ?? report.finalStatus);
  const stuck = needsAttention(report.finalStatus);
  await c.journal?.finished({ status: stuck ? 'needs-attention' : result.cancelled ? 'cancelled' : 'rolled-back', endedAt, rootCause, stack: result.stack });
  if (stuck) throw new NeedsAttentionError(`${stackName} is ${report.finalStatus}: ${rootCause}`);
  if (cancelledBy) {
    throw new DeployRolledBackError(`deploy cancelled ${cancelledBy} and rolled back (${report.finalStatus})${report.rootCause ? `: ${rootCause}` : ''}`);
  }
  throw new DeployRolledBackError(`${result.cancelled ? 'deploy cancelled' : 'deploy failed'} and rolled back (${report.finalStatus}): ${rootCause}`);
}

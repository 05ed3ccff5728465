/**
 * A deploy, end to end: preflight (read-only), compose, plan, confirm, execute, follow, and
 * the outcome. The new group must prove itself healthy before the old one is touched;
 * anything else rolls back with the previous release still serving.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { AbortedError, BadInputError, InterruptedError, NeedsAttentionError } from '../errors.js';
import { templateProblems } from '../compose/checks.js';
import { composeStack } from '../compose/stack.js';
import { ParameterNames, type CfnTemplate } from '../compose/template.js';
import { StackEventPoller } from '../stack-events/poller.js';
import { createChangeSet, type PlannedChangeSet } from './change-set.js';
import { aws, elapsedSeconds, retryOptions, type DeployContext } from './context.js';
import { announceLive, concludeOperation } from './conclude.js';
import { bootLogGroupOf } from './boot-logs.js';
import { followOperation, type PollTiming } from './follow.js';
import type { DeployJournal } from './journal.js';
import { checkBeforeAws } from './offline.js';
import { preflight, type ImageRequest, type PreflightFacts } from './preflight.js';
import { checkSharedResources } from './shared-resources.js';
import { findRetainedLogGroups, removeRetainedLogGroups } from './retained-log-groups.js';
import { describeStack, stackOutputs } from './stack-state.js';
import type { BakePlan } from '../bake/plan.js';
import { bakeRecord, bakeSummary, refuseUnconfirmedSkip } from '../bake/skip.js';
import { planBake } from '../bake/preflight.js';
import { instanceStackSettings, lostPriorityRace, type DeployedBy } from '../instances/stack-settings.js';
import { targetFlags } from '../instances/flags.js';

export interface DeployRequest {
  target: ServiceEnvironment;
  image: ImageRequest;
  /** Skip the confirmation of a protected environment. */
  yes?: boolean;
  waitCleanup?: boolean;
  /** Cancel (and roll back) if the new group is not live within this long after execution. */
  timeoutMs?: number;
  noWaitBusy?: boolean;
  poll?: PollTiming;
  /** Execute even when a group replacement also changes the target group, listener rule or inline ingress. */
  allowSharedChange?: boolean;
  /** Observes the attempt once it is about to change something, and its outcome (release history). */
  journal?: DeployJournal;
  /** --no-bake: no monitoring time and no rollback triggers, whatever the descriptor declares. */
  noBake?: boolean;
  /** Who deploys from which branch: an instance's owner and branch tags. */
  deployedBy?: DeployedBy;
}

/** What deploy and plan share: preflight, compose, and the change set created and summarised. */
export type PlanRequest = Pick<DeployRequest, 'target' | 'image' | 'yes' | 'noWaitBusy' | 'poll' | 'noBake' | 'deployedBy'> & {
  /** Only look (shipper plan): never delete a failed first create, and ask for every changed property. */
  preview?: boolean;
};

export interface PlannedRelease {
  facts: PreflightFacts;
  token: string;
  template: CfnTemplate;
  /** Undefined when nothing would change (CloudFormation already removed the change set), or in a preview of a failed first create. */
  changeSet?: PlannedChangeSet;
  /** The bake this release's change set declares (RollbackConfiguration); an empty one (0 minutes, no alarms) when there is none. */
  bake?: BakePlan;
}

export type DeployOutcome =
  | { kind: 'live'; stackName: string; outputs: Record<string, string>; elapsedSeconds: number; facts: PreflightFacts }
  | { kind: 'no-changes'; stackName: string; facts: PreflightFacts };

/** Two deploys racing for one stack: the loser plans again once the winner's operation ends. */
const MAX_PLAN_ATTEMPTS = 3;

export async function runDeploy(ctx: DeployContext, req: DeployRequest): Promise<DeployOutcome> {
  refuseUnconfirmedSkip(req);
  await checkBeforeAws(ctx, req.target);
  for (let attempt = 1; ; attempt++) {
    try {
      return await deployOnce(ctx, req);
    } catch (err) {
      if (lostPriorityRace(req.target, err) && attempt < MAX_PLAN_ATTEMPTS) {
        ctx.reporter.emit({ type: 'warning', message: `another rule took the listener priority first (${(err as Error).message}); planning again with a free one` });
        continue;
      }
      if (!(err instanceof LostRaceError) || attempt >= MAX_PLAN_ATTEMPTS) throw err instanceof LostRaceError ? err.cause : err;
      ctx.reporter.emit({ type: 'warning', message: `another operation started on ${req.target.stackName} first (${(err.cause as Error).message}); waiting for it, then planning again` });
    }
  }
}

/** ExecuteChangeSet lost to another deploy: its change set was superseded or the stack is busy. */
class LostRaceError extends Error {}

function lostRace(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return (
    err.name === 'ChangeSetNotFoundException' ||
    err.name === 'InvalidChangeSetStatusException' ||
    (err.name === 'ValidationError' && /can ?not be updated|_IN_PROGRESS state/i.test(err.message))
  );
}

async function deployOnce(ctx: DeployContext, req: DeployRequest): Promise<DeployOutcome> {
  const { target } = req;
  const { stackName, service } = target;
  // Fail fast in CI: a protected environment without --yes and without a terminal is refused
  // before any AWS call.
  if (service.protected && !req.yes && !ctx.confirm) await confirmProtected(ctx, req, '');
  const planned = await planRelease(ctx, req);
  if (!planned.changeSet) return { kind: 'no-changes', stackName, facts: planned.facts };
  return executeRelease(ctx, req, planned, planned.changeSet);
}

export async function planRelease(ctx: DeployContext, req: PlanRequest): Promise<PlannedRelease> {
  const { target } = req;
  const { stackName, service } = target;
  const facts = await preflight(ctx, target, req.image, { noWaitBusy: req.noWaitBusy });
  const bake = await planBake(ctx, target, { skip: req.noBake });

  const template = composeStack(target, { imageTag: facts.imageTag, imageDigest: facts.imageDigest, desiredCapacity: facts.desiredCapacity, sidecarImages: facts.sidecarImages });
  const problems = templateProblems(template);
  if (problems.length) throw new BadInputError(problems);

  const token = deployToken(ctx);
  if (facts.changeSetType === 'CREATE') await findRetainedLogGroups(ctx, template, stackName);
  if (facts.deleteFailedCreate) {
    if (req.preview) return { facts, token, template, bake };
    await confirmProtected(ctx, req, `Delete the failed stack ${stackName} (ROLLBACK_COMPLETE) and create it again?`);
    await deleteFailedStack(ctx, stackName, req.poll, service.cloudFormationRoleArn);
  }

  const instance = target.instance ? await instanceStackSettings(ctx, target, facts, req.deployedBy) : undefined;
  ctx.reporter.emit({ type: 'phase', phase: 'plan', title: `Plan for ${stackName}` });
  const parameters = {
    ...instance?.parameters,
    [ParameterNames.imageTag]: facts.imageTag ?? facts.imageDigest,
    [ParameterNames.imageDigest]: facts.imageDigest,
    [ParameterNames.desiredCapacity]: String(facts.desiredCapacity),
  };
  const plan = await createChangeSet(ctx, {
    stackName,
    changeSetType: facts.changeSetType,
    template,
    parameters,
    tags: { 'shipper:service': service.service, 'shipper:environment': target.env, 'shipper:managed-by': 'shipper', ...service.tags, ...instance?.tags },
    token,
    notificationArns: service.notifications?.snsTopicArns ?? [],
    pollMs: req.poll?.minMs,
    details: req.preview,
    purpose: req.preview ? 'plan' : 'deploy',
    serviceRoleArn: service.cloudFormationRoleArn,
    bake,
  });
  if (!plan) {
    ctx.reporter.emit({ type: 'plan.no-changes', stackName });
    return { facts, token, template, bake };
  }
  ctx.reporter.emit({
    type: 'plan.summary',
    stackName,
    create: facts.changeSetType === 'CREATE',
    changes: plan.changes,
    groupReplaced: plan.groupReplaced,
    image: { oldTag: facts.previous?.tag, oldDigest: facts.previous?.digest, newTag: facts.imageTag, newDigest: facts.imageDigest },
    capacity: { desired: service.capacity.desired, liveDesired: facts.liveGroup?.desired, signals: facts.desiredCapacity },
    ...bakeSummary(target, bake, req.noBake),
  });
  return { facts, token, template, changeSet: plan, bake };
}

async function executeRelease(ctx: DeployContext, req: DeployRequest, { facts, token, template, bake }: PlannedRelease, plan: PlannedChangeSet): Promise<DeployOutcome> {
  const { target } = req;
  const { stackName } = target;
  try {
    checkSharedResources(plan.resourceChanges, plan.groupReplaced, Boolean(req.allowSharedChange));
    await confirmProtected(ctx, req, `Deploy ${facts.imageTag ?? facts.imageDigest} to ${target.env} (${stackName})?`);
    // Several services in one command share one interrupt: one still planning when it comes never starts its update.
    if (ctx.interrupt?.aborted) throw new InterruptedError('interrupted before the update started; the change set was deleted and nothing was changed');
  } catch (err) {
    await discardChangeSet(ctx, stackName, plan);
    throw err;
  }

  const poller = await StackEventPoller.beforeOperation({ cloudFormation: ctx.clients.cloudFormation, stackName, clock: ctx.clock, retry: retryOptions(ctx) });
  ctx.reporter.emit({ type: 'phase', phase: 'rollout', title: `Rolling out ${facts.imageTag ?? facts.imageDigest} to ${stackName}` });
  if (facts.changeSetType === 'CREATE') await removeRetainedLogGroups(ctx, template, stackName);
  const startedAt = ctx.clock.now();
  try {
    await aws(ctx, () => ctx.clients.cloudFormation.executeChangeSet({ ChangeSetName: plan.changeSetId, StackName: stackName, ClientRequestToken: token }));
  } catch (err) {
    if (!lostRace(err)) throw err;
    await discardChangeSet(ctx, stackName, plan);
    throw new LostRaceError('lost the race to execute', { cause: err });
  }
  ctx.reporter.emit({ type: 'operation.started', stackName, operation: facts.changeSetType === 'CREATE' ? 'create' : 'update', token, startedAt });
  await req.journal?.started({ facts, token, startedAt, bake: bake && bakeRecord(target, bake, req.noBake) });

  const result = await followOperation(ctx, {
      stackName,
      stackId: plan.stackId,
      poller,
      startedAt,
      oldGroupName: facts.liveGroup?.name,
      expectedSignals: facts.desiredCapacity,
      waitCleanup: Boolean(req.waitCleanup),
      deadline: req.timeoutMs ? new Date(startedAt.getTime() + req.timeoutMs) : undefined,
      poll: req.poll,
      attachHint: `shipper watch ${targetFlags(target)}`,
      bootLogGroup: bootLogGroupOf(target),
      onLive: (stack) => announceLive(ctx, target, stack, startedAt, req.waitCleanup),
      ...(bake && (bake.minutes > 0 || bake.alarms.length) ? { bake } : {}),
  });
  await concludeOperation(ctx, { target, result, startedAt, waitCleanup: req.waitCleanup, journal: req.journal });
  return { kind: 'live', stackName, outputs: stackOutputs(result.stack), elapsedSeconds: elapsedSeconds(ctx, startedAt), facts };
}

async function confirmProtected(ctx: DeployContext, req: DeployRequest, question: string): Promise<void> {
  if (!req.target.service.protected || req.yes) return;
  if (!ctx.confirm) {
    throw new AbortedError(`environment "${req.target.env}" is protected and nobody can confirm here`, { hint: 'pass --yes to deploy without a prompt (e.g. in CI); nothing was changed' });
  }
  if (!(await ctx.confirm(question))) throw new AbortedError('not confirmed; nothing was changed');
}

async function discardChangeSet(ctx: DeployContext, stackName: string, plan: PlannedChangeSet): Promise<void> {
  await aws(ctx, () => ctx.clients.cloudFormation.deleteChangeSet({ ChangeSetName: plan.changeSetId, StackName: stackName })).catch(() => undefined);
}

/** A failed first create (ROLLBACK_COMPLETE) never served traffic and can only be deleted. */
async function deleteFailedStack(ctx: DeployContext, stackName: string, poll?: PollTiming, serviceRoleArn?: string): Promise<void> {
  ctx.reporter.emit({ type: 'info', message: `deleting ${stackName} (ROLLBACK_COMPLETE from a failed first deploy)` });
  await aws(ctx, () => ctx.clients.cloudFormation.deleteStack({ StackName: stackName, ...(serviceRoleArn ? { RoleARN: serviceRoleArn } : {}) }));
  for (;;) {
    const stack = await describeStack(ctx, stackName);
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return;
    if (stack.StackStatus === 'DELETE_FAILED') throw new NeedsAttentionError(`could not delete the failed stack ${stackName}: ${stack.StackStatusReason ?? ''}`);
    await ctx.clock.sleep(poll?.minMs ?? 2000);
  }
}

function deployToken(ctx: DeployContext): string {
  const stamp = ctx.clock.now().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const random = Math.floor((ctx.random ?? Math.random)() * 36 ** 6).toString(36).padStart(6, '0');
  return `${stamp}-${random}`;
}

/**
 * `shipper destroy`: deletes one of the service's stacks in an environment (an instance, or the
 * main stack when asked for explicitly), follows the deletion and reports what is left.
 *
 * Refusals come before any DeleteStack call: a protected environment without --allow-protected,
 * the main stack without --main, a name that is no instance (exit 3, listing the existing ones), a
 * stack named like an instance whose tags say it is not this service's (never deleted). Each
 * deletion then needs a confirmation: y/N in a terminal, or --yes; the main stack's name must be
 * typed in a terminal, or --yes given without one.
 */
import { historyParameterNames } from '../releases/store.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { verifyAccount } from '../deploy/account.js';
import { aws, elapsedSeconds, retryOptions, type DeployContext } from '../deploy/context.js';
import type { PollTiming } from '../deploy/follow.js';
import { describeStack } from '../deploy/stack-state.js';
import { AbortedError, BadInputError, InterruptedError, PreflightError } from '../errors.js';
import type { DestroyOutcome } from '../report/destroy-outcome.js';
import { StackEventPoller } from '../stack-events/poller.js';
import { isInProgress } from '../stack-events/status.js';
import { findEnvironmentStacks, type EnvironmentStacks, type ServiceStack } from './find.js';
import { followDelete } from './follow-delete.js';
import { INSTANCE_NAME } from './identity.js';
import { removeHistory, removeLogGroups, stackLogGroups } from './leftovers.js';

export interface DestroyOptions {
  yes?: boolean;
  allowProtected?: boolean;
  noWaitBusy?: boolean;
  keepLogs?: boolean;
  keepHistory?: boolean;
  poll?: PollTiming;
  /** How long to wait between looks at a busy stack (default 10 s). */
  busyPollMs?: number;
  /** Reads a typed answer in a terminal; absent when nobody can answer. */
  askText?: (question: string) => Promise<string>;
}

export interface DestroyRequest extends DestroyOptions {
  target: ServiceEnvironment;
  /** One instance, or the main stack. */
  what: { instance: string } | { main: true };
}

/** Refuses a protected environment unless the operator said so explicitly (no AWS call is made). */
export function refuseProtected(target: ServiceEnvironment, options: DestroyOptions): void {
  if (!target.service.protected || options.allowProtected) return;
  throw new PreflightError(`environment "${target.env}" is protected: shipper destroy refuses it`, {
    hint: `nothing was deleted. If you really mean it, add --allow-protected (a confirmation is still asked, or --yes without a terminal)`,
  });
}

export async function destroyOne(ctx: DeployContext, req: DestroyRequest): Promise<DestroyOutcome> {
  const { target } = req;
  if ('instance' in req.what && !INSTANCE_NAME.test(req.what.instance)) {
    throw new BadInputError({ path: '--instance', message: `"${req.what.instance}" is not an instance name`, expected: 'lower-case letters, digits and dashes, starting with a letter, at most 31 characters (e.g. pr-123)' });
  }
  refuseProtected(target, req);
  await verifyAccount(ctx, target);
  const found = await findEnvironmentStacks(ctx, target);
  const stack = chooseStack(found, req);
  await confirmDeletion(ctx, req, stack);
  const settled = await waitUntilDeletable(ctx, req, stack);
  return deleteAndFollow(ctx, target, settled, req);
}

function chooseStack(found: EnvironmentStacks, req: DestroyRequest): ServiceStack {
  const { target } = req;
  const existing = found.instances.map((i) => i.instance).join(', ') || 'none';
  if ('main' in req.what) {
    if (found.main) return found.main;
    const foreign = found.foreign.find((f) => f.stackName === target.stackName);
    if (foreign) throw new PreflightError(`stack ${target.stackName} is not ${target.service.service}'s (${foreign.reason}); shipper never deletes a stack it did not make`, { hint: 'nothing was deleted' });
    throw new PreflightError(`the main stack ${target.stackName} does not exist`, { hint: `nothing was deleted; instances: ${existing}` });
  }
  const name = req.what.instance;
  const instance = found.instances.find((i) => i.instance === name);
  if (instance) return instance;
  const stackName = `${target.stackName}-${name}`;
  const foreign = found.foreign.find((f) => f.stackName === stackName);
  if (foreign) {
    throw new PreflightError(`stack ${stackName} is not an instance of ${target.service.service} in ${target.env} (${foreign.reason}); shipper never deletes a stack it did not make`, {
      hint: 'nothing was deleted',
    });
  }
  throw new PreflightError(`no instance "${name}" of ${target.service.service} in ${target.env}`, {
    hint: `nothing was deleted. Existing instances: ${existing} (see shipper list --env ${target.env})`,
  });
}

async function confirmDeletion(ctx: DeployContext, req: DestroyRequest, stack: ServiceStack): Promise<void> {
  const { target } = req;
  const where = target.service.protected ? ` in the PROTECTED environment ${target.env}` : '';
  if ('main' in req.what) {
    // The environment's own stack: its name must be typed in a terminal, whatever the flags say.
    if (req.askText) {
      const typed = await req.askText(`This deletes ${stack.stackName}, the main stack of ${target.service.service}${where || ` in ${target.env}`}, and everything it serves. Type its name to confirm`);
      if (typed.trim() !== stack.stackName) throw new AbortedError(`"${typed.trim()}" is not ${stack.stackName}; nothing was deleted`);
      return;
    }
    if (!req.yes) throw new AbortedError(`deleting the main stack ${stack.stackName} needs a confirmation and nobody can give one here`, { hint: 'pass --yes with --main to delete it without a terminal (e.g. in CI); nothing was deleted' });
    return;
  }
  if (req.yes) return;
  if (!ctx.confirm) throw new AbortedError(`deleting ${stack.stackName} needs a confirmation and nobody can give one here`, { hint: 'pass --yes to delete it without a prompt (e.g. in CI); nothing was deleted' });
  if (!(await ctx.confirm(`Delete instance ${stack.instance} (stack ${stack.stackName})${where}?`))) throw new AbortedError('not confirmed; nothing was deleted');
}

/** Another operation running on the stack: wait for it (saying so), or refuse with --no-wait-busy. A delete already running is followed. */
async function waitUntilDeletable(ctx: DeployContext, req: DestroyRequest, stack: ServiceStack): Promise<ServiceStack> {
  const started = ctx.clock.now();
  let status = stack.status;
  while (isInProgress(status) && status !== 'DELETE_IN_PROGRESS') {
    if (req.noWaitBusy) {
      throw new PreflightError(`stack ${stack.stackName} is busy (${status})`, { hint: 'nothing was deleted; run destroy again without --no-wait-busy to wait for it' });
    }
    ctx.reporter.emit({ type: 'stack.busy', stackName: stack.stackName, status, waitedSeconds: elapsedSeconds(ctx, started) });
    if (ctx.interrupt?.aborted) throw new PreflightError(`stopped waiting for ${stack.stackName} (${status}); nothing was deleted`);
    await ctx.clock.sleep(req.busyPollMs ?? 10_000, ctx.interrupt);
    status = (await describeStack(ctx, stack.stackId))?.StackStatus ?? 'DELETE_COMPLETE';
  }
  return { ...stack, status };
}

/** Deletes one stack already chosen and confirmed, follows it, and cleans up after it. */
export async function deleteAndFollow(ctx: DeployContext, target: ServiceEnvironment, stack: ServiceStack, options: DestroyOptions & { label?: string }): Promise<DestroyOutcome> {
  const startedAt = ctx.clock.now();
  const region = target.service.region;
  const roleArn = target.service.cloudFormationRoleArn;
  const logGroups = stack.status === 'DELETE_COMPLETE' ? [] : await stackLogGroups(ctx, stack.stackId);
  let poller: StackEventPoller;
  if (stack.status === 'DELETE_IN_PROGRESS') {
    ctx.reporter.emit({ type: 'info', message: `${stack.stackName} is already being deleted; following it` });
    poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: ctx.clients.cloudFormation, stackName: stack.stackId, clock: ctx.clock, retry: retryOptions(ctx) });
  } else {
    if (options.label === undefined) ctx.reporter.emit({ type: 'phase', phase: 'execute', title: `Deleting ${stack.stackName}` });
    // The first Ctrl-C before the deletion starts means: do not start it.
    if (ctx.interrupt?.aborted) throw new InterruptedError(`interrupted before deleting ${stack.stackName}: nothing was deleted`);
    poller = await StackEventPoller.beforeOperation({ cloudFormation: ctx.clients.cloudFormation, stackName: stack.stackId, clock: ctx.clock, retry: retryOptions(ctx) });
    // By name, as the deployer policy names it; with the stack's service role when it has one,
    // so CloudFormation deletes the resources with the rights it made them with.
    await aws(ctx, () => ctx.clients.cloudFormation.deleteStack({ StackName: stack.stackName, ...(roleArn ? { RoleARN: roleArn } : {}) }));
    ctx.reporter.emit({ type: 'operation.started', stackName: stack.stackName, operation: 'DELETE', startedAt });
  }
  const followed = await followDelete(ctx, {
    stackName: stack.stackName,
    stackId: stack.stackId,
    poller,
    startedAt,
    poll: options.poll,
    label: options.label,
    attachHint: `shipper list --env ${target.env}`,
  });
  const outcome: DestroyOutcome = {
    stackName: stack.stackName,
    ...(stack.instance !== undefined ? { instance: stack.instance } : {}),
    finalStatus: followed.finalStatus,
    elapsedSeconds: elapsedSeconds(ctx, startedAt),
    failedResources: followed.events
      .filter((e) => e.ResourceStatus === 'DELETE_FAILED' && e.LogicalResourceId !== stack.stackName)
      .map((e) => ({ logicalId: e.LogicalResourceId ?? '', resourceType: e.ResourceType ?? '', physicalId: e.PhysicalResourceId || undefined, reason: e.ResourceStatusReason ?? '' })),
    logGroups: [],
    nextSteps: [],
  };
  if (followed.finalStatus === 'DELETE_COMPLETE') {
    const keepLogs = stack.instance === undefined ? "the environment's own logs" : options.keepLogs ? '--keep-logs' : undefined;
    outcome.logGroups = await removeLogGroups(ctx, stack.stackName, logGroups, keepLogs, region);
    if (stack.instance !== undefined) {
      outcome.history = await removeHistory(ctx, historyParameterNames(target.service.service, target.env, stack.instance), Boolean(options.keepHistory));
    }
  } else {
    outcome.nextSteps = nextStepsAfterFailure(target, stack, outcome.failedResources.map((r) => r.logicalId), roleArn);
  }
  ctx.reporter.emit({ type: 'destroy.outcome', outcome });
  return outcome;
}

function nextStepsAfterFailure(target: ServiceEnvironment, stack: ServiceStack, failed: string[], roleArn: string | undefined): string[] {
  const role = roleArn ? ` --role-arn ${roleArn}` : '';
  const again = stack.instance !== undefined ? `shipper destroy --env ${target.env} --instance ${stack.instance} --yes` : `shipper destroy --env ${target.env} --main --yes`;
  return [
    `fix what stopped the deletion (above), then run it again: ${again}`,
    ...(failed.length > 0
      ? [`or leave those resources behind and delete the rest: aws cloudformation delete-stack --stack-name ${stack.stackName} --region ${target.service.region}${role} --retain-resources ${failed.join(' ')}`]
      : []),
  ];
}

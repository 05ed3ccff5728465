/**
 * `shipper destroy --expired`: every instance whose shipper:expires-at is past, deleted a few at
 * a time (each followed), then one summary. Instances without the tag are never touched. One
 * failed deletion never stops the others.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { verifyAccount } from '../deploy/account.js';
import type { DeployContext } from '../deploy/context.js';
import { AbortedError, DetachedError, InterruptedError } from '../errors.js';
import type { DestroyOutcome } from '../report/destroy-outcome.js';
import { formatSpan, isExpired } from './expiry.js';
import { deleteAndFollow, refuseProtected, type DestroyOptions } from './destroy.js';
import { findEnvironmentStacks, mapBounded } from './find.js';

/** Deletions at once: each is a handful of CloudFormation calls every few seconds; CloudFormation throttles beyond that. */
export const EXPIRED_CONCURRENCY = 3;

export interface ExpiredRun {
  /** Instances considered: every one of the environment. */
  instances: number;
  outcomes: DestroyOutcome[];
}

export async function destroyExpired(ctx: DeployContext, target: ServiceEnvironment, options: DestroyOptions & { concurrency?: number }): Promise<ExpiredRun> {
  refuseProtected(target, options);
  await verifyAccount(ctx, target);
  const found = await findEnvironmentStacks(ctx, target);
  const now = ctx.clock.now();
  const expired = found.instances.filter((i) => isExpired(i, now));
  if (expired.length === 0) {
    const kept = found.instances.length;
    ctx.reporter.emit({ type: 'info', message: `No expired instances of ${target.service.service} in ${target.env}${kept ? ` (${kept} instance${kept === 1 ? '' : 's'}, none past its expiry)` : ''}.` });
    return { instances: found.instances.length, outcomes: [] };
  }
  const list = expired.map((i) => `${i.instance} (expired ${formatSpan((now.getTime() - i.expiresAt!.getTime()) / 1000)} ago)`).join(', ');
  if (!options.yes) {
    if (!ctx.confirm) throw new AbortedError(`deleting ${expired.length} expired instance(s) needs a confirmation and nobody can give one here: ${list}`, { hint: 'pass --yes (e.g. in a scheduled CI step); nothing was deleted' });
    if (!(await ctx.confirm(`Delete ${expired.length} expired instance(s) of ${target.service.service} in ${target.env}: ${list}?`))) throw new AbortedError('not confirmed; nothing was deleted');
  }
  ctx.reporter.emit({ type: 'info', message: `Deleting ${expired.length} expired instance(s), ${Math.min(options.concurrency ?? EXPIRED_CONCURRENCY, expired.length)} at a time: ${list}` });
  const outcomes = await mapBounded(expired, options.concurrency ?? EXPIRED_CONCURRENCY, async (instance) => {
    try {
      return await deleteAndFollow(ctx, target, instance, { ...options, label: instance.instance });
    } catch (err) {
      // A second Ctrl-C leaves every deletion to CloudFormation: the run ends there (exit 130).
      if (err instanceof DetachedError) throw err;
      // One instance's failure (a refused call, a throttled-out poll) is reported with the others;
      // after a first Ctrl-C the ones not started yet are not started.
      const outcome: DestroyOutcome = {
        stackName: instance.stackName,
        instance: instance.instance,
        finalStatus: err instanceof InterruptedError ? 'not started' : 'error',
        elapsedSeconds: 0,
        failedResources: [],
        logGroups: [],
        nextSteps: [`shipper destroy --env ${target.env} --instance ${instance.instance}`],
        error: (err as Error).message,
      };
      ctx.reporter.emit({ type: 'destroy.outcome', outcome });
      return outcome;
    }
  });
  const deleted = outcomes.filter((o) => o.finalStatus === 'DELETE_COMPLETE').length;
  const failed = outcomes.filter((o) => o.finalStatus !== 'DELETE_COMPLETE');
  ctx.reporter.emit({
    type: 'info',
    message: `Deleted ${deleted} of ${outcomes.length} expired instance(s)${failed.length ? `; not deleted: ${failed.map((o) => `${o.instance} (${o.finalStatus})`).join(', ')}` : ''}.`,
  });
  const notStarted = outcomes.filter((o) => o.finalStatus === 'not started');
  if (notStarted.length > 0) {
    throw new InterruptedError(`interrupted: ${notStarted.length} expired instance(s) were not deleted (${notStarted.map((o) => o.instance).join(', ')})`, { hint: `run shipper destroy --env ${target.env} --expired again to delete them` });
  }
  return { instances: found.instances.length, outcomes };
}

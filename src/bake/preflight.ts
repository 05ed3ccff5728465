/**
 * The bake's preflight (read-only): which alarms guard this deploy. Every alarm the descriptor
 * names must exist in the stack's region now, or CloudFormation would fail the whole update
 * ("If a specified trigger is missing, the entire stack operation fails and is rolled back",
 * API_RollbackTrigger), so a missing one refuses the deploy before anything changes. shipper's
 * default alarms are stack resources: on a first deploy (or the first with a bake) they do not
 * exist yet, and an alarm made by the operation it should guard may not be observed, so they
 * guard the next deploy instead.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-rollback-triggers.html
 */
import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { defaultAlarmKinds, defaultAlarmNames } from '../compose/bake-alarms.js';
import { ALARM_ARN, alarmNameOf, bakeSettings } from '../descriptor/bake-schema.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { PreflightError } from '../errors.js';
import { aws, type DeployContext } from '../deploy/context.js';
import type { BakeAlarm, BakePlan } from './plan.js';

/** No bake: no triggers and no monitoring time, sent as such so a previous bake never lingers on the stack. */
export function noBake(): BakePlan {
  return { minutes: 0, alarms: [], notYetGuarding: [] };
}

export async function planBake(ctx: DeployContext, target: ServiceEnvironment, options: { skip?: boolean } = {}): Promise<BakePlan> {
  const { service, stackName } = target;
  const settings = bakeSettings(service);
  // A service without a bake says nothing about it: its deploys read as they always did.
  if (!settings) return noBake();
  if (options.skip) {
    ctx.reporter.emit({ type: 'preflight.check', name: 'bake', ok: true, detail: 'skipped (--no-bake): the old group is deleted as soon as the new one is live' });
    return noBake();
  }
  const declared = settings.alarms.map((reference) => ({ reference, name: alarmNameOf(reference) }));
  const defaults = defaultAlarmKinds(service).map((kind) => defaultAlarmNames(stackName)[kind]);
  const found = await describeAlarms(ctx, [...declared.map((d) => d.name), ...defaults]);

  const missing = declared.filter((d) => {
    const alarm = found.get(d.name);
    return !alarm || (ALARM_ARN.test(d.reference) && alarm.arn !== d.reference);
  });
  if (missing.length) {
    const names = missing.map((d) => d.reference);
    throw new PreflightError(`bake.alarms: ${names.length === 1 ? 'alarm' : 'alarms'} ${names.join(', ')} ${names.length === 1 ? 'does' : 'do'} not exist in ${service.region} (account ${service.account}); CloudFormation would fail the update on a missing rollback trigger`, {
      hint: 'create the alarm first (or fix its name in bake.alarms); nothing was changed',
    });
  }
  const firing = [...declared.map((d) => d.name), ...defaults].filter((name) => found.get(name)?.state === 'ALARM');
  if (firing.length) {
    // A trigger already in ALARM rolls the update back as soon as CloudFormation looks at it.
    throw new PreflightError(`${firing.length === 1 ? 'alarm' : 'alarms'} ${firing.join(', ')} ${firing.length === 1 ? 'is' : 'are'} in ALARM now; CloudFormation would roll this deploy back as soon as it starts`, {
      hint: 'if this deploy is the fix, deploy it with --no-bake (and --yes on a protected environment); nothing was changed',
    });
  }
  const alarms: BakeAlarm[] = [
    ...declared.map((d) => ({ name: d.name, ...found.get(d.name)!, origin: 'declared' as const })),
    ...defaults.flatMap((name) => (found.has(name) ? [{ name, ...found.get(name)!, origin: 'default' as const }] : [])),
  ].map(({ name, arn, composite, origin }: { name: string; arn: string; composite?: boolean; origin: BakeAlarm['origin'] }) => ({ name, arn, origin, ...(composite ? { composite } : {}) }));
  const plan: BakePlan = { minutes: settings.minutes, alarms, notYetGuarding: defaults.filter((name) => !found.has(name)) };
  ctx.reporter.emit({ type: 'preflight.check', name: 'bake', ok: true, detail: describeBake(plan) });
  return plan;
}

/** One line for the preflight list: minutes, the guards, and what guards only the next deploy. */
export function describeBake(plan: BakePlan): string {
  const guards = plan.alarms.length ? `guarded by ${plan.alarms.map((a) => a.name).join(', ')}` : 'no alarm guards it';
  const next = plan.notYetGuarding.length ? `; ${plan.notYetGuarding.join(', ')} ${plan.notYetGuarding.length === 1 ? 'is' : 'are'} created by this deploy and guard${plan.notYetGuarding.length === 1 ? 's' : ''} the next one` : '';
  return `${plan.minutes} min, ${guards}${next}`;
}

interface FoundAlarm {
  arn: string;
  state?: string;
  composite?: boolean;
}

async function describeAlarms(ctx: DeployContext, names: string[]): Promise<Map<string, FoundAlarm>> {
  const found = new Map<string, FoundAlarm>();
  if (!names.length) return found;
  const cloudWatch = ctx.clients.cloudWatch;
  if (!cloudWatch) throw new PreflightError('the bake\'s alarms cannot be checked: no CloudWatch client', { hint: 'nothing was changed' });
  let token: string | undefined;
  do {
    // AlarmNames takes at most 100 names; a bake has at most five triggers.
    const page = await aws(ctx, () => cloudWatch.describeAlarms({ AlarmNames: [...new Set(names)], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: token }));
    const add = (alarm: MetricAlarm | CompositeAlarm, composite: boolean) => {
      if (alarm.AlarmName && alarm.AlarmArn) found.set(alarm.AlarmName, { arn: alarm.AlarmArn, state: alarm.StateValue, ...(composite ? { composite } : {}) });
    };
    for (const alarm of page.MetricAlarms ?? []) add(alarm, false);
    for (const alarm of page.CompositeAlarms ?? []) add(alarm, true);
    token = page.NextToken;
  } while (token);
  return found;
}

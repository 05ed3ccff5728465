/**
 * The states of a bake's alarms as CloudWatch gives them (DescribeAlarms by name): state,
 * StateReason and StateUpdatedTimestamp, 'missing' for an alarm CloudWatch does not know, and
 * 'unknown' for all when they cannot be read (no CloudWatch client here).
 */
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { aws, type DeployContext } from '../deploy/context.js';
import type { BakeAlarmView } from '../report/events.js';

export interface NamedAlarm {
  name: string;
  arn: string;
}

/** Throws what DescribeAlarms threw; the caller decides whether that matters. */
export async function readAlarmStates(ctx: DeployContext, alarms: NamedAlarm[]): Promise<BakeAlarmView[]> {
  const cloudWatch = ctx.clients.cloudWatch;
  if (!cloudWatch || alarms.length === 0) return alarms.map((a) => ({ name: a.name, state: 'unknown' }));
  const answer = await aws(ctx, () => cloudWatch.describeAlarms({ AlarmNames: alarms.map((a) => a.name), AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
  const found: Array<Pick<MetricAlarm, 'AlarmName' | 'AlarmArn' | 'StateValue' | 'StateReason' | 'StateUpdatedTimestamp'>> = [...(answer.MetricAlarms ?? []), ...(answer.CompositeAlarms ?? [])];
  return alarms.map((wanted) => {
    const alarm = found.find((f) => f.AlarmName === wanted.name || f.AlarmArn === wanted.arn);
    if (!alarm) return { name: wanted.name, state: 'missing' };
    return {
      name: wanted.name,
      state: (alarm.StateValue ?? 'unknown') as BakeAlarmView['state'],
      ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
      ...(alarm.StateUpdatedTimestamp ? { since: new Date(alarm.StateUpdatedTimestamp) } : {}),
    };
  });
}

/** `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-5xx` → `hello-5xx`. */
export function alarmNameOf(arn: string): string {
  const at = arn.indexOf(':alarm:');
  return at < 0 ? arn : arn.slice(at + ':alarm:'.length);
}

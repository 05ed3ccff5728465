/**
 * `shipper status` during a bake: the stack is still UPDATE_IN_PROGRESS (or CREATE_IN_PROGRESS)
 * with a monitoring time, and every resource of the operation is done. How long is left, the
 * old group kept, and each trigger alarm's state. The stack remembers its RollbackConfiguration
 * (DescribeStacks), so nothing but AWS is needed to tell.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { LogicalIds } from '../compose/template.js';
import { alarmNameOf, readAlarmStates } from '../bake/alarm-states.js';
import { resourcesDoneAt } from '../deploy/bake-watch.js';
import { retryOptions, type DeployContext } from '../deploy/context.js';
import type { BakeAlarmView } from '../report/events.js';
import { StackEventPoller } from '../stack-events/poller.js';

export interface BakeStatus {
  minutes: number;
  endsAt: Date;
  secondsLeft: number;
  /** The group CloudFormation keeps until the bake ends (deleted in the cleanup). */
  oldGroupName?: string;
  alarms: BakeAlarmView[];
}

const REPLACING = /requires the creation of a new physical resource/i;

export async function bakeInProgress(ctx: DeployContext, stack: Stack): Promise<BakeStatus | undefined> {
  const status = stack.StackStatus ?? '';
  const minutes = stack.RollbackConfiguration?.MonitoringTimeInMinutes ?? 0;
  if ((status !== 'UPDATE_IN_PROGRESS' && status !== 'CREATE_IN_PROGRESS') || minutes <= 0 || !stack.StackName) return undefined;
  const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: ctx.clients.cloudFormation, stackName: stack.StackName, clock: ctx.clock, retry: retryOptions(ctx) });
  const events = await poller.poll();
  const doneAt = resourcesDoneAt(events, stack.StackName);
  if (doneAt === undefined) return undefined;
  const endsAt = new Date(doneAt + minutes * 60_000);
  const oldGroupName = events.find((e) => e.LogicalResourceId === LogicalIds.autoScalingGroup && REPLACING.test(e.ResourceStatusReason ?? ''))?.PhysicalResourceId;
  const triggers = (stack.RollbackConfiguration?.RollbackTriggers ?? []).map((t) => ({ name: alarmNameOf(t.Arn ?? ''), arn: t.Arn ?? '' }));
  let alarms: BakeAlarmView[];
  try {
    alarms = await readAlarmStates(ctx, triggers);
  } catch {
    // Alarm states are a nicety in a status view; a missing permission must not hide the rest.
    alarms = triggers.map((t) => ({ name: t.name, state: 'unknown' }));
  }
  return {
    minutes,
    endsAt,
    secondsLeft: Math.max(0, Math.round((endsAt.getTime() - ctx.clock.now().getTime()) / 1000)),
    ...(oldGroupName ? { oldGroupName } : {}),
    alarms,
  };
}

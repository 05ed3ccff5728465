/**
 * The bake of an update already running, as the stack remembers it (DescribeStacks'
 * RollbackConfiguration): for `shipper watch`, which re-attaches without the descriptor's plan.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import { alarmNameOf } from './alarm-states.js';
import type { BakePlan } from './plan.js';

export function bakePlanOfStack(stack: Stack): BakePlan | undefined {
  const config = stack.RollbackConfiguration;
  const minutes = config?.MonitoringTimeInMinutes ?? 0;
  const triggers = config?.RollbackTriggers ?? [];
  if (minutes <= 0 && triggers.length === 0) return undefined;
  return {
    minutes,
    // Who declared them is not the stack's to say; the descriptor's plan knows, watch does not.
    alarms: triggers.map((t) => ({ name: alarmNameOf(t.Arn ?? ''), arn: t.Arn ?? '', origin: 'declared' as const })),
    notYetGuarding: [],
  };
}

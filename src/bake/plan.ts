/**
 * The bake of one deploy: how long CloudFormation keeps the update open after the new group is
 * in service (the old group kept warm), and which CloudWatch alarms roll it back if they go to
 * ALARM meanwhile. CloudFormation does the watching (RollbackConfiguration); shipper declares it,
 * shows it and explains a breach.
 */
import type { RollbackConfiguration } from '@aws-sdk/client-cloudformation';

export interface BakeAlarm {
  name: string;
  arn: string;
  /** Made by shipper for the service (target 5xx share, unhealthy hosts), or named by the descriptor. */
  origin: 'default' | 'declared';
  /** A composite alarm (its trigger's Type is AWS::CloudWatch::CompositeAlarm); absent for a metric alarm. */
  composite?: boolean;
}

export interface BakePlan {
  /** MonitoringTimeInMinutes: 0 to 180. */
  minutes: number;
  /** The alarms that guard this update as rollback triggers. */
  alarms: BakeAlarm[];
  /** Default alarms this same update creates: they guard the next deploy, not this one. */
  notYetGuarding: string[];
}

/** The change set's RollbackConfiguration for a bake: triggers and monitoring time. */
export function rollbackConfiguration(plan: BakePlan): RollbackConfiguration {
  return {
    MonitoringTimeInMinutes: plan.minutes,
    RollbackTriggers: plan.alarms.map((alarm) => ({ Arn: alarm.arn, Type: alarm.composite ? 'AWS::CloudWatch::CompositeAlarm' : 'AWS::CloudWatch::Alarm' })),
  };
}

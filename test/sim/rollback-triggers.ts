/**
 * CloudFormation's rollback triggers for one stack operation, as AWS documents them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-rollback-triggers.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackConfiguration.html,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RollbackTrigger.html):
 *
 * - "CloudFormation monitors the specified alarms during the stack create or update operation,
 *   and for the specified amount of time after all resources have been deployed. If any of the
 *   alarms goes to ALARM state during the stack operation or the monitoring period,
 *   CloudFormation rolls back the entire stack operation." Only ALARM counts: OK and
 *   INSUFFICIENT_DATA never roll back.
 * - "If a specified trigger is missing, the entire stack operation fails and is rolled back."
 * - MonitoringTimeInMinutes is 0 to 180; with 0 the triggers are still watched during the
 *   operation. "If you specify a monitoring period but don't specify any rollback triggers,
 *   CloudFormation still waits the specified period of time before cleaning up old resources."
 * - "By default, CloudFormation saves the rollback triggers specified for a stack and applies
 *   them to any subsequent update operations for the stack, unless you specify otherwise."
 *   (remembered by cloudformation.ts; see effectiveRollbackConfiguration).
 *
 * The stack event text CloudFormation writes when a trigger fires, or when one is missing, is
 * not quoted in AWS's documentation and no public trace of it could be found. The reasons below
 * use the documentation's own wording and name the alarm's ARN; shipper never depends on their
 * exact text (it reads the alarms' states itself and only looks for an alarm ARN in them).
 * How long CloudFormation takes to notice an alarm's change is not documented either: it is a
 * timing knob here (`triggerReactionSeconds`).
 */
import type { RollbackConfiguration } from '@aws-sdk/client-cloudformation';
import type { SimAlarm, SimCloudWatch } from './alarms.js';
import type { FakeClock } from './clock.js';

/** Stack status reason when a trigger's alarm went to ALARM (documented wording; see above). */
export function breachReason(alarm: SimAlarm): string {
  return `Rollback trigger ${alarm.arn} went to ALARM state during the stack operation or the monitoring period.`;
}

/** Stack status reason when a trigger's alarm does not exist (documented wording; see above). */
export function missingTriggerReason(arns: string[]): string {
  return `The following rollback trigger(s) are missing: [${arns.join(', ')}]. The entire stack operation fails and is rolled back.`;
}

/**
 * The configuration an operation runs with: the change set's, or the stack's remembered one
 * when the change set names none. Triggers left out of a given configuration are the stack's;
 * an empty list removes them.
 */
export function effectiveRollbackConfiguration(given: RollbackConfiguration | undefined, remembered: RollbackConfiguration | undefined): RollbackConfiguration {
  if (!given) return { ...remembered };
  return {
    MonitoringTimeInMinutes: given.MonitoringTimeInMinutes ?? 0,
    RollbackTriggers: given.RollbackTriggers ?? remembered?.RollbackTriggers ?? [],
  };
}

export class RollbackTriggers {
  private unsubscribe?: () => void;

  constructor(
    private readonly clock: FakeClock,
    private readonly alarms: SimCloudWatch | undefined,
    readonly config: RollbackConfiguration,
    private readonly reactionSeconds: number,
  ) {}

  get arns(): string[] {
    return (this.config.RollbackTriggers ?? []).map((t) => t.Arn ?? '');
  }

  get monitoringMs(): number {
    return (this.config.MonitoringTimeInMinutes ?? 0) * 60_000;
  }

  /** Trigger ARNs whose alarm does not exist (now). */
  missing(): string[] {
    return this.arns.filter((arn) => !this.alarms?.findByArn(arn));
  }

  /**
   * Calls `onBreach` once, `reactionSeconds` after a trigger's alarm is in ALARM: one already
   * in ALARM when the operation starts, or one going there later. `stop()` ends the watch.
   */
  watch(onBreach: (alarm: SimAlarm) => void): void {
    if (!this.alarms || this.arns.length === 0) return;
    let fired = false;
    const fire = (alarm: SimAlarm) => {
      if (fired) return;
      fired = true;
      this.clock.schedule(this.reactionSeconds * 1000, () => {
        if (this.unsubscribe) onBreach(alarm);
      });
    };
    this.unsubscribe = this.alarms.onChange(({ alarm }) => {
      if (alarm.state === 'ALARM' && this.arns.includes(alarm.arn)) fire(alarm);
    });
    const already = this.arns.map((arn) => this.alarms!.findByArn(arn)).find((a) => a?.state === 'ALARM');
    if (already) fire(already);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

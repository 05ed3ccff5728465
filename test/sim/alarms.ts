/**
 * Simulated CloudWatch alarms: each has a state (OK, ALARM, INSUFFICIENT_DATA), the reason
 * CloudWatch gives for it and when it last changed. Tests move an alarm between states at a
 * simulated time, as CloudWatch's SetAlarmState does; CloudFormation's rollback triggers
 * (operation.ts) listen to the changes. DescribeAlarms answers as CloudWatch does: metric
 * alarms by name, unknown names simply absent from the answer.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_SetAlarmState.html
 */
import type * as cw from '@aws-sdk/client-cloudwatch';
import { awsError } from '../../src/aws/api.js';
import type { FakeClock } from './clock.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface SimAlarm {
  name: string;
  arn: string;
  composite: boolean;
  state: AlarmState;
  reason: string;
  updatedAt: Date;
}

export interface AlarmChange {
  alarm: SimAlarm;
  previous: AlarmState;
}

/** How CloudWatch words a new alarm's state before it has evaluated any data. */
const NEW_ALARM_REASON = 'Unchecked: Initial alarm creation';

export class SimCloudWatch {
  readonly alarms = new Map<string, SimAlarm>();
  /** Every DescribeAlarms request, as made. */
  readonly calls: cw.DescribeAlarmsCommandInput[] = [];
  private readonly listeners = new Set<(change: AlarmChange) => void>();

  constructor(
    private readonly clock: FakeClock,
    private readonly region: string,
    private readonly account: string,
  ) {}

  arnOf(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.account}:alarm:${name}`;
  }

  /** An alarm exists from now on (PutMetricAlarm); new alarms start INSUFFICIENT_DATA, as in CloudWatch. */
  putAlarm(name: string, state: AlarmState = 'INSUFFICIENT_DATA', reason = NEW_ALARM_REASON, composite = false): SimAlarm {
    const alarm: SimAlarm = { name, arn: this.arnOf(name), composite, state, reason, updatedAt: this.clock.now() };
    this.alarms.set(name, alarm);
    return alarm;
  }

  /** PutMetricAlarm (or PutCompositeAlarm), chainable. */
  put(name: string, options: { composite?: boolean; state?: AlarmState; reason?: string } = {}): this {
    this.putAlarm(name, options.state, options.reason, options.composite);
    return this;
  }

  deleteAlarm(name: string): void {
    this.alarms.delete(name);
  }

  findByArn(arn: string): SimAlarm | undefined {
    return [...this.alarms.values()].find((a) => a.arn === arn);
  }

  /** SetAlarmState, now: the state holds until the alarm's next evaluation (which the simulation never runs). */
  setAlarmState(input: { AlarmName: string; StateValue: AlarmState; StateReason: string }): void {
    const alarm = this.alarms.get(input.AlarmName);
    if (!alarm) throw awsError('ResourceNotFound', `Alarm ${input.AlarmName} does not exist`, 404);
    const previous = alarm.state;
    if (previous === input.StateValue) return;
    alarm.state = input.StateValue;
    alarm.reason = input.StateReason;
    alarm.updatedAt = this.clock.now();
    for (const listener of [...this.listeners]) listener({ alarm, previous });
  }

  /** SetAlarmState at a simulated moment, `afterSeconds` from now. */
  setAlarmStateAfter(afterSeconds: number, input: { AlarmName: string; StateValue: AlarmState; StateReason: string }): void {
    this.clock.schedule(afterSeconds * 1000, () => this.setAlarmState(input));
  }

  onChange(listener: (change: AlarmChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Metric alarms only unless AlarmTypes asks for composite ones too, as CloudWatch answers. */
  async describeAlarms(input: cw.DescribeAlarmsCommandInput): Promise<cw.DescribeAlarmsCommandOutput> {
    this.calls.push(structuredClone(input));
    if ((input.AlarmNames?.length ?? 0) > 100) {
      throw awsError('ValidationError', `1 validation error detected: Value at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100`);
    }
    const selected = [...this.alarms.values()].filter(
      (a) =>
        (input.AlarmNames === undefined || input.AlarmNames.includes(a.name)) &&
        (input.AlarmNamePrefix === undefined || a.name.startsWith(input.AlarmNamePrefix)) &&
        (input.StateValue === undefined || a.state === input.StateValue),
    );
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const shape = (a: SimAlarm) => ({
      AlarmName: a.name,
      AlarmArn: a.arn,
      StateValue: a.state,
      StateReason: a.reason,
      StateUpdatedTimestamp: a.updatedAt,
      StateTransitionedTimestamp: a.updatedAt,
      ActionsEnabled: true,
    });
    return {
      MetricAlarms: types.includes('MetricAlarm') ? selected.filter((a) => !a.composite).map(shape) : [],
      CompositeAlarms: types.includes('CompositeAlarm') ? selected.filter((a) => a.composite).map(shape) : [],
    } as unknown as cw.DescribeAlarmsCommandOutput;
  }
}

/**
 * CloudWatch alarms as DescribeAlarms sees them, and nothing more: which alarms exist in the
 * account's region (name, ARN, metric or composite, state). A bake's preflight reads it; it is
 * given to a deploy as `clients.cloudWatch`. Unknown names are simply left out of the answer, as
 * CloudWatch does ("AlarmNames: the names of the alarms to retrieve"), never an error.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
import type * as cloudwatch from '@aws-sdk/client-cloudwatch';
import type { CloudWatchApi } from '../../src/aws/api.js';

type State = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export class SimAlarmDirectory implements CloudWatchApi {
  private readonly alarms = new Map<string, { composite: boolean; state: State }>();
  readonly calls: cloudwatch.DescribeAlarmsCommandInput[] = [];

  constructor(
    readonly region = 'eu-west-1',
    readonly account = '123456789012',
  ) {}

  /** An alarm as PutMetricAlarm (or PutCompositeAlarm) leaves it; new alarms start INSUFFICIENT_DATA. */
  put(name: string, options: { composite?: boolean; state?: State } = {}): this {
    this.alarms.set(name, { composite: Boolean(options.composite), state: options.state ?? 'INSUFFICIENT_DATA' });
    return this;
  }

  arnOf(name: string): string {
    return `arn:aws:cloudwatch:${this.region}:${this.account}:alarm:${name}`;
  }

  async describeAlarms(input: cloudwatch.DescribeAlarmsCommandInput): Promise<cloudwatch.DescribeAlarmsCommandOutput> {
    this.calls.push(structuredClone(input));
    const types = input.AlarmTypes ?? ['MetricAlarm'];
    const named = [...this.alarms].filter(([name]) => !input.AlarmNames || input.AlarmNames.includes(name));
    const shape = ([name, alarm]: [string, { state: State }]) => ({ AlarmName: name, AlarmArn: this.arnOf(name), StateValue: alarm.state });
    return {
      MetricAlarms: types.includes('MetricAlarm') ? named.filter(([, a]) => !a.composite).map(shape) : [],
      CompositeAlarms: types.includes('CompositeAlarm') ? named.filter(([, a]) => a.composite).map(shape) : [],
      $metadata: {},
    } as cloudwatch.DescribeAlarmsCommandOutput;
  }
}

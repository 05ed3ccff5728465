/**
 * The bake reads alarm states with shipper's own SDK client, over the wire to moto's CloudWatch:
 * state, StateReason as CloudWatch gives it (SetAlarmState's here), when it changed, and an alarm
 * that does not exist reported as missing.
 */
import { describe, expect, it } from '@jest/globals';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { LOCAL_REGION } from '../../examples/local/seed.mjs';
import { systemClock } from '../../src/aws/api.js';
import { createAwsClients } from '../../src/aws/sdk-factory.js';
import { readAlarmStates } from '../../src/bake/alarm-states.js';
import { RecordingReporter } from '../../src/report/events.js';
import { useLocalAws } from './local-aws.js';

const local = useLocalAws();

describe('alarm states for a bake, from CloudWatch (moto)', () => {
  it('reads each alarm by name with its state, reason and time, and names a missing one', async () => {
    const cw = new CloudWatchClient({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'hello-local-target-5xx',
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'hello-local-target-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0).' }));
    cw.destroy();

    const clients = await createAwsClients({ region: LOCAL_REGION });
    const ctx = { clients, clock: systemClock, reporter: new RecordingReporter() };
    const arn = (name: string) => `arn:aws:cloudwatch:${LOCAL_REGION}:123456789012:alarm:${name}`;
    const states = await readAlarmStates(ctx, [
      { name: 'hello-local-target-5xx', arn: arn('hello-local-target-5xx') },
      { name: 'hello-local-never-made', arn: arn('hello-local-never-made') },
    ]);

    expect(states).toEqual([
      { name: 'hello-local-target-5xx', state: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [9.0] was greater than the threshold (5.0).', since: expect.any(Date) },
      { name: 'hello-local-never-made', state: 'missing' },
    ]);
    expect(Math.abs(states[0]!.since!.getTime() - Date.now())).toBeLessThan(60_000);
  });
});

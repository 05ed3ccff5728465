/**
 * The bake's default alarms in the composed stack: named from the stack so the next deploy finds
 * them, on the service's own target group and load balancer (the dimensions ApplicationELB
 * publishes per target group), with the thresholds the descriptor sets, and cfn-lint clean.
 */
import { describe, expect, it } from '@jest/globals';
import { composeStack } from '../../src/compose/stack.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir } from '../helpers/paths.js';
import path from 'node:path';

const DIGEST = `sha256:${'a'.repeat(64)}`;
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function composed(bake: string | undefined, env = 'test'): Any {
  const dir = editedExample(exampleDir, (text) => (bake ? `${text}bake: ${bake}\n` : text));
  return composeStack(loadServiceEnvironment({ file: path.join(dir, 'shipper.yml'), env }), { imageTag: 'v1', imageDigest: DIGEST }) as Any;
}

const DIMENSIONS = [
  { Name: 'TargetGroup', Value: { 'Fn::GetAtt': ['TargetGroup', 'TargetGroupFullName'] } },
  // The example's listener: arn:…:listener/app/shared-alb/50dc6c495c0c9188/f2f7dc8efc522ab2
  { Name: 'LoadBalancer', Value: 'app/shared-alb/50dc6c495c0c9188' },
];

describe('the default alarms of a bake', () => {
  it('are not in the stack of a service without a bake', () => {
    const types = Object.values(composed(undefined).Resources).map((r) => (r as Any).Type);
    expect(types).not.toContain('AWS::CloudWatch::Alarm');
  });

  it("watch the share of 5xx answered by the service's targets, per minute, as metric math", () => {
    const alarm = composed('{minutes: 10}').Resources.BakeAlarmTarget5xx.Properties;
    expect(alarm.AlarmName).toBe('hello-test-bake-target-5xx');
    const [errors, requests, share] = alarm.Metrics;
    expect(errors).toEqual({ Id: 'errors', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: DIMENSIONS }, Period: 60, Stat: 'Sum' } });
    expect(requests.MetricStat.Metric).toEqual({ Namespace: 'AWS/ApplicationELB', MetricName: 'RequestCount', Dimensions: DIMENSIONS });
    expect(share).toMatchObject({ Id: 'share', Expression: '100 * FILL(errors, 0) / requests', ReturnData: true });
    expect(alarm).toMatchObject({ ComparisonOperator: 'GreaterThanThreshold', Threshold: 5, EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: 'notBreaching' });
  });

  it('watch unhealthy targets in the target group, for consecutive minutes', () => {
    const alarm = composed('{minutes: 10}').Resources.BakeAlarmUnhealthyHosts.Properties;
    expect(alarm).toMatchObject({
      AlarmName: 'hello-test-bake-unhealthy-hosts',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Dimensions: DIMENSIONS,
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
    });
  });

  it('take the thresholds the descriptor sets, and pass cfn-lint in every environment', async () => {
    const bake = '{thresholds: {target5xxPercent: 2.5, target5xxMinutes: 3, target5xxOutOfMinutes: 5, unhealthyHosts: 1, unhealthyMinutes: 4}}';
    const test = composed(bake);
    expect(test.Resources.BakeAlarmTarget5xx.Properties).toMatchObject({ Threshold: 2.5, DatapointsToAlarm: 3, EvaluationPeriods: 5 });
    expect(test.Resources.BakeAlarmUnhealthyHosts.Properties).toMatchObject({ Threshold: 1, DatapointsToAlarm: 4, EvaluationPeriods: 4 });
    expect(await cfnLintErrors(test)).toBe('');
    const prod = composed(bake, 'prod');
    expect(prod.Resources.BakeAlarmTarget5xx.Properties.AlarmName).toBe('hello-prod-bake-target-5xx');
    expect(prod.Resources.BakeAlarmUnhealthyHosts.Properties.Dimensions[1]).toEqual({ Name: 'LoadBalancer', Value: 'app/shared-alb/60dc6c495c0c9188' });
    expect(await cfnLintErrors(prod)).toBe('');
  });

  it('are left out with defaultAlarms: false', () => {
    const types = Object.values(composed('{alarms: [hello-latency], defaultAlarms: false}').Resources).map((r) => (r as Any).Type);
    expect(types).not.toContain('AWS::CloudWatch::Alarm');
  });
});

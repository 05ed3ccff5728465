/**
 * The bake's default alarms for a service behind a load balancer: the share of the target
 * group's requests its targets answer with 5xx, and unhealthy targets in the target group.
 * Both watch the service's own target group on its load balancer (the ApplicationELB metrics'
 * TargetGroup and LoadBalancer dimensions), over one-minute periods, and treat missing data as
 * not breaching (a quiet service is not a broken one).
 *
 * They are stack resources with names derived from the stack, so the next deploy finds them:
 * CloudFormation may not observe an alarm made by the very operation it guards, so an alarm
 * this deploy creates guards the next one (see src/bake/preflight.ts).
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-rollback-triggers.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 */
import type { ResolvedService } from '../descriptor/schema.js';
import { bakeSettings } from '../descriptor/bake-schema.js';
import type { CfnResource } from './template.js';
import { LogicalIds } from './template.js';

export const BakeAlarmLogicalIds = {
  target5xx: 'BakeAlarmTarget5xx',
  unhealthyHosts: 'BakeAlarmUnhealthyHosts',
} as const;

export type DefaultAlarmKind = keyof typeof BakeAlarmLogicalIds;

/** `<stack>-bake-target-5xx`, `<stack>-bake-unhealthy-hosts`: what the next deploy looks up. */
export function defaultAlarmNames(stackName: string): Record<DefaultAlarmKind, string> {
  return { target5xx: `${stackName}-bake-target-5xx`, unhealthyHosts: `${stackName}-bake-unhealthy-hosts` };
}

/**
 * The dimensions of the service's target group metrics, or why there are none. The target group
 * shipper creates gives its full name as an attribute; the load balancer's full name
 * (`app/NAME/ID`) is the middle of the listener's ARN. An existing target group's ARN gives the
 * target group's full name (`targetgroup/NAME/ID`) but not the load balancer it is attached to.
 */
export function targetGroupDimensions(service: ResolvedService): { dimensions: Array<{ Name: string; Value: unknown }> } | { missing: string } {
  const lb = service.network.loadBalancer;
  if (!lb) return { missing: 'the service has no load balancer' };
  if (lb.listenerArn) {
    const loadBalancer = /:listener\/(app\/[^/]+\/[^/]+)\/[^/]+$/.exec(lb.listenerArn)?.[1];
    if (!loadBalancer) return { missing: `the load balancer's name cannot be read from the listener ARN ${lb.listenerArn}` };
    return {
      dimensions: [
        { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [LogicalIds.targetGroup, 'TargetGroupFullName'] } },
        { Name: 'LoadBalancer', Value: loadBalancer },
      ],
    };
  }
  return { missing: "an existing target group's ARN does not say which load balancer it is attached to, and its metrics are published per load balancer" };
}

/** The default alarms this service gets: none without a bake, with `defaultAlarms: false`, or without the dimensions. */
export function defaultAlarmKinds(service: ResolvedService): DefaultAlarmKind[] {
  const bake = bakeSettings(service);
  if (!bake?.defaultAlarms || 'missing' in targetGroupDimensions(service)) return [];
  return ['target5xx', 'unhealthyHosts'];
}

export function bakeAlarmResources(service: ResolvedService, stackName: string): Record<string, CfnResource> {
  const bake = bakeSettings(service);
  const found = targetGroupDimensions(service);
  if (!bake?.defaultAlarms || 'missing' in found) return {};
  const names = defaultAlarmNames(stackName);
  const t = bake.thresholds;
  const metric = (id: string, metricName: string) => ({
    Id: id,
    ReturnData: false,
    MetricStat: { Metric: { Namespace: 'AWS/ApplicationELB', MetricName: metricName, Dimensions: found.dimensions }, Period: 60, Stat: 'Sum' },
  });
  return {
    [BakeAlarmLogicalIds.target5xx]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: names.target5xx,
        AlarmDescription: `${service.service}: more than ${t.target5xxPercent}% of the target group's requests answered 5xx by its targets in ${t.target5xxMinutes} of ${t.target5xxOutOfMinutes} minutes. A rollback trigger of shipper's bake.`,
        Metrics: [
          metric('errors', 'HTTPCode_Target_5XX_Count'),
          metric('requests', 'RequestCount'),
          // No 5xx in a minute publishes no 5xx data point: count it as 0. No requests publishes no
          // RequestCount either, so the share is missing, which is not breaching.
          { Id: 'share', Expression: '100 * FILL(errors, 0) / requests', Label: 'Target 5xx share (%)', ReturnData: true },
        ],
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: t.target5xxPercent,
        EvaluationPeriods: t.target5xxOutOfMinutes,
        DatapointsToAlarm: t.target5xxMinutes,
        TreatMissingData: 'notBreaching',
      },
    },
    [BakeAlarmLogicalIds.unhealthyHosts]: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: names.unhealthyHosts,
        AlarmDescription: `${service.service}: more than ${t.unhealthyHosts} unhealthy target(s) in the service's target group for ${t.unhealthyMinutes} minute(s). A rollback trigger of shipper's bake.`,
        Namespace: 'AWS/ApplicationELB',
        MetricName: 'UnHealthyHostCount',
        Dimensions: found.dimensions,
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: t.unhealthyHosts,
        EvaluationPeriods: t.unhealthyMinutes,
        DatapointsToAlarm: t.unhealthyMinutes,
        TreatMissingData: 'notBreaching',
      },
    },
  };
}

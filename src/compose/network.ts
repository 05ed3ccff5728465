/** Security group, load balancer attachment and DNS for the service. */
import type { ResolvedService } from '../descriptor/schema.js';
import { deregistrationDelaySeconds, healthCheckTimeoutSeconds } from '../descriptor/service-rules.js';
import type { CfnResource } from './template.js';
import { LogicalIds } from './template.js';

/**
 * The instances' security group, and its ingress rules as separate resources. A rule's logical
 * id is derived from its port and source, so changing either adds a new rule resource while the
 * old one stays until CloudFormation removes deleted resources in the cleanup phase
 * (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS, after the new group is live): the old instances never
 * lose their port during a deploy. Inline `SecurityGroupIngress` would instead be revoked when the
 * group is updated, before the new Auto Scaling group exists.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-monitor-stack.html
 */
export function securityGroupResource(service: ResolvedService, proxyPort: number): Record<string, CfnResource> {
  const lb = service.network.loadBalancer;
  // Traffic reaches instances only through the reverse proxy, and only from the load balancer
  // (or the declared CIDRs); the app port itself is never opened.
  const sources: Array<{ SourceSecurityGroupId?: string; CidrIp?: string; Description: string }> = [
    ...(lb?.securityGroupId ? [{ SourceSecurityGroupId: lb.securityGroupId, Description: 'load balancer to reverse proxy' }] : []),
    ...service.network.ingressCidrs.map((cidr) => ({ CidrIp: cidr, Description: 'declared ingress to reverse proxy' })),
  ];
  const rules = Object.fromEntries(
    sources.map((source) => [
      ingressLogicalId(proxyPort, source.SourceSecurityGroupId ?? source.CidrIp!),
      {
        Type: 'AWS::EC2::SecurityGroupIngress',
        Properties: { GroupId: { 'Fn::GetAtt': [LogicalIds.securityGroup, 'GroupId'] }, IpProtocol: 'tcp', FromPort: proxyPort, ToPort: proxyPort, ...source },
      } satisfies CfnResource,
    ]),
  );
  return {
    [LogicalIds.securityGroup]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${service.service} instances`,
        VpcId: service.network.vpcId,
        Tags: [{ Key: 'Name', Value: { 'Fn::Sub': '${AWS::StackName}-instances' } }],
      },
    },
    ...rules,
  };
}

/** `80` + `sg-0123abcd` → `IngressTcp80FromSg0123abcd`; `10.0.0.0/8` → `IngressTcp80From10d0d0d0s8`. */
export function ingressLogicalId(port: number, source: string): string {
  const spelled = source.replace(/\./g, 'd').replace(/\//g, 's').replace(/:/g, 'c').replace(/[^A-Za-z0-9]/g, '');
  return `IngressTcp${port}From${spelled.charAt(0).toUpperCase()}${spelled.slice(1)}`;
}

/** The target group the instances register with: the declared one, or one shipper creates. */
export function targetGroupArn(service: ResolvedService): unknown {
  const lb = service.network.loadBalancer;
  if (!lb) return undefined;
  return lb.targetGroupArn ?? { Ref: LogicalIds.targetGroup };
}

export function loadBalancerResources(service: ResolvedService, proxyPort: number): Record<string, CfnResource> {
  const lb = service.network.loadBalancer;
  if (!lb?.listenerArn || !lb.rule) return {};
  const hc = service.healthCheck;
  const conditions = [
    ...(lb.rule.hostHeader ? [{ Field: 'host-header', HostHeaderConfig: { Values: [lb.rule.hostHeader] } }] : []),
    ...(lb.rule.pathPattern ? [{ Field: 'path-pattern', PathPatternConfig: { Values: [lb.rule.pathPattern] } }] : []),
  ];
  return {
    [LogicalIds.targetGroup]: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        VpcId: service.network.vpcId,
        Protocol: 'HTTP',
        Port: proxyPort,
        TargetType: 'instance',
        HealthCheckProtocol: 'HTTP',
        HealthCheckPath: hc.path,
        HealthCheckIntervalSeconds: hc.intervalSeconds,
        HealthCheckTimeoutSeconds: healthCheckTimeoutSeconds(service),
        HealthyThresholdCount: hc.healthyThreshold,
        UnhealthyThresholdCount: hc.unhealthyThreshold,
        Matcher: { HttpCode: '200-399' },
        TargetGroupAttributes: [
          // A leaving instance (old group after a deploy, new group in a rollback) keeps its
          // in-flight requests for at least the proxy's read timeout.
          { Key: 'deregistration_delay.timeout_seconds', Value: String(deregistrationDelaySeconds(service)) },
          // New instances take live requests as soon as they are healthy here, before they
          // signal: their share ramps up over this many seconds instead of all at once.
          { Key: 'slow_start.duration_seconds', Value: String(lb.slowStartSeconds) },
        ],
      },
    },
    [LogicalIds.listenerRule]: {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn: lb.listenerArn,
        Priority: lb.rule.priority,
        Conditions: conditions.length ? conditions : [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: { Ref: LogicalIds.targetGroup } }],
      },
    },
  };
}

export function dnsResources(service: ResolvedService): Record<string, CfnResource> {
  const dns = service.network.dns;
  const lb = service.network.loadBalancer;
  if (!dns || !lb?.dnsName || !lb.canonicalHostedZoneId) return {};
  return {
    [LogicalIds.dnsRecord]: {
      Type: 'AWS::Route53::RecordSet',
      Properties: {
        ...(dns.hostedZoneId ? { HostedZoneId: dns.hostedZoneId } : { HostedZoneName: dns.hostedZoneName }),
        Name: dns.name,
        Type: 'A',
        AliasTarget: { DNSName: lb.dnsName, HostedZoneId: lb.canonicalHostedZoneId, EvaluateTargetHealth: true },
      },
    },
  };
}

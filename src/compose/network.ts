/** Security group, load balancer attachment and DNS for the service. */
import type { ResolvedService } from '../descriptor/schema.js';
import type { CfnResource } from './template.js';
import { LogicalIds } from './template.js';

export function securityGroupResource(service: ResolvedService, proxyPort: number): Record<string, CfnResource> {
  const lb = service.network.loadBalancer;
  // Traffic reaches instances only through the reverse proxy, and only from the load balancer
  // (or the declared CIDRs); the app port itself is never opened.
  const ingress = [
    ...(lb?.securityGroupId ? [{ IpProtocol: 'tcp', FromPort: proxyPort, ToPort: proxyPort, SourceSecurityGroupId: lb.securityGroupId, Description: 'load balancer to reverse proxy' }] : []),
    ...service.network.ingressCidrs.map((cidr) => ({ IpProtocol: 'tcp', FromPort: proxyPort, ToPort: proxyPort, CidrIp: cidr, Description: 'declared ingress to reverse proxy' })),
  ];
  return {
    [LogicalIds.securityGroup]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${service.service} instances`,
        VpcId: service.network.vpcId,
        ...(ingress.length ? { SecurityGroupIngress: ingress } : {}),
        Tags: [{ Key: 'Name', Value: { 'Fn::Sub': '${AWS::StackName}-instances' } }],
      },
    },
  };
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
        HealthyThresholdCount: Math.max(2, hc.healthyThreshold),
        UnhealthyThresholdCount: 2,
        Matcher: { HttpCode: '200-399' },
        // Old instances drain quickly once the new group is live; long-running requests get 30s.
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
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

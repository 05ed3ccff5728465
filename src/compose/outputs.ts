/** Stack outputs: what a person or another stack needs to find this service and its release. */
import type { ResolvedService } from '../descriptor/schema.js';
import { SHIPPER_VERSION } from '../version.js';
import type { CfnTemplate } from './template.js';
import { LogicalIds, ParameterNames } from './template.js';

export function stackOutputs(service: ResolvedService): CfnTemplate['Outputs'] {
  const lb = service.network.loadBalancer;
  return {
    ...(service.network.dns ? { Route53Name: { Description: 'DNS name of the service', Value: service.network.dns.name } } : {}),
    ...(lb?.dnsName ? { LoadBalancerAddress: { Description: 'Load balancer in front of the service', Value: lb.dnsName } } : {}),
    IamRoleArn: { Description: 'Role the instances run with', Value: { 'Fn::GetAtt': [LogicalIds.instanceRole, 'Arn'] } },
    AutoScalingGroupName: { Description: 'The live Auto Scaling group', Value: { Ref: LogicalIds.autoScalingGroup } },
    ShipperVersion: { Description: 'shipper version that deployed this release', Value: SHIPPER_VERSION },
    ImageTag: { Description: 'Image tag of the live release', Value: { Ref: ParameterNames.imageTag } },
    ImageDigest: { Description: 'Image digest of the live release', Value: { Ref: ParameterNames.imageDigest } },
  };
}

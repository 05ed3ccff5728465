/** The CloudFormation template shape shipper composes, and the logical ids it owns. */

export interface CfnTemplate {
  AWSTemplateFormatVersion: '2010-09-09';
  Description: string;
  Metadata?: Record<string, unknown>;
  Parameters: Record<string, Record<string, unknown>>;
  Mappings?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Rules?: Record<string, unknown>;
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Description?: string; Value: unknown; Export?: unknown; Condition?: string }>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  CreationPolicy?: Record<string, unknown>;
  UpdatePolicy?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

/**
 * Logical ids are part of shipper's contract: fragments may reference them (`!Ref InstanceRole`)
 * and renaming one would make CloudFormation replace the resource on the next deploy.
 */
export const LogicalIds = {
  autoScalingGroup: 'AutoScalingGroup',
  launchTemplate: 'LaunchTemplate',
  instanceRole: 'InstanceRole',
  instanceProfile: 'InstanceProfile',
  securityGroup: 'InstanceSecurityGroup',
  targetGroup: 'TargetGroup',
  listenerRule: 'ListenerRule',
  dnsRecord: 'DnsRecord',
} as const;

export const ParameterNames = {
  imageTag: 'ImageTag',
  imageDigest: 'ImageDigest',
  desiredCapacity: 'DesiredCapacity',
  amiId: 'AmiId',
} as const;

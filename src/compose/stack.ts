/**
 * Compose the complete stack for one service in one environment: a pure function of the
 * descriptor, the environment and the release facts. `render` prints it; `deploy` submits it.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { AL2023_AMI_PARAMETER } from '../descriptor/schema.js';
import { SHIPPER_VERSION } from '../version.js';
import { LAUNCH_HOOK_NAME, bootBudgetSeconds } from './boot-budget.js';
import { bootScriptStatements } from './boot-iam.js';
import { bootLogGroupName, bootLogGroupResources } from './boot-log.js';
import { isoDurationSeconds } from './checks.js';
import { mergeFragment } from './fragment-merge.js';
import { bakeAlarmResources } from './bake-alarms.js';
import { autoScalingGroupResource, launchTemplateResource, scheduledActionResources } from './group.js';
import { instanceRoleResources } from './iam.js';
import { appImageLocation, ecrRepositoryArn } from './image.js';
import { dnsResources, loadBalancerResources, securityGroupResource, targetGroupArn } from './network.js';
import { stackOutputs } from './outputs.js';
import type { ReleaseFacts } from './release-facts.js';
import { composeSidecars } from './sidecars/index.js';
import { pinSidecarImages, registryLogins } from './sidecars/pinned-images.js';
import { LogicalIds, ParameterNames, type CfnTemplate } from './template.js';
import { userDataProperty } from './user-data.js';
import { StackTags } from '../instances/identity.js';
import { withInstance } from '../instances/compose.js';

export function composeStack(target: ServiceEnvironment, facts: ReleaseFacts = {}): CfnTemplate {
  const { service, env, stackName } = target;
  const sidecars = pinSidecarImages(composeSidecars({ service, env, stackName, region: service.region, accountId: service.account, instance: target.instance?.name }), facts.sidecarImages);
  const proxyPort = service.sidecars['reverse-proxy'].enabled ? service.sidecars['reverse-proxy'].listenPort : service.port;
  const image = appImageLocation(service);
  const tgArn = targetGroupArn(service);
  const tags = [
    { Key: 'Name', Value: target.instance ? `${service.service}-${env}-${target.instance.name}` : `${service.service}-${env}` },
    { Key: 'shipper:service', Value: service.service },
    { Key: 'shipper:environment', Value: env },
    ...(target.instance ? [{ Key: StackTags.instance, Value: target.instance.name }] : []),
    ...Object.entries(service.tags).map(([Key, Value]) => ({ Key, Value })),
  ];

  const userData = userDataProperty({
    stackName,
    region: service.region,
    resourceLogicalId: LogicalIds.autoScalingGroup,
    app: {
      repository: image.uri,
      digest: { Ref: ParameterNames.imageDigest },
      port: service.port,
      environment: service.environment,
      secrets: service.secrets,
    },
    sidecars: sidecars.map((s) => s.container),
    health: {
      path: service.healthCheck.path,
      proxyPort,
      intervalSeconds: service.healthCheck.intervalSeconds,
      healthyThreshold: service.healthCheck.healthyThreshold,
    },
    // never below 1 here: templateProblems explains a signal timeout too short for any boot
    bootBudgetSeconds: Math.max(1, bootBudgetSeconds(isoDurationSeconds(service.signalTimeout) ?? 0)),
    launchHookName: LAUNCH_HOOK_NAME,
    logGroupName: bootLogGroupName(service, env),
    ...(tgArn ? { targetGroupArn: tgArn as never } : {}),
    registryLogins: registryLogins(service),
    allowUnresolvedImages: facts.sidecarImages === undefined,
  });

  const repositoryArns = [
    `arn:\${AWS::Partition}:ecr:${image.registryRegion}:${image.registryAccount}:repository/${image.repositoryName}`,
    ...sidecars.flatMap((s) => ecrRepositoryArn(s.container.image) ?? []),
  ];
  // The instance reads each private registry's credentials to log in before it pulls.
  const secrets = [...Object.values(service.secrets), ...registryLogins(service).map((l) => l.secret)];

  const amiParameter = service.instance.ami.startsWith('resolve:ssm:')
    ? { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: service.instance.ami.slice('resolve:ssm:'.length) }
    : { Type: 'AWS::EC2::Image::Id', Default: service.instance.ami };

  const template: CfnTemplate = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${service.service} (${env}), deployed by shipper ${SHIPPER_VERSION}. Change shipper.yml, not this stack.`,
    Metadata: { Shipper: { Version: SHIPPER_VERSION, Service: service.service, Environment: env } },
    Parameters: {
      [ParameterNames.imageTag]: {
        Type: 'String',
        Description: 'Image tag of this release (for people; the digest is what runs)',
        ...(facts.imageTag ? { Default: facts.imageTag } : {}),
      },
      [ParameterNames.imageDigest]: {
        Type: 'String',
        Description: 'Image digest the instances run',
        AllowedPattern: '^sha256:[a-f0-9]{64}$',
        ConstraintDescription: 'must be sha256: followed by 64 lowercase hex digits',
        ...(facts.imageDigest ? { Default: facts.imageDigest } : {}),
      },
      [ParameterNames.desiredCapacity]: {
        Type: 'Number',
        Description: 'Instances the new group starts with (the live group size when it has scaled out)',
        Default: facts.desiredCapacity ?? service.capacity.desired,
        MinValue: service.capacity.min,
        MaxValue: service.capacity.max,
      },
      [ParameterNames.amiId]: { ...amiParameter, Description: `Machine image (default: Amazon Linux 2023, ${AL2023_AMI_PARAMETER})` },
    },
    Resources: {
      ...instanceRoleResources({
        service,
        repositoryArns,
        secrets,
        readsTargetHealth: tgArn !== undefined,
        sidecarStatements: sidecars.flatMap((s) => s.iamStatements),
        bootStatements: bootScriptStatements({ logicalGroupId: LogicalIds.autoScalingGroup, logGroupName: bootLogGroupName(service, env) }),
      }),
      ...securityGroupResource(service, proxyPort),
      ...loadBalancerResources(service, proxyPort),
      ...launchTemplateResource({ service, userData, targetGroupArn: tgArn, tags }),
      ...autoScalingGroupResource({ service, userData, targetGroupArn: tgArn, tags }),
      ...scheduledActionResources(service),
      ...dnsResources(service),
      ...bakeAlarmResources(service, stackName),
      ...Object.assign({}, ...sidecars.map((s) => s.resources)),
      ...bootLogGroupResources(service, env, Object.assign({}, ...sidecars.map((s) => s.resources))),
    },
    Outputs: stackOutputs(service),
  };
  const composed = target.instance ? withInstance(template, target.instance) : template;
  return target.fragment ? mergeFragment(composed, target.fragment) : composed;
}

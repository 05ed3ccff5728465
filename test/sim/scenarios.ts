/**
 * Templates shaped like the ones shipper composes, and ready-made worlds for the situations a
 * deploy must handle. The default scenario replays the real update in
 * test/fixtures/charge-central-deploy-test.events.tsv: one instance signals SUCCESS 3m26s
 * after the new group is created, and the old group takes about two minutes to delete.
 */
import { SimCloud, type SimCloudOptions } from './cloud.js';
import { LAUNCH_FAILURE_REASONS } from './launch-failures.js';
import type { InstanceScript } from './instances.js';
import type { SeededStack } from './seed.js';

export const DIGEST_A = 'sha256:5b0b2a6c1b4cfe3a1b1f6b1d4c7f0e9a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a';
export const DIGEST_B = 'sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271605f4e3d2c1b0a';

export interface ServiceTemplateOptions {
  /** How instances are launched: a launch template (what shipper composes) or a launch configuration. */
  launch?: 'template' | 'configuration';
  /** Logical ids of scheduled actions on the group. */
  scheduledActions?: string[];
  signalTimeout?: string;
  minSuccessfulInstancesPercent?: number;
  maxSize?: number;
  /** More resources, e.g. the service's own fragment. */
  extraResources?: Record<string, unknown>;
}

/** A stack like shipper's: the image digest lives in the launch template's user data. */
export function serviceTemplate(opts: ServiceTemplateOptions = {}): string {
  const launch = opts.launch ?? 'template';
  const userData = {
    'Fn::Base64': {
      'Fn::Sub': '#!/bin/bash\nset -euo pipefail\nexport IMAGE_DIGEST=${ImageDigest}\n/opt/shipper/boot.sh\ncfn-signal --stack ${AWS::StackName} --resource AutoScalingGroup --region ${AWS::Region} --id "$(instance-id)" -e $?\n',
    },
  };
  const resources: Record<string, unknown> = {};
  if (launch === 'template') {
    resources.LaunchTemplate = {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: { LaunchTemplateData: { ImageId: { Ref: 'AmiId' }, InstanceType: 't3.small', UserData: userData } },
    };
  } else {
    resources.LaunchConfiguration = {
      Type: 'AWS::AutoScaling::LaunchConfiguration',
      Properties: { ImageId: { Ref: 'AmiId' }, InstanceType: 't3.small', UserData: userData },
    };
  }
  resources.AutoScalingGroup = {
    Type: 'AWS::AutoScaling::AutoScalingGroup',
    Properties: {
      MinSize: '1',
      MaxSize: String(opts.maxSize ?? 4),
      DesiredCapacity: { Ref: 'DesiredCapacity' },
      VPCZoneIdentifier: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'],
      ...(launch === 'template'
        ? { LaunchTemplate: { LaunchTemplateId: { Ref: 'LaunchTemplate' }, Version: { 'Fn::GetAtt': ['LaunchTemplate', 'LatestVersionNumber'] } } }
        : { LaunchConfigurationName: { Ref: 'LaunchConfiguration' } }),
      Tags: [{ Key: 'Name', Value: { Ref: 'AWS::StackName' }, PropagateAtLaunch: true }],
    },
    CreationPolicy: {
      ResourceSignal: { Count: { Ref: 'DesiredCapacity' }, Timeout: opts.signalTimeout ?? 'PT15M' },
      AutoScalingCreationPolicy: { MinSuccessfulInstancesPercent: opts.minSuccessfulInstancesPercent ?? 100 },
    },
    UpdatePolicy: { AutoScalingReplacingUpdate: { WillReplace: true } },
  };
  for (const [i, id] of (opts.scheduledActions ?? []).entries()) {
    resources[id] = {
      Type: 'AWS::AutoScaling::ScheduledAction',
      Properties: { AutoScalingGroupName: { Ref: 'AutoScalingGroup' }, Recurrence: i % 2 === 0 ? '0 20 * * *' : '0 7 * * 1-5', MinSize: 1, DesiredCapacity: 1 },
    };
  }
  Object.assign(resources, opts.extraResources);
  return JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: {
      ImageDigest: { Type: 'String' },
      DesiredCapacity: { Type: 'Number', Default: 2 },
      AmiId: { Type: 'AWS::EC2::Image::Id', Default: 'ami-0a1b2c3d4e5f60718' },
    },
    Resources: resources,
    Outputs: { GroupName: { Value: { Ref: 'AutoScalingGroup' } } },
  });
}

export interface Scenario {
  cloud: SimCloud;
  stackName: string;
  /** The template and parameters of the deploy under test. */
  templateBody: string;
  parameters: Record<string, string>;
  /** The stack before the deploy (absent for a first create). */
  seeded?: SeededStack;
}

export interface UpdateScenarioOptions extends ServiceTemplateOptions {
  stackName?: string;
  desired?: number;
  liveDesiredCapacity?: number;
  instances?: InstanceScript[];
  cloud?: SimCloudOptions;
}

/** A live stack serving DIGEST_A, about to be updated to DIGEST_B. */
export function updateScenario(opts: UpdateScenarioOptions = {}): Scenario {
  const cloud = new SimCloud(opts.cloud);
  const stackName = opts.stackName ?? 'hello-test';
  const templateBody = serviceTemplate(opts);
  const desired = String(opts.desired ?? 2);
  cloud.ecr.addImage('hello', 'v1', DIGEST_A).addImage('hello', 'v2', DIGEST_B);
  const seeded = cloud.seedStack({
    stackName,
    templateBody,
    parameters: { ImageDigest: DIGEST_A, DesiredCapacity: desired },
    status: 'UPDATE_COMPLETE',
    liveDesiredCapacity: opts.liveDesiredCapacity,
    tags: { service: 'hello', environment: 'test' },
  });
  if (opts.instances) cloud.scriptInstances(opts.instances);
  return { cloud, stackName, templateBody, parameters: { ImageDigest: DIGEST_B, DesiredCapacity: desired }, seeded };
}

/** The fixture's deploy: charge-central-test, one instance, two scheduled actions, default timings. */
export function fixtureReplayScenario(launch: 'template' | 'configuration' = 'template'): Scenario {
  return updateScenario({
    stackName: 'charge-central-test',
    desired: 1,
    launch,
    scheduledActions: ['ScheduledAction674c724b', 'ScheduledAction72f2dd39'],
    cloud: { start: '2017-06-12T06:15:38Z' },
  });
}

/** One of two new instances signals FAILURE (its app never got healthy). */
export function failureSignalScenario(): Scenario {
  return updateScenario({ instances: [{ signal: 'SUCCESS', afterSeconds: 200 }, { signal: 'FAILURE', afterSeconds: 180 }] });
}

/** Neither new instance ever signals: the creation policy's timeout runs out. */
export function signalTimeoutScenario(): Scenario {
  return updateScenario({ signalTimeout: 'PT10M', instances: [{ signal: 'NONE', afterSeconds: 0 }, { signal: 'NONE', afterSeconds: 0 }] });
}

/** EC2 refuses every launch of the new group, so nothing can signal. */
export function launchFailureScenario(reason: string = LAUNCH_FAILURE_REASONS.vcpuLimit): Scenario {
  const scenario = updateScenario({ signalTimeout: 'PT10M' });
  scenario.cloud.failLaunches({ reason, attempts: 'always' });
  return scenario;
}

/** A first deploy: no stack yet. */
export function firstCreateScenario(instances?: InstanceScript[]): Scenario {
  const cloud = new SimCloud();
  cloud.ecr.addImage('hello', 'v1', DIGEST_A);
  if (instances) cloud.scriptInstances(instances);
  return { cloud, stackName: 'hello-test', templateBody: serviceTemplate(), parameters: { ImageDigest: DIGEST_A, DesiredCapacity: '2' } };
}

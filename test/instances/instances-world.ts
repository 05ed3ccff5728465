/**
 * A test environment with its main stack deployed (as `shipper deploy` leaves it) and instance
 * stacks created directly in the simulated cloud with the tags every instance carries
 * (src/instances/identity.ts), plus each instance's own release history.
 */
import { historyParameterNames } from '../../src/releases/store.js';
import { composeStack } from '../../src/compose/stack.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { StackTags, instanceStackName } from '../../src/instances/identity.js';
import { RECORD_FORMAT } from '../../src/releases/record.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { DIGEST_V2, STACK, world, type World } from '../deploy/harness.js';

export interface InstanceSeed {
  name: string;
  owner?: string;
  branch?: string;
  /** ISO 8601 UTC; absent: the instance never expires. */
  expiresAt?: string;
  /** Tags that differ from what shipper writes (a foreign stack named like an instance). */
  tags?: Record<string, string>;
  /** Write one live release to the instance's own history. */
  release?: boolean;
}

export function instanceWorld(instances: InstanceSeed[]): World {
  const base = world({ live: true });
  // CloudWatch Logs as well, so retained log groups can be found and removed.
  const w: World = { ...base, run: (args, o = {}) => base.run(args, { ...o, deps: { clients: async () => ({ ...base.cloud.clients(), retainedLogGroups: base.cloud.logs }), ...o.deps } }) };
  for (const seed of instances) seedInstance(w, seed);
  return w;
}

/** An instance's own log group names (the template's, under the instance), as its deploy makes them. */
export function instanceLogGroup(instance: string, suffix = ''): string {
  return `/shipper/hello/test/instances/${instance}${suffix}`;
}

export function seedInstance(w: World, seed: InstanceSeed): string {
  const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });
  const stackName = instanceStackName(STACK, seed.name);
  const template = composeStack(target, { imageTag: 'pr-build', imageDigest: DIGEST_V2, sidecarImages: w.registry.pinnedFor(target.service) });
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::Logs::LogGroup' || typeof resource.Properties?.LogGroupName !== 'string') continue;
    const name = instanceLogGroup(seed.name, resource.Properties.LogGroupName.endsWith('/prometheus') ? '/prometheus' : '');
    resource.Properties.LogGroupName = name;
    // CloudFormation created it with the template's tag, and DeleteStack will retain it.
    w.cloud.logs.createGroup(name, { 'shipper:stack': stackName });
  }
  const tags = seed.tags ?? {
    [StackTags.service]: 'hello',
    [StackTags.environment]: 'test',
    [StackTags.managedBy]: 'shipper',
    [StackTags.instance]: seed.name,
    ...(seed.owner ? { [StackTags.owner]: seed.owner } : {}),
    ...(seed.branch ? { [StackTags.branch]: seed.branch } : {}),
    ...(seed.expiresAt ? { [StackTags.expiresAt]: seed.expiresAt } : {}),
  };
  w.cloud.seedStack({
    stackName,
    templateBody: JSON.stringify(template),
    parameters: { ImageTag: 'pr-build', ImageDigest: DIGEST_V2, DesiredCapacity: '1' },
    tags,
    status: 'CREATE_COMPLETE',
    idleSecondsAfter: 60,
  });
  if (seed.release) {
    const names = historyParameterNames('hello', 'test', seed.name);
    const startedAt = w.cloud.clock.now().toISOString();
    const start = { shipper: RECORD_FORMAT, kind: 'deploy', service: 'hello', env: 'test', stackName, imageTag: 'pr-build', imageDigest: DIGEST_V2, by: seed.owner ?? 'alice', shipperVersion: '0.1.0', startedAt };
    void w.cloud.ssm.putParameter({ Name: names.releases, Value: JSON.stringify(start), Type: 'String', Overwrite: true });
    void w.cloud.ssm.putParameter({ Name: names.outcomes, Value: JSON.stringify({ shipper: RECORD_FORMAT, release: 1, outcome: 'live', endedAt: startedAt }), Type: 'String', Overwrite: true });
  }
  return stackName;
}

/** An ISO time this many hours from the simulated now (negative: in the past). */
export function hoursFromNow(w: World, hours: number): string {
  return new Date(w.cloud.clock.now().getTime() + hours * 3600_000).toISOString();
}

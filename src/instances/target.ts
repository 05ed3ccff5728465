/**
 * The environment's main target turned into one short-lived instance of it: its own stack,
 * group size, host name, listener rule, log groups and release history. Every check here runs
 * before any AWS call, so a bad name or an environment that did not opt in costs nothing.
 */
import { BadInputError } from '../errors.js';
import { appLogGroupName } from '../compose/sidecars/names.js';
import type { ResolvedService, ServiceEnvironment } from '../descriptor/schema.js';
import { INSTANCE_NAME, instanceStackName } from './identity.js';
import { parseTtl, TTL_EXAMPLES } from './ttl.js';

export type { InstanceTarget } from './instance-target.js';

/** The default size of an instance's group: one instance, room for a second. */
const INSTANCE_CAPACITY = { min: 1, desired: 1, max: 2 };

/** CloudFormation stack names: at most 128 characters. */
const MAX_STACK_NAME = 128;

export function instanceTarget(main: ServiceEnvironment, request: { name: string; ttl?: string }): ServiceEnvironment {
  const { name } = request;
  checkInstanceName(name);
  const declared = main.service.instances;
  const where = main.locateKey?.(['protected']);
  if (main.service.protected) {
    throw new BadInputError({
      ...(where ? { location: where } : {}),
      path: '--instance',
      message: `environment "${main.env}" is protected: it has no short-lived instances`,
      hint: 'deploy instances to an environment that declares instances: (e.g. --env test)',
    });
  }
  if (!declared) {
    throw new BadInputError({
      path: '--instance',
      message: `environment "${main.env}" does not allow short-lived instances`,
      expected: `environments.${main.env}.instances in ${main.descriptorPath}`,
      hint: `opt in with e.g.\n  environments:\n    ${main.env}:\n      instances:\n        ttl: 3d`,
    });
  }
  const ttlText = request.ttl ?? declared.ttl;
  const ttl = parseTtl(ttlText);
  if ('problem' in ttl) throw new BadInputError({ path: request.ttl ? '--ttl' : 'instances.ttl', message: ttl.problem, expected: TTL_EXAMPLES });
  const stackName = instanceStackName(main.stackName, name);
  if (stackName.length > MAX_STACK_NAME) {
    throw new BadInputError({ path: '--instance', message: `the stack ${stackName} would be longer than CloudFormation's ${MAX_STACK_NAME} characters`, hint: 'use a shorter instance name' });
  }
  const service = main.service;
  const hostName = instanceHostName(service, name);
  return {
    ...main,
    stackName,
    instance: { name, mainStackName: main.stackName, ttlMs: ttl.ms, mainHasHostHeader: Boolean(service.network.loadBalancer?.rule?.hostHeader), ...(hostName ? { hostName } : {}) },
    service: instanceService(service, main.env, name, hostName),
  };
}

export function checkInstanceName(name: string): void {
  if (!INSTANCE_NAME.test(name)) {
    throw new BadInputError({
      path: '--instance',
      message: `"${name}" is not an instance name`,
      expected: 'lowercase letters, digits and dashes, starting with a letter and not ending with a dash, at most 31 characters (e.g. pr-123)',
      hint: 'it becomes part of a stack name, a DNS label and an SSM path',
    });
  }
  if (/^i-[0-9a-f]{8,17}$/.test(name)) {
    // `shipper logs --instance` also takes an EC2 instance id; an instance name never looks like one.
    throw new BadInputError({ path: '--instance', message: `"${name}" looks like an EC2 instance id`, hint: 'name the instance after its branch or ticket, e.g. pr-123' });
  }
}

/** `{instance}.hello.test.example.com`: the declared pattern, else the instance in front of the service's own name. */
function instanceHostName(service: ResolvedService, name: string): string | undefined {
  const pattern = service.instances?.dnsName;
  if (pattern) return pattern.replaceAll('{instance}', name).replace(/\.$/, '');
  const base = service.network.dns?.name ?? service.network.loadBalancer?.rule?.hostHeader;
  return base ? `${name}.${base.replace(/\.$/, '')}` : undefined;
}

function instanceService(service: ResolvedService, env: string, name: string, hostName: string | undefined): ResolvedService {
  const lb = service.network.loadBalancer;
  const logRouter = service.sidecars['log-router'];
  return {
    ...service,
    capacity: service.instances?.capacity ?? INSTANCE_CAPACITY,
    // Schedules size the environment's main group; a copy for a branch stays as it was deployed.
    scheduledActions: [],
    network: {
      ...service.network,
      ...(lb
        ? {
            loadBalancer: {
              ...lb,
              // The priority is chosen at deploy time (listener-priority.ts); the host header keeps
              // the main service's requests away from the instance whatever the priority.
              ...(lb.rule ? { rule: { ...lb.rule, ...(hostName ? { hostHeader: hostName } : {}) } } : {}),
            },
          }
        : {}),
      ...(service.network.dns && hostName ? { dns: { ...service.network.dns, name: hostName } } : {}),
    },
    sidecars: {
      ...service.sidecars,
      // Beside the main stack's group, never in it: `shipper logs --instance` reads this one.
      'log-router': { ...logRouter, logGroup: instanceLogGroupName(appLogGroupName(service, env), name) },
    },
  };
}

export function instanceLogGroupName(mainLogGroup: string, name: string): string {
  return `${mainLogGroup}/instances/${name}`;
}

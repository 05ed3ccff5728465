/** What a deployer of an environment's instances may touch: every instance's stack, history and log groups, by prefix. */
import type { PolicyScope } from '../aws/deployer-policy.js';
import { appLogGroupName, prometheusLogGroupName } from '../compose/sidecars/names.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { historyParameterNames } from '../releases/store.js';
import { instanceStackName } from './identity.js';
import { instanceLogGroupName } from './target.js';

export function instancesPolicyScope(main: ServiceEnvironment): NonNullable<PolicyScope['instances']> {
  const { service, env } = main;
  const anyInstance = '*';
  return {
    stackNamePattern: instanceStackName(main.stackName, anyInstance),
    parameterPattern: historyParameterNames(service.service, env, anyInstance).releases.replace(/\*\/releases$/, '*'),
    logGroupPatterns: [...new Set([instanceLogGroupName(appLogGroupName(service, env), anyInstance), prometheusLogGroupName(service, env, anyInstance)])].filter(
      (pattern, _i, all) => !all.some((other) => other !== pattern && other.endsWith('*') && pattern.startsWith(other.slice(0, -1))),
    ).sort(),
  };
}

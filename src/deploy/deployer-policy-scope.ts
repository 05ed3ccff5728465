/** What one environment's deployer policy is scoped to, read from its descriptor (offline). */
import type { PolicyScope } from '../aws/deployer-policy.js';
import { bootLogGroupName } from '../compose/boot-log.js';
import { appImageLocation } from '../compose/image.js';
import { PLACEHOLDER_RELEASE } from '../compose/offline-checks.js';
import { declaredSidecarImages } from '../compose/sidecars/images.js';
import { composeStack } from '../compose/stack.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { historyParameterNames } from '../releases/store.js';
import { instancesPolicyScope } from '../instances/policy-scope.js';
import { ecrRegistry, imageReference } from '../registry/reference.js';

export function deployerPolicyScope(target: ServiceEnvironment): PolicyScope {
  const { service, env } = target;
  const app = appImageLocation(service);
  const sidecarRepositories = declaredSidecarImages(service).flatMap((d) => {
    const ref = imageReference(d.image);
    const registry = ecrRegistry(ref);
    return registry ? [{ account: registry.account, region: registry.region, name: ref.repository }] : [];
  });
  const repositories = [{ account: app.registryAccount, region: app.registryRegion, name: app.repositoryName }, ...sidecarRepositories];
  const credentials = declaredSidecarImages(service).flatMap((d) => (d.registryCredentials ? [d.registryCredentials] : []));
  // The log groups the stack creates: found, and removed when a failed first create retained them.
  const template = composeStack(target, PLACEHOLDER_RELEASE);
  const templateGroups = Object.values(template.Resources).flatMap((r) => (r.Type === 'AWS::Logs::LogGroup' && typeof r.Properties?.LogGroupName === 'string' ? [r.Properties.LogGroupName] : []));
  return {
    partition: partitionOf(service.roleArn, service.region),
    region: service.region,
    account: service.account,
    stackName: target.stackName,
    parameters: Object.values(historyParameterNames(service.service, env)).sort(),
    repositories: uniqueBy(repositories, (r) => `${r.account}/${r.region}/${r.name}`),
    logGroups: [...new Set(templateGroups)].sort(),
    bootLogGroup: bootLogGroupName(service, env),
    credentialParameters: [...new Set(credentials.map((ref) => ('ssm' in ref ? ref.ssm : `/aws/reference/secretsmanager/${ref.secretsManager}`)))].sort(),
    credentialSecrets: [...new Set(credentials.flatMap((ref) => ('secretsManager' in ref ? [ref.secretsManager] : [])))].sort(),
    ...(service.instances ? { instances: instancesPolicyScope(target) } : {}),
    ...(service.cloudFormationRoleArn ? { cloudFormationRoleArn: service.cloudFormationRoleArn } : {}),
  };
}

/** aws, aws-cn or aws-us-gov: from the role's ARN when there is one, else from the region. */
function partitionOf(roleArn: string | undefined, region: string): string {
  if (roleArn) return roleArn.split(':')[1] ?? 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

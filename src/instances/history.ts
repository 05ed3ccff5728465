/**
 * Where an instance keeps its release history (beside the environment's own, under
 * `instances/<instance>`), and the name patterns the deployer policy grants for instances.
 */
import { historyParameterNames } from '../releases/store.js';

export function instanceHistoryParameterNames(service: string, env: string, instance: string): { releases: string; outcomes: string } {
  const base = `/shipper/${service}/${env}/instances/${instance}`;
  return { releases: `${base}/releases`, outcomes: `${base}/outcomes` };
}

/** What the deployer may touch for the instances of one environment. */
export function instancePolicyScope(service: string, env: string, mainStackName: string): { stackPattern: string; parameterPattern: string } {
  const environmentBase = historyParameterNames(service, env).releases.replace(/\/releases$/, '');
  return { stackPattern: `${mainStackName}-*`, parameterPattern: `${environmentBase}/instances/*` };
}

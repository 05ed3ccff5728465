/**
 * The sidecars of an instance, composed from the service descriptor: what runs beside the app
 * and what each adds to the stack (IAM statements, resources).
 */
import { BadInputError } from '../../errors.js';
import type { SidecarContribution } from '../containers.js';
import { checkCustomSidecars, customSidecar } from './custom.js';
import { APP_CONTAINER_NAME, type SidecarInput } from './input.js';
import { LOG_ROUTER_NAME, logRouterForwardPort, logRouterSidecar } from './log-router.js';
import { METRICS_COLLECTOR_NAME, metricsCollectorSidecar } from './metrics-collector.js';
import { REVERSE_PROXY_NAME, reverseProxySidecar } from './reverse-proxy.js';

export type { SidecarInput } from './input.js';
export { APP_CONTAINER_NAME } from './input.js';
export { appLogGroupName, metricsNamespace, prometheusLogGroupName, APP_LOG_GROUP_LOGICAL_ID, PROMETHEUS_LOG_GROUP_LOGICAL_ID } from './names.js';
export { LOG_ROUTER_NAME, SPLUNK_TOKEN_ENV, logRouterForwardPort, renderFluentBitConf } from './log-router.js';
export { REVERSE_PROXY_NAME, nginxTemplateValues, renderNginxConf, type NginxTemplateValues } from './reverse-proxy.js';
export { METRICS_COLLECTOR_NAME, cloudWatchAgentConfig, renderPrometheusConfig, prometheusTarget } from './metrics-collector.js';

/**
 * Every enabled sidecar, in the order the boot script starts them: the log router first (every
 * other container logs through it), then the reverse proxy, the metrics collector, and the
 * service's own sidecars.
 */
export function composeSidecars(input: SidecarInput): SidecarContribution[] {
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(input.env)) {
    throw new BadInputError({ path: 'env', message: `"${input.env}" is not an environment name`, expected: 'lowercase letters, digits and dashes' });
  }
  const { sidecars } = input.service;
  const contributions: SidecarContribution[] = [];
  const takenPorts = new Map<number, string>();

  if (sidecars['log-router'].enabled) {
    contributions.push(logRouterSidecar(input));
    takenPorts.set(logRouterForwardPort(input), LOG_ROUTER_NAME);
  }
  if (sidecars['reverse-proxy'].enabled) {
    contributions.push(reverseProxySidecar(input));
    takenPorts.set(sidecars['reverse-proxy'].listenPort, REVERSE_PROXY_NAME);
  }
  if (sidecars['metrics-collector'].enabled) contributions.push(metricsCollectorSidecar(input));

  const builtInNames = [APP_CONTAINER_NAME, LOG_ROUTER_NAME, REVERSE_PROXY_NAME, METRICS_COLLECTOR_NAME];
  checkCustomSidecars(sidecars.custom, builtInNames, takenPorts);
  contributions.push(...sidecars.custom.map(customSidecar));

  // Docker refuses to start a container whose fluentd log driver has nothing to connect to.
  if (!sidecars['log-router'].enabled) {
    return contributions.map((c) => ({ ...c, container: { ...c.container, logsToRouter: false } }));
  }
  return contributions;
}

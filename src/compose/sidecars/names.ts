/**
 * Names the sidecars give to AWS resources, and the checks on names a descriptor may set.
 * Other parts of the stack (outputs, the boot script) use these too, so they live in one place.
 */
import { BadInputError } from '../../errors.js';
import type { ResolvedService } from '../../descriptor/schema.js';

/** CloudWatch Logs group the log router writes every container's logs to. */
export function appLogGroupName(service: ResolvedService, env: string): string {
  return service.sidecars['log-router'].logGroup ?? `/shipper/${service.service}/${env}`;
}

/** CloudWatch Logs group the metrics collector writes Prometheus metrics (as EMF) to. */
export function prometheusLogGroupName(service: ResolvedService, env: string, instance?: string): string {
  return `/shipper/${service.service}/${env}${instance ? `/instances/${instance}` : ''}/prometheus`;
}

/** CloudWatch metrics namespace for host, Docker and Prometheus metrics. */
export function metricsNamespace(service: ResolvedService): string {
  return service.sidecars['metrics-collector'].namespace ?? `Shipper/${service.service}`;
}

/** Logical ids of the resources the sidecars add to the stack. */
export const APP_LOG_GROUP_LOGICAL_ID = 'AppLogGroup';
export const PROMETHEUS_LOG_GROUP_LOGICAL_ID = 'PrometheusLogGroup';

// The retention periods CloudWatch Logs accepts; anything else fails the stack update late.
const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function checkRetentionDays(days: number): number {
  if (!RETENTION_DAYS.includes(days)) {
    throw new BadInputError({
      path: 'sidecars.log-router.retentionDays',
      message: `${days} is not a retention period CloudWatch Logs accepts`,
      expected: `one of ${RETENTION_DAYS.join(', ')}`,
    });
  }
  return days;
}

export function checkLogGroupName(name: string, path: string): string {
  if (!/^[A-Za-z0-9_\-/.#]{1,512}$/.test(name)) {
    throw new BadInputError({ path, message: `"${name}" is not a valid CloudWatch Logs group name`, expected: '1-512 characters from A-Z a-z 0-9 _ - / . #' });
  }
  return name;
}

export function checkNamespace(namespace: string): string {
  if (!/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(namespace) || namespace.startsWith('AWS/') || namespace.startsWith(':')) {
    throw new BadInputError({
      path: 'sidecars.metrics-collector.namespace',
      message: `"${namespace}" is not a valid CloudWatch namespace`,
      expected: '1-255 characters from A-Z a-z 0-9 . - _ / # :, not starting with AWS/ or :',
    });
  }
  return namespace;
}

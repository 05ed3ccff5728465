/**
 * What `shipper logs` reads for an environment: the log group, which streams, and what the
 * reader should be told about lines that are not there (Splunk output, the router's own output).
 */
import { bootLogGroupName } from '../compose/boot-log.js';
import { LOG_ROUTER_NAME } from '../compose/sidecars/log-router.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { PreflightError } from '../errors.js';
import { BOOT_CONTAINER } from './origin.js';
import type { LogQuery } from './read.js';
import { targetFlags } from '../instances/flags.js';

export interface LogSources {
  query: LogQuery;
  /** Said once on stderr before the lines. */
  notes: string[];
}

export function logSources(target: ServiceEnvironment, filters: { container?: string; instance?: string }): LogSources {
  const router = target.service.sidecars['log-router'];
  const query: LogQuery = {
    logGroupName: bootLogGroupName(target.service, target.env),
    stackName: target.stackName,
    region: target.service.region,
    ...(filters.container ? { container: filters.container } : {}),
    ...(filters.instance ? { instance: filters.instance } : {}),
  };
  const notes: string[] = [];
  const elsewhere = !router.enabled ? 'stay with Docker on each instance (the log router is disabled)' : router.output === 'splunk' ? `go to Splunk (${router.splunk?.host ?? 'sidecars.log-router.splunk'})` : undefined;
  if (elsewhere) {
    if (filters.container && filters.container !== BOOT_CONTAINER) {
      throw new PreflightError(`the ${filters.container} container's logs are not in CloudWatch Logs: they ${elsewhere}`, {
        hint: `CloudWatch Logs holds the boot logs only: shipper logs ${targetFlags(target)} --container boot`,
      });
    }
    notes.push(`the containers' logs ${elsewhere}; showing the boot logs from ${query.logGroupName} only`);
    query.bootOnly = true;
  }
  if (filters.container === LOG_ROUTER_NAME) {
    notes.push(`the log router cannot ship its own output: it stays with Docker on the instance (docker logs ${LOG_ROUTER_NAME})`);
  }
  return { query, notes };
}

/**
 * Where a failing instance leaves the end of its boot log: the service's app log group (the one
 * the log router writes to), stream `boot/<instance-id>`, one event per line, oldest first. The
 * failure report reads it after the rollback has terminated the instance. The group exists
 * whatever the log router's output, so an instance can always leave its last words.
 */
import type { ResolvedService } from '../descriptor/schema.js';
import { APP_LOG_GROUP_LOGICAL_ID, appLogGroupName } from './sidecars/index.js';
import { retainedLogGroup } from './sidecars/log-group.js';
import { checkLogGroupName, checkRetentionDays } from './sidecars/names.js';

/** Prefix of the log streams boot scripts write; the instance id follows. */
export const BOOT_LOG_STREAM_PREFIX = 'boot/';

export function bootLogGroupName(service: ResolvedService, env: string): string {
  return checkLogGroupName(appLogGroupName(service, env), 'sidecars.log-router.logGroup');
}

/** The app log group, for stacks whose log router does not create it (Splunk output, or no router). */
export function bootLogGroupResources(service: ResolvedService, env: string, existing: Record<string, unknown>): Record<string, unknown> {
  if (APP_LOG_GROUP_LOGICAL_ID in existing) return {};
  return {
    [APP_LOG_GROUP_LOGICAL_ID]: retainedLogGroup(bootLogGroupName(service, env), checkRetentionDays(service.sidecars['log-router'].retentionDays)),
  };
}

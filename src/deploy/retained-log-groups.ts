/**
 * Log groups outlive a failed first create (DeletionPolicy: Retain, see
 * src/compose/sidecars/log-group.ts), so what the instances wrote before the rollback
 * terminated them can still be read. The next create of the same stack would fail on
 * "already exists"; so before it, shipper looks for log groups the template creates that
 * already exist:
 *  - tagged `shipper:stack=<this stack>`: retained by an earlier create of this stack. It is
 *    deleted just before the new create (its logs were readable until this retry).
 *  - anything else: not shipper's to remove. The deploy is refused (exit 3, nothing changed).
 */
import type { RetainedLogGroupsApi } from '../aws/api.js';
import type { CfnTemplate } from '../compose/template.js';
import { LOG_GROUP_STACK_TAG } from '../compose/sidecars/log-group.js';
import { PreflightError } from '../errors.js';
import { aws, type DeployContext } from './context.js';

export interface RetainedLogGroup {
  name: string;
  logicalId: string;
}

/** Names of the log groups the template creates (and retains). */
function retainedNames(template: CfnTemplate): RetainedLogGroup[] {
  return Object.entries(template.Resources).flatMap(([logicalId, r]) => {
    const name = r.Properties?.LogGroupName;
    return r.Type === 'AWS::Logs::LogGroup' && r.DeletionPolicy === 'Retain' && typeof name === 'string' ? [{ name, logicalId }] : [];
  });
}

/**
 * Read-only: the template's log groups that exist already and were retained by this stack.
 * Throws PreflightError for one that exists and is not this stack's.
 */
export async function findRetainedLogGroups(ctx: DeployContext, template: CfnTemplate, stackName: string): Promise<RetainedLogGroup[]> {
  const api = ctx.clients.retainedLogGroups;
  if (!api) return [];
  const found: RetainedLogGroup[] = [];
  for (const group of retainedNames(template)) {
    const arn = await existingArn(ctx, api, group.name);
    if (!arn) continue;
    const tags = (await aws(ctx, () => api.listTagsForResource({ resourceArn: arn }))).tags ?? {};
    if (tags[LOG_GROUP_STACK_TAG] !== stackName) {
      throw new PreflightError(`log group ${group.name} already exists and was not created by stack ${stackName}, so creating ${group.logicalId} would fail`, {
        hint: `nothing was changed. Name another group (sidecars.log-router.logGroup), or delete that one if it is no longer needed: aws logs delete-log-group --log-group-name ${group.name}`,
      });
    }
    found.push(group);
  }
  return found;
}

/** Deletes the retained log groups of an earlier create of this stack, just before the new create. */
export async function removeRetainedLogGroups(ctx: DeployContext, template: CfnTemplate, stackName: string): Promise<void> {
  const api = ctx.clients.retainedLogGroups;
  if (!api) return;
  for (const group of await findRetainedLogGroups(ctx, template, stackName)) {
    ctx.reporter.emit({ type: 'info', message: `deleting log group ${group.name}, kept from an earlier failed create of ${stackName}, so this create can make it again` });
    await aws(ctx, () => api.deleteLogGroup({ logGroupName: group.name })).catch((err: unknown) => {
      if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
    });
  }
}

export async function existingArn(ctx: DeployContext, api: RetainedLogGroupsApi, name: string): Promise<string | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await aws(ctx, () => api.describeLogGroups({ logGroupNamePrefix: name, nextToken }));
    const match = page.logGroups?.find((g) => g.logGroupName === name);
    // ListTagsForResource wants the ARN without the trailing ":*" that `arn` carries.
    if (match) return match.logGroupArn ?? match.arn?.replace(/:\*$/, '');
    nextToken = page.nextToken;
  } while (nextToken);
  return undefined;
}

/**
 * What a deleted instance leaves outside its stack, and removing it:
 *  - its log groups: the template retains them (DeletionPolicy: Retain) so a failed first create
 *    stays readable, so DeleteStack skips them. A throwaway copy should leave nothing behind, so
 *    after DELETE_COMPLETE they are deleted, but only when tagged shipper:stack=<this stack>
 *    (CloudFormation tagged them when it made them); `--keep-logs` keeps them and says how to
 *    remove them later.
 *  - its release history (/shipper/<svc>/<env>/instances/<instance>/{releases,outcomes}): deleted
 *    too, unless `--keep-history`. The history describes a stack that no longer exists; kept, it
 *    would be continued by the next instance of the same name (pr-123 redeployed next month would
 *    start at release #8 and list releases it never had), and Parameter Store's standard tier
 *    holds at most 10,000 parameters per account and region, which hundreds of branches a month
 *    would fill. Who deployed what stays in CloudTrail. The main stack's history is never deleted,
 *    and neither are its log groups: they are the environment's record, not a throwaway copy's.
 */
import { LOG_GROUP_STACK_TAG } from '../compose/sidecars/log-group.js';
import { aws, type DeployContext } from '../deploy/context.js';
import { existingArn } from '../deploy/retained-log-groups.js';
import type { DestroyOutcome } from '../report/destroy-outcome.js';

/** The stack's log groups, read before the stack goes (its resources are not listed afterwards). */
export async function stackLogGroups(ctx: DeployContext, stackName: string): Promise<string[]> {
  const out = await aws(ctx, () => ctx.clients.cloudFormation.describeStackResources({ StackName: stackName }));
  return (out.StackResources ?? []).flatMap((r) => (r.ResourceType === 'AWS::Logs::LogGroup' && r.PhysicalResourceId ? [r.PhysicalResourceId] : []));
}

/** `keep`: why they stay (e.g. `--keep-logs`), or undefined to remove them. */
export async function removeLogGroups(ctx: DeployContext, stackName: string, names: string[], keep: string | undefined, region: string): Promise<DestroyOutcome['logGroups']> {
  const api = ctx.clients.retainedLogGroups;
  const results: DestroyOutcome['logGroups'] = [];
  for (const name of names) {
    const removeCommand = `aws logs delete-log-group --log-group-name ${name} --region ${region}`;
    if (keep) {
      results.push({ name, removed: false, detail: `${keep}; remove it with: ${removeCommand}` });
      continue;
    }
    if (!api) {
      results.push({ name, removed: false, detail: `remove it with: ${removeCommand}` });
      continue;
    }
    try {
      const arn = await existingArn(ctx, api, name);
      // Not retained (or already removed): nothing is left.
      if (!arn) continue;
      const tags = (await aws(ctx, () => api.listTagsForResource({ resourceArn: arn }))).tags ?? {};
      if (tags[LOG_GROUP_STACK_TAG] !== stackName) {
        results.push({ name, removed: false, detail: `not tagged ${LOG_GROUP_STACK_TAG}=${stackName}, so not shipper's to remove` });
        continue;
      }
      await aws(ctx, () => api.deleteLogGroup({ logGroupName: name })).catch((err: unknown) => {
        if (!(err instanceof Error && err.name === 'ResourceNotFoundException')) throw err;
      });
      results.push({ name, removed: true });
    } catch (err) {
      results.push({ name, removed: false, detail: `${(err as Error).message}; remove it with: ${removeCommand}` });
    }
  }
  return results;
}

export async function removeHistory(ctx: DeployContext, names: { releases: string; outcomes: string }, keep: boolean): Promise<NonNullable<DestroyOutcome['history']>> {
  const parameters = [names.releases, names.outcomes];
  if (keep) return { parameters, removed: false, detail: '--keep-history' };
  try {
    // DeleteParameters answers parameters that never existed (no deploy finished) as InvalidParameters: fine.
    await aws(ctx, () => ctx.clients.ssm.deleteParameters({ Names: parameters }));
    return { parameters, removed: true };
  } catch (err) {
    return { parameters, removed: false, detail: `${(err as Error).message}; remove it with: aws ssm delete-parameters --names ${parameters.join(' ')}` };
  }
}

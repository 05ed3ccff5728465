/**
 * Plan: a change set for exactly this release, summarised for people. Creating a change set
 * changes nothing that serves traffic; executing it (deploy.ts) is the first real change.
 */
import type { Change, DescribeChangeSetCommandOutput, ResourceChangeDetail } from '@aws-sdk/client-cloudformation';
import { AwsCallError, InterruptedError } from '../errors.js';
import { LogicalIds, ParameterNames, type CfnTemplate } from '../compose/template.js';
import type { PropertyChange, ResourceChange } from '../report/release-plan.js';
import { aws, type DeployContext } from './context.js';
import { rollbackConfiguration, type BakePlan } from '../bake/plan.js';

export interface ChangeSetRequest {
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE';
  template: CfnTemplate;
  parameters: Record<string, string>;
  tags: Record<string, string>;
  /** Unique per deploy: makes retries of CreateChangeSet idempotent and names the change set. */
  token: string;
  pollMs?: number;
  /** Ask for each change's property values too (DescribeChangeSet IncludePropertyValues), as a plan shows them. */
  details?: boolean;
  /** Who asks: `deploy` (the default) or `plan`; CloudFormation shows it as the change set's description. */
  purpose?: string;
  /** SNS topics for CloudFormation's own stack events. */
  notificationArns?: string[];
  /** CloudFormation's service role (RoleARN): the stack's resources are made with its rights, not the deployer's. */
  serviceRoleArn?: string;
  /** The bake: CloudFormation's monitoring time and rollback triggers. Sent whenever given, empty too. */
  bake?: BakePlan;
}

export interface PlannedChangeSet {
  changeSetId: string;
  changeSetName: string;
  stackId?: string;
  changes: ResourceChange[];
  groupReplaced: boolean;
  /** The change set's changes as CloudFormation describes them (with Details), for the shared-resource guard. */
  resourceChanges: Change[];
  /** Every parameter of the change set, template defaults included (NoEcho ones masked by CloudFormation). */
  parameters: Record<string, string>;
}

export function changeSetName(token: string): string {
  return `shipper-${token}`;
}

/** Returns undefined when CloudFormation says there is nothing to change (the change set is removed). */
export async function createChangeSet(ctx: DeployContext, req: ChangeSetRequest): Promise<PlannedChangeSet | undefined> {
  // templateProblems() has checked the size against CloudFormation's inline limit.
  const body = JSON.stringify(req.template);
  const name = changeSetName(req.token);
  const created = await aws(ctx, () =>
    ctx.clients.cloudFormation.createChangeSet({
      StackName: req.stackName,
      ChangeSetName: name,
      ChangeSetType: req.changeSetType,
      TemplateBody: body,
      Parameters: Object.entries(req.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
      Tags: Object.entries(req.tags).map(([Key, Value]) => ({ Key, Value })),
      // Always sent: CloudFormation keeps a stack's topics when the list is left out, and "to remove all associated
      // notification topics, specify an empty list" (CreateChangeSet API reference, NotificationARNs).
      NotificationARNs: req.notificationArns ?? [],
      ClientToken: req.token,
      Description: `shipper ${req.purpose ?? 'deploy'} ${req.parameters[ParameterNames.imageTag] ?? ''}`.trim(),
      ...(req.serviceRoleArn ? { RoleARN: req.serviceRoleArn } : {}),
      // Sent even when empty: a stack keeps its rollback triggers for later updates unless they are
      // replaced, and "to remove all currently specified triggers, specify an empty list"
      // (RollbackConfiguration, CloudFormation API reference): a previous bake never lingers.
      ...(req.bake ? { RollbackConfiguration: rollbackConfiguration(req.bake) } : {}),
    }),
  );
  const changeSetId = created.Id ?? name;
  const discard = () => deleteChangeSet(ctx, req.stackName, changeSetId);
  let described: Omit<DescribeChangeSetCommandOutput, '$metadata'>;
  try {
    described = await waitForChangeSet(ctx, req.stackName, changeSetId, req.pollMs ?? 1000, Boolean(req.details));
  } catch (err) {
    // Interrupted or failed while CloudFormation prepared it: leave no change set behind.
    await discard();
    throw err;
  }
  if (described.Status === 'FAILED') {
    const reason = described.StatusReason ?? '';
    await discard();
    if (isNoChanges(reason)) return undefined;
    throw new AwsCallError(`CloudFormation could not plan the change: ${reason}`, { hint: 'nothing was changed; run `shipper validate` for template problems' });
  }
  const changes = collectChanges(described.Changes ?? []);
  const parameters = Object.fromEntries((described.Parameters ?? []).flatMap((p) => (p.ParameterKey ? [[p.ParameterKey, p.ParameterValue ?? '']] : [])));
  return {
    changeSetId,
    changeSetName: name,
    stackId: created.StackId ?? described.StackId,
    changes,
    groupReplaced: req.changeSetType === 'UPDATE' && groupIsReplaced(changes),
    parameters: { ...req.parameters, ...parameters },
    resourceChanges: described.Changes ?? [],
  };
}

/** Best effort: a change set that cannot be deleted is harmless (it is never executed) and expires with the next update. */
export async function deleteChangeSet(ctx: DeployContext, stackName: string, changeSetId: string): Promise<void> {
  await aws(ctx, () => ctx.clients.cloudFormation.deleteChangeSet({ ChangeSetName: changeSetId, StackName: stackName })).catch(() => undefined);
}

async function waitForChangeSet(ctx: DeployContext, stackName: string, changeSetId: string, pollMs: number, details: boolean): Promise<Omit<DescribeChangeSetCommandOutput, '$metadata'>> {
  let changes: Change[] = [];
  for (;;) {
    let token: string | undefined;
    let first: Omit<DescribeChangeSetCommandOutput, '$metadata'> | undefined;
    changes = [];
    do {
      const page = await aws(ctx, () =>
        ctx.clients.cloudFormation.describeChangeSet({ ChangeSetName: changeSetId, StackName: stackName, NextToken: token, ...(details ? { IncludePropertyValues: true } : {}) }),
      );
      first ??= page;
      changes.push(...(page.Changes ?? []));
      token = page.NextToken;
    } while (token && first.Status === 'CREATE_COMPLETE');
    if (first.Status === 'CREATE_COMPLETE' || first.Status === 'FAILED') return { ...first, Changes: changes };
    if (ctx.interrupt?.aborted) throw new InterruptedError('interrupted while CloudFormation prepared the change set; it was deleted and nothing was changed');
    await ctx.clock.sleep(pollMs, ctx.interrupt);
    if (ctx.interrupt?.aborted) throw new InterruptedError('interrupted while CloudFormation prepared the change set; it was deleted and nothing was changed');
  }
}

/** CloudFormation's wording for an empty change set varies by operation; match the known forms. */
export function isNoChanges(reason: string): boolean {
  return /didn'?t contain changes|No updates are to be performed/i.test(reason);
}

function collectChanges(changes: Change[]): ResourceChange[] {
  return changes.flatMap((c) => {
    const r = c.ResourceChange;
    if (!r?.LogicalResourceId) return [];
    const change: ResourceChange = { logicalId: r.LogicalResourceId, resourceType: r.ResourceType ?? '', action: (r.Action ?? 'Modify') as ResourceChange['action'], replacement: r.Replacement as ResourceChange['replacement'] };
    if (r.Details?.length) change.details = r.Details.map(propertyChange);
    return [change];
  });
}

function propertyChange(d: ResourceChangeDetail): PropertyChange {
  const t = d.Target ?? {};
  const fields: PropertyChange = {
    attribute: t.Attribute ?? '',
    name: t.Name,
    path: t.Path,
    requiresRecreation: t.RequiresRecreation,
    evaluation: d.Evaluation,
    changeSource: d.ChangeSource,
    causingEntity: d.CausingEntity,
    changeType: t.AttributeChangeType,
    before: t.BeforeValue,
    after: t.AfterValue,
  };
  // Only what CloudFormation said: no keys for fields it left out.
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null)) as unknown as PropertyChange;
}

/**
 * The group is replaced when its launch template changes (a new image digest or AMI) or it is
 * itself replaced; the change set shows the group as "Modify", as the replacement is the
 * update policy's doing, so the launch template is what tells.
 */
function groupIsReplaced(changes: ResourceChange[]): boolean {
  return changes.some(
    (c) => (c.logicalId === LogicalIds.launchTemplate && c.action === 'Modify') || (c.logicalId === LogicalIds.autoScalingGroup && c.replacement === 'True'),
  );
}

/**
 * The CloudFormation API over simulated stacks: change sets, execution, events, resources,
 * cancel and delete, with the validation errors CloudFormation answers.
 */
import type * as cfn from '@aws-sdk/client-cloudformation';
import { awsError, type CloudFormationApi } from '../../src/aws/api.js';
import { canUpdate } from '../../src/stack-events/status.js';
import { planChanges, topologicalOrder, type PlannedChange } from './diff.js';
import { changeDetails, withoutValues } from './change-details.js';
import { runDeletions, type DeletionItem } from './deletions.js';
import { StackOperation } from './operation.js';
import type { SimCloudWatch } from './alarms.js';
import { effectiveRollbackConfiguration, RollbackTriggers } from './rollback-triggers.js';
import type { SimWorld } from './resource-work.js';
import { SimStack, type SimChangeSet } from './stack.js';
import { dependenciesOf, parseTemplate, resolveParameters, type ParsedTemplate } from './template.js';

export const NO_CHANGES_REASON = "The submitted information didn't contain changes. Submit different information to create a change set.";

export class SimCloudFormation implements CloudFormationApi {
  readonly stacks: SimStack[] = [];
  readonly operations = new Map<SimStack, StackOperation>();
  /** DescribeStackEvents page size; small, so callers must follow NextToken. */
  eventPageSize = 10;
  /** Scenario knob: this resource fails to roll back in the next failed operation. */
  rollbackFailure?: { logicalId: string; reason: string };
  /** Scenario knob: DeleteStack of this stack fails on this resource (see deleteStack). */
  readonly deletionFailures = new Map<string, { logicalId: string; reason: string }>();
  /** ListStacks page size; small, so callers must follow NextToken. */
  listPageSize = 100;
  /** The account's CloudWatch alarms, which rollback triggers name. */
  alarms?: SimCloudWatch;
  /** How long CloudFormation takes to act on a trigger's alarm going to ALARM (not documented by AWS). */
  triggerReactionSeconds = 5;

  constructor(
    private readonly world: SimWorld,
    private readonly region: string,
    private readonly account: string,
  ) {}

  /** The live stack with this name, or the stack (even deleted) with this id. */
  findStack(nameOrId: string | undefined): SimStack | undefined {
    if (!nameOrId) return undefined;
    if (nameOrId.startsWith('arn:')) return this.stacks.find((s) => s.stackId === nameOrId);
    return this.stacks.find((s) => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE');
  }

  newStack(name: string): SimStack {
    const stack = new SimStack(name, this.world.clock, this.world.random, this.region, this.account);
    this.stacks.push(stack);
    return stack;
  }

  async createChangeSet(input: cfn.CreateChangeSetCommandInput): Promise<cfn.CreateChangeSetCommandOutput> {
    const name = required(input.StackName, 'StackName');
    const changeSetName = required(input.ChangeSetName, 'ChangeSetName');
    const type = (input.ChangeSetType ?? 'UPDATE') as 'CREATE' | 'UPDATE';
    let stack = this.findStack(name);
    if (type === 'UPDATE' && !stack) throw awsError('ValidationError', `Stack [${name}] does not exist`);
    if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') throw awsError('AlreadyExistsException', `Stack [${name}] already exists`);
    if (type === 'UPDATE' && stack && !canUpdate(stack.status)) {
      throw awsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    }
    const templateBody = input.UsePreviousTemplate ? stack?.templateBody : input.TemplateBody;
    if (!templateBody) throw awsError('ValidationError', 'Either Template URL or Template Body must be specified.');
    const template = parseTemplate(templateBody);
    const params = resolveParameters(template, input.Parameters, stack?.params);
    checkCapabilities(template, input.Capabilities ?? []);
    checkRollbackConfiguration(input.RollbackConfiguration);
    if (stack?.changeSets.has(changeSetName)) throw awsError('AlreadyExistsException', `ChangeSet [${changeSetName}] already exists`);

    if (!stack) {
      stack = this.newStack(name);
      stack.setStatus('REVIEW_IN_PROGRESS', 'User Initiated');
    }
    const previous = type === 'UPDATE' && stack.template ? { template: stack.template, params: stack.params } : undefined;
    const plan = planChanges(previous, { template, params });
    const tags = input.Tags ?? stack.tags;
    const changeSet: SimChangeSet = {
      id: `arn:aws:cloudformation:${this.region}:${this.account}:changeSet/${changeSetName}/${this.world.random.uuid()}`,
      name: changeSetName,
      type,
      status: 'CREATE_PENDING',
      executionStatus: 'UNAVAILABLE',
      createdAt: this.world.clock.now(),
      description: input.Description,
      template,
      templateBody,
      params,
      tags,
      capabilities: input.Capabilities ?? [],
      changes: plan.map((c) => toChange(c, stack!, previous, { template, params })),
      ...(input.RollbackConfiguration ? { rollbackConfiguration: structuredClone(input.RollbackConfiguration) } : {}),
    };
    stack.changeSets.set(changeSetName, changeSet);
    const unchanged = plan.length === 0 && JSON.stringify(tags) === JSON.stringify(stack.tags);
    this.world.clock.schedule(1000, () => {
      if (changeSet.status === 'CREATE_PENDING') changeSet.status = 'CREATE_IN_PROGRESS';
    });
    this.world.clock.schedule(this.world.timings.changeSetCreateSeconds * 1000, () => {
      if (unchanged) {
        changeSet.status = 'FAILED';
        changeSet.statusReason = NO_CHANGES_REASON;
      } else {
        changeSet.status = 'CREATE_COMPLETE';
        changeSet.executionStatus = 'AVAILABLE';
      }
    });
    return { Id: changeSet.id, StackId: stack.stackId } as cfn.CreateChangeSetCommandOutput;
  }

  private findChangeSet(changeSetName: string | undefined, stackName: string | undefined): { stack: SimStack; changeSet: SimChangeSet } {
    const nameOrArn = required(changeSetName, 'ChangeSetName');
    const stacks = nameOrArn.startsWith('arn:') ? this.stacks : [this.findStack(stackName)].filter((s): s is SimStack => s !== undefined);
    for (const stack of stacks) {
      for (const changeSet of stack.changeSets.values()) {
        if (changeSet.id === nameOrArn || changeSet.name === nameOrArn) return { stack, changeSet };
      }
    }
    throw awsError('ChangeSetNotFoundException', `ChangeSet [${nameOrArn}] does not exist`, 404);
  }

  async describeChangeSet(input: cfn.DescribeChangeSetCommandInput): Promise<cfn.DescribeChangeSetCommandOutput> {
    const { stack, changeSet: cs } = this.findChangeSet(input.ChangeSetName, input.StackName);
    return {
      ChangeSetName: cs.name,
      ChangeSetId: cs.id,
      StackId: stack.stackId,
      StackName: stack.stackName,
      Description: cs.description,
      Parameters: Object.entries(cs.params).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      CreationTime: cs.createdAt,
      ExecutionStatus: cs.executionStatus as cfn.ExecutionStatus,
      Status: cs.status as cfn.ChangeSetStatus,
      ...(cs.statusReason ? { StatusReason: cs.statusReason } : {}),
      NotificationARNs: [],
      RollbackConfiguration: cs.rollbackConfiguration ?? {},
      Capabilities: cs.capabilities as cfn.Capability[],
      Tags: cs.tags,
      Changes: cs.status === 'CREATE_COMPLETE' || cs.status === 'FAILED' ? (input.IncludePropertyValues ? cs.changes : cs.changes.map(withoutDetailValues)) : [],
      IncludeNestedStacks: false,
    } as unknown as cfn.DescribeChangeSetCommandOutput;
  }

  async executeChangeSet(input: cfn.ExecuteChangeSetCommandInput): Promise<cfn.ExecuteChangeSetCommandOutput> {
    const { stack, changeSet } = this.findChangeSet(input.ChangeSetName, input.StackName);
    if (changeSet.status !== 'CREATE_COMPLETE' || changeSet.executionStatus !== 'AVAILABLE') {
      throw awsError('InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be executed in its current status of [${changeSet.status}]`);
    }
    const ready = changeSet.type === 'CREATE' ? stack.status === 'REVIEW_IN_PROGRESS' : canUpdate(stack.status);
    if (!ready) throw awsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
    if (input.ClientRequestToken && stack.events.some((e) => e.ClientRequestToken === input.ClientRequestToken)) {
      throw awsError('TokenAlreadyExistsException', `Another Stack operation with ClientRequestToken ${input.ClientRequestToken} already exists.`);
    }
    // Executing a change set deletes every other change set of the stack.
    for (const other of [...stack.changeSets.keys()]) if (other !== changeSet.name) stack.changeSets.delete(other);
    changeSet.executionStatus = 'EXECUTE_IN_PROGRESS';
    stack.tags = changeSet.tags;
    stack.capabilities = changeSet.capabilities;
    stack.rollbackConfiguration = effectiveRollbackConfiguration(changeSet.rollbackConfiguration, stack.rollbackConfiguration);
    const plan = planChanges(
      changeSet.type === 'UPDATE' && stack.template ? { template: stack.template, params: stack.params } : undefined,
      { template: changeSet.template, params: changeSet.params },
    );
    const operation = new StackOperation(
      this.world,
      stack,
      changeSet.type,
      plan,
      { template: changeSet.template, templateBody: changeSet.templateBody, params: changeSet.params },
      {
        rollbackFailure: this.rollbackFailure,
        rollbackTriggers: new RollbackTriggers(this.world.clock, this.alarms, stack.rollbackConfiguration, this.triggerReactionSeconds),
        onFinished: (status) => {
          changeSet.executionStatus = status === 'UPDATE_COMPLETE' || status === 'CREATE_COMPLETE' ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
        },
      },
    );
    this.operations.set(stack, operation);
    operation.start(input.ClientRequestToken);
    return {} as cfn.ExecuteChangeSetCommandOutput;
  }

  async deleteChangeSet(input: cfn.DeleteChangeSetCommandInput): Promise<cfn.DeleteChangeSetCommandOutput> {
    const { stack, changeSet } = this.findChangeSet(input.ChangeSetName, input.StackName);
    if (changeSet.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw awsError('InvalidChangeSetStatusException', `ChangeSet [${changeSet.id}] cannot be deleted in its current status of [EXECUTE_IN_PROGRESS]`);
    }
    stack.changeSets.delete(changeSet.name);
    return {} as cfn.DeleteChangeSetCommandOutput;
  }

  async describeStacks(input: cfn.DescribeStacksCommandInput): Promise<cfn.DescribeStacksCommandOutput> {
    if (input.StackName) {
      const stack = this.findStack(input.StackName);
      if (!stack) throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`);
      return { Stacks: [stack.describe()] } as cfn.DescribeStacksCommandOutput;
    }
    return { Stacks: this.stacks.filter((s) => s.status !== 'DELETE_COMPLETE').map((s) => s.describe()) } as cfn.DescribeStacksCommandOutput;
  }

  /** Names and statuses, newest first, deleted stacks included (for 90 days), filtered by status. */
  async listStacks(input: cfn.ListStacksCommandInput): Promise<cfn.ListStacksCommandOutput> {
    const wanted = input.StackStatusFilter?.length ? new Set<string>(input.StackStatusFilter) : undefined;
    const all = [...this.stacks].reverse().filter((s) => !wanted || wanted.has(s.status));
    const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64').toString('utf8')) : 0;
    const page = all.slice(start, start + this.listPageSize);
    return {
      StackSummaries: page.map((s) => ({
        StackId: s.stackId,
        StackName: s.stackName,
        CreationTime: s.createdAt,
        ...(s.lastUpdatedAt ? { LastUpdatedTime: s.lastUpdatedAt } : {}),
        ...(s.deletedAt ? { DeletionTime: s.deletedAt } : {}),
        StackStatus: s.status as cfn.StackStatus,
        ...(s.reason ? { StackStatusReason: s.reason } : {}),
      })),
      ...(start + this.listPageSize < all.length ? { NextToken: Buffer.from(String(start + this.listPageSize)).toString('base64') } : {}),
    } as cfn.ListStacksCommandOutput;
  }

  async describeStackEvents(input: cfn.DescribeStackEventsCommandInput): Promise<cfn.DescribeStackEventsCommandOutput> {
    const stack = this.findStack(input.StackName);
    if (!stack) throw awsError('ValidationError', `Stack [${input.StackName}] does not exist`);
    const newestFirst = [...stack.events].reverse();
    // The token remembers the last event served, so events arriving between pages shift nothing.
    let start = 0;
    if (input.NextToken) {
      const after = Buffer.from(input.NextToken, 'base64').toString('utf8');
      const index = newestFirst.findIndex((e) => e.EventId === after);
      if (index < 0) throw awsError('ValidationError', 'Invalid NextToken');
      start = index + 1;
    }
    const page = newestFirst.slice(start, start + this.eventPageSize);
    const more = start + this.eventPageSize < newestFirst.length;
    return {
      StackEvents: page,
      ...(more ? { NextToken: Buffer.from(page[page.length - 1]!.EventId!).toString('base64') } : {}),
    } as cfn.DescribeStackEventsCommandOutput;
  }

  async describeStackResources(input: cfn.DescribeStackResourcesCommandInput): Promise<cfn.DescribeStackResourcesCommandOutput> {
    const stack = this.findStack(input.StackName);
    if (!stack) throw awsError('ValidationError', `Stack with id ${input.StackName} does not exist`);
    const resources = stack
      .describeResources()
      .filter((r) => (input.LogicalResourceId === undefined || r.LogicalResourceId === input.LogicalResourceId) && (input.PhysicalResourceId === undefined || r.PhysicalResourceId === input.PhysicalResourceId));
    return { StackResources: resources } as cfn.DescribeStackResourcesCommandOutput;
  }

  async cancelUpdateStack(input: cfn.CancelUpdateStackCommandInput): Promise<cfn.CancelUpdateStackCommandOutput> {
    const stack = this.findStack(input.StackName);
    if (!stack) throw awsError('ValidationError', `Stack [${input.StackName}] does not exist`);
    const operation = this.operations.get(stack);
    if (stack.status !== 'UPDATE_IN_PROGRESS' || !operation?.canCancel) {
      throw awsError('ValidationError', 'CancelUpdateStack cannot be called from current stack status');
    }
    operation.cancel();
    return {} as cfn.CancelUpdateStackCommandOutput;
  }

  async deleteStack(input: cfn.DeleteStackCommandInput): Promise<cfn.DeleteStackCommandOutput> {
    const stack = this.findStack(input.StackName);
    // Deleting a stack that does not exist succeeds, as it does in AWS.
    if (!stack || stack.status === 'DELETE_IN_PROGRESS') return {} as cfn.DeleteStackCommandOutput;
    if (this.operations.get(stack)?.isRunning) {
      throw awsError('ValidationError', `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`);
    }
    if (stack.status === 'DELETE_FAILED' && input.RetainResources?.some((id) => !stack.resources.has(id))) {
      throw awsError('ValidationError', `Resources to retain are not in the stack: ${input.RetainResources.join(', ')}`);
    }
    stack.token = input.ClientRequestToken;
    stack.changeSets.clear();
    stack.roleArn = input.RoleARN ?? stack.roleArn;
    stack.setStatus('DELETE_IN_PROGRESS', 'User Initiated');
    const template = stack.template;
    const retained = new Set(input.RetainResources ?? []);
    const failing = this.deletionFailures.get(stack.stackName);
    const order = template ? topologicalOrder(template) : [...stack.resources.keys()];
    const items: DeletionItem[] = order
      .filter((id) => stack.resources.has(id))
      .map((id) => {
        const r = stack.resources.get(id)!;
        const retain = retained.has(id) || template?.resources.get(id)?.deletionPolicy === 'Retain';
        return { logicalId: id, type: r.type, physicalId: r.physicalId, current: true, attributes: r.attributes, dependents: [], groupDeleteSeconds: this.world.timings.groupDeleteSeconds, retain };
      });
    for (const item of items) {
      item.dependents = items
        .filter((o) => template?.resources.has(o.logicalId) && dependenciesOf(template.resources.get(o.logicalId)!, template).includes(item.logicalId))
        .map((o) => o.logicalId);
    }
    let active = true;
    runDeletions({
      stack,
      clock: this.world.clock,
      autoScaling: this.world.autoScaling,
      loadBalancing: this.world.loadBalancing,
      timings: this.world.timings,
      items,
      failing,
      isActive: () => active,
      onDone: () =>
        this.world.clock.schedule(this.world.timings.finalStatusSeconds * 1000, () => {
          stack.setStatus('DELETE_COMPLETE');
          stack.deletedAt = this.world.clock.now();
          stack.token = undefined;
          active = false;
        }),
      // A resource that cannot be deleted ends the operation DELETE_FAILED with the stack's
      // reason naming it; what was deleted stays deleted, and DeleteStack may be called again
      // (with RetainResources to leave the failed ones behind).
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/troubleshooting.html#troubleshooting-errors-delete-stack-fails
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DeleteStack.html
      onFailed: (logicalId) => {
        active = false;
        this.deletionFailures.delete(stack.stackName);
        this.world.clock.schedule(this.world.timings.finalStatusSeconds * 1000, () => {
          stack.setStatus('DELETE_FAILED', `The following resource(s) failed to delete: [${logicalId}]. `);
          stack.token = undefined;
        });
      },
    });
    return {} as cfn.DeleteStackCommandOutput;
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw awsError('ValidationError', `1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function toChange(
  c: PlannedChange,
  stack: SimStack,
  previous: { template: ParsedTemplate; params: Record<string, string> } | undefined,
  next: { template: ParsedTemplate; params: Record<string, string> },
): cfn.Change {
  return {
    Type: 'Resource',
    ResourceChange: {
      Action: c.action,
      LogicalResourceId: c.logicalId,
      ...(c.action !== 'Add' && stack.resources.get(c.logicalId)?.physicalId ? { PhysicalResourceId: stack.resources.get(c.logicalId)!.physicalId } : {}),
      ResourceType: c.resourceType,
      ...(c.action === 'Modify' ? { Replacement: c.replacement ? 'True' : 'False', Scope: ['Properties'] } : {}),
      Details: changeDetails(c, previous, next),
    } as cfn.ResourceChange,
  };
}

function withoutDetailValues(change: cfn.Change): cfn.Change {
  return { ...change, ResourceChange: { ...change.ResourceChange, Details: (change.ResourceChange?.Details ?? []).map(withoutValues) } };
}

const NAMED_IAM_PROPERTIES = ['RoleName', 'InstanceProfileName', 'ManagedPolicyName', 'UserName', 'GroupName'];

/** CloudFormation refuses templates with IAM resources unless the caller acknowledges them. */
function checkCapabilities(template: ReturnType<typeof parseTemplate>, given: string[]): void {
  let needed: string | undefined;
  for (const r of template.resources.values()) {
    if (!r.type.startsWith('AWS::IAM::')) continue;
    if (NAMED_IAM_PROPERTIES.some((p) => p in r.properties)) needed = 'CAPABILITY_NAMED_IAM';
    else needed ??= 'CAPABILITY_IAM';
  }
  if (!needed) return;
  const ok = needed === 'CAPABILITY_IAM' ? given.includes('CAPABILITY_IAM') || given.includes('CAPABILITY_NAMED_IAM') : given.includes('CAPABILITY_NAMED_IAM');
  if (!ok) throw awsError('InsufficientCapabilitiesException', `Requires capabilities : [${needed}]`);
}

/**
 * RollbackConfiguration's documented limits: MonitoringTimeInMinutes 0 to 180, at most five
 * triggers, each an AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm. The messages
 * follow CloudFormation's usual validation wording.
 */
function checkRollbackConfiguration(config: cfn.RollbackConfiguration | undefined): void {
  if (!config) return;
  const minutes = config.MonitoringTimeInMinutes;
  if (minutes !== undefined && (minutes < 0 || minutes > 180)) {
    throw awsError('ValidationError', `1 validation error detected: Value '${minutes}' at 'rollbackConfiguration.monitoringTimeInMinutes' failed to satisfy constraint: Member must have value ${minutes < 0 ? 'greater than or equal to 0' : 'less than or equal to 180'}`);
  }
  const triggers = config.RollbackTriggers ?? [];
  if (triggers.length > 5) {
    throw awsError('ValidationError', "1 validation error detected: Value at 'rollbackConfiguration.rollbackTriggers' failed to satisfy constraint: Member must have length less than or equal to 5");
  }
  for (const t of triggers) {
    if (t.Type !== 'AWS::CloudWatch::Alarm' && t.Type !== 'AWS::CloudWatch::CompositeAlarm') throw awsError('ValidationError', `Unsupported rollback trigger type: ${t.Type}`);
  }
}

/**
 * One simulated stack: its status, template, parameters, resources and event history, and the
 * shapes DescribeStacks / DescribeStackEvents / DescribeStackResources return for it.
 */
import type * as cfn from '@aws-sdk/client-cloudformation';
import type { FakeClock } from './clock.js';
import type { SimRandom } from './random.js';
import { stableJson } from './diff.js';
import type { ParsedTemplate } from './template.js';

export interface SimResource {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  reason?: string;
  updatedAt: Date;
  /** Values for Fn::GetAtt (e.g. a launch template's LatestVersionNumber). */
  attributes: Record<string, string>;
}

export interface SimChangeSet {
  id: string;
  name: string;
  type: 'CREATE' | 'UPDATE';
  status: string;
  executionStatus: string;
  statusReason?: string;
  createdAt: Date;
  description?: string;
  template: ParsedTemplate;
  templateBody: string;
  params: Record<string, string>;
  tags: cfn.Tag[];
  capabilities: string[];
  changes: cfn.Change[];
  /** As given to CreateChangeSet; absent means the stack's remembered one applies. */
  rollbackConfiguration?: cfn.RollbackConfiguration;
}

interface EventFields {
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
}

export class SimStack {
  readonly stackId: string;
  status = 'REVIEW_IN_PROGRESS';
  reason?: string;
  readonly createdAt: Date;
  lastUpdatedAt?: Date;
  deletedAt?: Date;
  template?: ParsedTemplate;
  templateBody?: string;
  params: Record<string, string> = {};
  tags: cfn.Tag[] = [];
  capabilities: string[] = [];
  /** The service role DeleteStack (or an update) was given. */
  roleArn?: string;
  /** Rollback triggers and monitoring time, remembered for later updates (rollback-triggers.ts). */
  rollbackConfiguration: cfn.RollbackConfiguration = {};
  readonly resources = new Map<string, SimResource>();
  /** Oldest first; DescribeStackEvents serves them newest first. */
  readonly events: cfn.StackEvent[] = [];
  readonly changeSets = new Map<string, SimChangeSet>();
  /** ClientRequestToken of the operation in progress, stamped on its events. */
  token?: string;
  private readonly eventIds = new Set<string>();

  constructor(
    readonly stackName: string,
    private readonly clock: FakeClock,
    private readonly random: SimRandom,
    region: string,
    account: string,
  ) {
    this.stackId = `arn:aws:cloudformation:${region}:${account}:stack/${stackName}/${random.uuid()}`;
    this.createdAt = clock.now();
  }

  /** Sets the stack status and records the stack-level event. */
  setStatus(status: string, reason?: string): void {
    this.status = status;
    this.reason = reason;
    this.lastUpdatedAt = this.clock.now();
    this.pushEvent({
      LogicalResourceId: this.stackName,
      PhysicalResourceId: this.stackId,
      ResourceType: 'AWS::CloudFormation::Stack',
      ResourceStatus: status,
      ResourceStatusReason: reason,
    }, this.random.uuid());
  }

  /** Sets a resource's status and records its event. */
  setResourceStatus(logicalId: string, type: string, status: string, reason?: string, physicalId?: string): SimResource {
    let resource = this.resources.get(logicalId);
    if (!resource) {
      resource = { logicalId, type, status, updatedAt: this.clock.now(), attributes: {} };
      this.resources.set(logicalId, resource);
    }
    resource.type = type;
    resource.status = status;
    resource.reason = reason;
    resource.updatedAt = this.clock.now();
    if (physicalId !== undefined) resource.physicalId = physicalId;
    const now = this.clock.now().toISOString();
    this.pushEvent(
      {
        LogicalResourceId: logicalId,
        // An event about a physical resource other than the current one (a new group being
        // created, an old one being deleted) carries that resource's id.
        PhysicalResourceId: physicalId ?? resource.physicalId ?? '',
        ResourceType: type,
        ResourceStatus: status,
        ResourceStatusReason: reason,
      },
      `${logicalId}-${status}-${now}`,
    );
    return resource;
  }

  /** Records an event for a physical resource that is no longer (or not yet) the current one. */
  eventFor(logicalId: string, type: string, physicalId: string, status: string, reason?: string): void {
    this.pushEvent(
      { LogicalResourceId: logicalId, PhysicalResourceId: physicalId, ResourceType: type, ResourceStatus: status, ResourceStatusReason: reason },
      `${logicalId}-${status}-${this.clock.now().toISOString()}`,
    );
  }

  private pushEvent(e: EventFields, id: string): void {
    let eventId = id;
    for (let n = 2; this.eventIds.has(eventId); n++) eventId = `${id}-${n}`;
    this.eventIds.add(eventId);
    const event: cfn.StackEvent = {
      StackId: this.stackId,
      EventId: eventId,
      StackName: this.stackName,
      LogicalResourceId: e.LogicalResourceId,
      PhysicalResourceId: e.PhysicalResourceId,
      ResourceType: e.ResourceType,
      Timestamp: this.clock.now(),
      ResourceStatus: e.ResourceStatus as cfn.ResourceStatus,
      ...(e.ResourceStatusReason !== undefined ? { ResourceStatusReason: e.ResourceStatusReason } : {}),
      ...(this.token !== undefined ? { ClientRequestToken: this.token } : {}),
    };
    this.events.push(event);
  }

  describe(): cfn.Stack {
    return {
      StackId: this.stackId,
      StackName: this.stackName,
      CreationTime: this.createdAt,
      LastUpdatedTime: this.lastUpdatedAt,
      DeletionTime: this.deletedAt,
      StackStatus: this.status as cfn.StackStatus,
      ...(this.reason !== undefined ? { StackStatusReason: this.reason } : {}),
      Parameters: Object.entries(this.params).map(([ParameterKey, value]) => ({
        ParameterKey,
        ParameterValue: this.template?.parameters[ParameterKey]?.NoEcho ? '****' : value,
      })),
      Outputs: this.outputs(),
      Tags: this.tags.map((t) => ({ ...t })),
      Capabilities: this.capabilities as cfn.Capability[],
      DisableRollback: false,
      NotificationARNs: [],
      RollbackConfiguration: structuredClone(this.rollbackConfiguration),
      EnableTerminationProtection: false,
      DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
    };
  }

  /** Outputs as CloudFormation resolves them; none while the stack has not been created. */
  private outputs(): cfn.Output[] | undefined {
    const created = !/^(REVIEW_IN_PROGRESS|CREATE_IN_PROGRESS|CREATE_FAILED|ROLLBACK_|DELETE_)/.test(this.status);
    return this.template && created ? this.resolveOutputs() : undefined;
  }

  private resolveOutputs(): cfn.Output[] {
    return Object.entries(this.template!.outputs).map(([OutputKey, o]) => ({
      OutputKey,
      OutputValue: this.resolveValue(o.Value),
      ...(o.Description ? { Description: o.Description } : {}),
    }));
  }

  resolveValue(value: unknown): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    const v = value as Record<string, any>;
    if (v && typeof v.Ref === 'string') {
      if (v.Ref in this.params) return this.params[v.Ref]!;
      if (v.Ref === 'AWS::StackName') return this.stackName;
      if (v.Ref === 'AWS::StackId') return this.stackId;
      return this.resources.get(v.Ref)?.physicalId ?? '';
    }
    if (v && Array.isArray(v['Fn::GetAtt'])) {
      const [id, attr] = v['Fn::GetAtt'] as [string, string];
      const r = this.resources.get(id);
      return r?.attributes[attr] ?? `${r?.physicalId ?? id}.${attr}`;
    }
    if (v && typeof v['Fn::Sub'] === 'string') {
      return (v['Fn::Sub'] as string).replace(/\$\{([A-Za-z0-9_:]+)\}/g, (_, name: string) => this.resolveValue({ Ref: name }));
    }
    if (v && Array.isArray(v['Fn::Join'])) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => this.resolveValue(p)).join(sep);
    }
    return stableJson(value);
  }

  describeResources(): cfn.StackResource[] {
    return [...this.resources.values()].map((r) => ({
      StackName: this.stackName,
      StackId: this.stackId,
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      Timestamp: r.updatedAt,
      ResourceStatus: r.status as cfn.ResourceStatus,
      ...(r.reason !== undefined ? { ResourceStatusReason: r.reason } : {}),
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    }));
  }
}

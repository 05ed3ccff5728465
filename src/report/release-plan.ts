/**
 * What `shipper plan` found out, as data: the change set CloudFormation made for this release
 * (each resource's action, replacement and changed properties), the parameters and the images
 * old → new. Text renderers show it; `plan --json` prints it as one object.
 */

export interface ResourceChange {
  logicalId: string;
  resourceType: string;
  action: 'Add' | 'Modify' | 'Remove' | 'Import' | 'Dynamic';
  /** CloudFormation's answer to "is the physical resource replaced?". */
  replacement: 'True' | 'False' | 'Conditional' | undefined;
  /** What changes and why (ResourceChange.Details); only asked for by `shipper plan`. */
  details?: PropertyChange[];
}

/** One entry of a resource change's Details, as DescribeChangeSet reports it. */
export interface PropertyChange {
  /** What changes: Properties, Metadata, Tags, UpdatePolicy, CreationPolicy, DeletionPolicy, ... */
  attribute: string;
  /** The property, when `attribute` is Properties. */
  name?: string;
  /** The property's path (with IncludePropertyValues), e.g. /Properties/LaunchTemplateData/UserData. */
  path?: string;
  /** Does this change recreate the resource: Never, Conditionally or Always. */
  requiresRecreation?: string;
  /** Static: the new value is known now; Dynamic: it depends on a Ref or GetAtt resolved during the update. */
  evaluation?: string;
  /** Why it changes: DirectModification, ParameterReference, ResourceReference, ResourceAttribute, Automatic. */
  changeSource?: string;
  /** The parameter or resource that causes it, e.g. ImageDigest or LaunchTemplate. */
  causingEntity?: string;
  /** Add, Remove or Modify (with IncludePropertyValues). */
  changeType?: string;
  before?: string;
  after?: string;
}

export interface ParameterChange {
  name: string;
  /** Undefined for a first deploy or a parameter the stack does not have yet. */
  old?: string;
  new: string;
}

export interface ImageRef {
  tag?: string;
  digest?: string;
}

/** An image that runs on every instance: the app, or a sidecar. */
export interface ImageChange {
  name: string;
  old?: ImageRef;
  new: ImageRef;
}

export interface ReleasePlan {
  stackName: string;
  env: string;
  /** The short-lived instance planned (`--instance`), absent for the main stack. */
  instance?: string;
  operation: 'create' | 'update';
  /** False when CloudFormation says nothing would change. */
  changes: boolean;
  groupReplaced: boolean;
  resources: ResourceChange[];
  /** Every parameter of the change set; `old` from the stack as it is now. */
  parameters: ParameterChange[];
  images: ImageChange[];
  /** The size the new group would start at, and what the live group runs now. */
  capacity: { desired: number; liveDesired?: number; starts: number };
  /** Shared resources (target group, listener rule, inline ingress) changed together with the group replacement: deploy refuses these without --allow-shared-change. */
  sharedResourceChanges: Array<{ logicalId: string; resourceType: string; kind: 'health-check' | 'target-group-replaced' | 'routing' | 'inline-ingress'; what: string[] }>;
  /** The bake the deploy would run (as in the plan summary); absent for a service without one. */
  bake?: { minutes: number; alarms: Array<{ name: string; origin: 'default' | 'declared' }>; notYetGuarding: string[]; skipped: boolean };
}

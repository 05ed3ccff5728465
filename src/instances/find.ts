/**
 * The stacks of one service in one environment: its main stack and its instances, found the way
 * the deployer policy allows. ListStacks (no resource-level permission, names and statuses only,
 * paginated) gives the candidates: the main stack's name and `<main stack>-<instance>`; each
 * candidate is then described by name (DescribeStacks on the service's own stacks, where the
 * policy allows it) and kept only when its tags say it is this service's in this environment.
 * DescribeStacks without a name would do it in fewer calls but needs DescribeStacks on every
 * stack of the account, outputs and parameters included.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DescribeStacks.html
 */
import type { Stack, StackSummary } from '@aws-sdk/client-cloudformation';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { aws, type DeployContext } from '../deploy/context.js';
import { describeStack } from '../deploy/stack-state.js';
import { STACK_STATUSES } from '../stack-events/status.js';
import { INSTANCE_NAME, StackTags } from './identity.js';

/** Every status but DELETE_COMPLETE: deleted stacks stay listed for 90 days and are of no interest. */
const LIVE_STATUSES = STACK_STATUSES.filter((s) => s !== 'DELETE_COMPLETE');

/** How many candidates are described at once. */
const DESCRIBE_CONCURRENCY = 4;

export interface ServiceStack {
  stackName: string;
  stackId: string;
  status: string;
  statusReason?: string;
  createdAt?: Date;
  updatedAt?: Date;
  /** Absent on the environment's main stack. */
  instance?: string;
  owner?: string;
  branch?: string;
  /** The shipper:expires-at tag as written; `expiresAt` when it is a valid date. */
  expiresAtTag?: string;
  expiresAt?: Date;
  stack: Stack;
}

/** A stack named like one of the service's that is not (wrong or missing tags): never touched. */
export interface ForeignStack {
  stackName: string;
  reason: string;
}

export interface EnvironmentStacks {
  main?: ServiceStack;
  /** Sorted by name. */
  instances: ServiceStack[];
  foreign: ForeignStack[];
}

export async function findEnvironmentStacks(ctx: DeployContext, target: ServiceEnvironment): Promise<EnvironmentStacks> {
  const candidates = (await listStackSummaries(ctx)).filter((s) => isCandidateName(s.StackName ?? '', target.stackName));
  const described = await mapBounded(candidates, DESCRIBE_CONCURRENCY, (c) => describeStack(ctx, c.StackName ?? ''));
  const result: EnvironmentStacks = { instances: [], foreign: [] };
  for (const stack of described) {
    // Deleted between the list and the describe: gone, as it should be.
    if (!stack || stack.StackStatus === 'DELETE_COMPLETE') continue;
    const classified = classify(stack, target);
    if ('reason' in classified) result.foreign.push(classified);
    else if (classified.instance === undefined) result.main = classified;
    else result.instances.push(classified);
  }
  result.instances.sort((a, b) => a.stackName.localeCompare(b.stackName));
  return result;
}

async function listStackSummaries(ctx: DeployContext): Promise<StackSummary[]> {
  const all: StackSummary[] = [];
  let token: string | undefined;
  do {
    const page = await aws(ctx, () => ctx.clients.cloudFormation.listStacks({ StackStatusFilter: [...LIVE_STATUSES], NextToken: token }));
    all.push(...(page.StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE'));
    token = page.NextToken;
  } while (token);
  return all;
}

function isCandidateName(name: string, mainStackName: string): boolean {
  if (name === mainStackName) return true;
  return name.startsWith(`${mainStackName}-`) && INSTANCE_NAME.test(name.slice(mainStackName.length + 1));
}

export function stackTags(stack: Stack): Record<string, string> {
  return Object.fromEntries((stack.Tags ?? []).flatMap((t) => (t.Key ? [[t.Key, t.Value ?? '']] : [])));
}

function classify(stack: Stack, target: ServiceEnvironment): ServiceStack | ForeignStack {
  const stackName = stack.StackName ?? '';
  const tags = stackTags(stack);
  const service = target.service.service;
  if (tags[StackTags.service] !== service || tags[StackTags.environment] !== target.env) {
    return { stackName, reason: `its tags ${StackTags.service}=${tags[StackTags.service] ?? '(none)'}, ${StackTags.environment}=${tags[StackTags.environment] ?? '(none)'} are not ${service} in ${target.env}` };
  }
  const instance = tags[StackTags.instance];
  if (instance === undefined && stackName !== target.stackName) {
    return { stackName, reason: `it has no ${StackTags.instance} tag` };
  }
  if (instance !== undefined && stackName !== `${target.stackName}-${instance}`) {
    return { stackName, reason: `its ${StackTags.instance} tag (${instance}) does not match its name` };
  }
  const expiresAtTag = tags[StackTags.expiresAt];
  const expiresAt = expiresAtTag ? new Date(expiresAtTag) : undefined;
  return {
    stackName,
    stackId: stack.StackId ?? stackName,
    status: stack.StackStatus ?? '',
    statusReason: stack.StackStatusReason,
    createdAt: stack.CreationTime,
    updatedAt: stack.LastUpdatedTime,
    instance,
    owner: tags[StackTags.owner],
    branch: tags[StackTags.branch],
    expiresAtTag,
    expiresAt: expiresAt && !Number.isNaN(expiresAt.getTime()) ? expiresAt : undefined,
    stack,
  };
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * What a deploy of an instance adds to its change set: the listener rule's priority (kept from
 * the stack, else a free one) and the tags `shipper list` and `shipper destroy --expired` read.
 */
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { DeployRolledBackError } from '../errors.js';
import type { DeployContext } from '../deploy/context.js';
import type { PreflightFacts } from '../deploy/preflight.js';
import { StackTags } from './identity.js';
import { LISTENER_RULE_PRIORITY_PARAMETER } from './compose.js';
import { chooseListenerPriority, priorityInUse } from './listener-priority.js';

export interface DeployedBy {
  /** Who deploys, as the release history records it (provenance). */
  by: string;
  branch?: string;
}

export interface InstanceStackSettings {
  parameters: Record<string, string>;
  tags: Record<string, string>;
}

export async function instanceStackSettings(ctx: DeployContext, target: ServiceEnvironment, facts: PreflightFacts, deployedBy: DeployedBy | undefined): Promise<InstanceStackSettings> {
  const instance = target.instance!;
  const parameters: Record<string, string> = {};
  const lb = target.service.network.loadBalancer;
  if (lb?.listenerArn && lb.rule) {
    // A stack that is about to be deleted (a failed first create) keeps nothing, least of all a priority that collided.
    const current = facts.deleteFailedCreate ? undefined : facts.stack?.Parameters?.find((p) => p.ParameterKey === LISTENER_RULE_PRIORITY_PARAMETER)?.ParameterValue;
    const priority = current ?? String(await chooseListenerPriority(ctx, { listenerArn: lb.listenerArn, mainPriority: lb.rule.priority, mainHasHostHeader: Boolean(instance.mainHasHostHeader) }));
    ctx.reporter.emit({ type: 'info', message: `listener rule priority ${priority} for ${instance.hostName ?? target.stackName} (${current ? 'kept from the stack' : 'free on the listener'})` });
    parameters[LISTENER_RULE_PRIORITY_PARAMETER] = priority;
  }
  const expiresAt = new Date(ctx.clock.now().getTime() + instance.ttlMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const tags: Record<string, string> = {
    [StackTags.instance]: instance.name,
    [StackTags.expiresAt]: expiresAt,
    ...(deployedBy ? { [StackTags.owner]: ownerTag(deployedBy.by) } : {}),
    ...(deployedBy?.branch ? { [StackTags.branch]: tagValue(deployedBy.branch) } : {}),
  };
  return { parameters, tags };
}

/** "buildkite (Jane Doe)" → "Jane Doe": the person behind the build; "alice@laptop" stays. */
export function ownerTag(by: string): string {
  const inner = /^[\w-]+ \((.+)\)$/.exec(by)?.[1];
  return tagValue(inner ?? by);
}

/** Tag values that every tagged resource accepts (ELBv2 and CloudWatch Logs allow letters, digits, spaces and _ . : / = + - @). */
function tagValue(text: string): string {
  return text.replace(/[^\p{L}\p{Z}\p{N}_.:/=+\-@]/gu, '-').slice(0, 256);
}

/**
 * The first create of an instance lost its priority to a concurrent deploy (and rolled back to
 * ROLLBACK_COMPLETE): worth creating again on a fresh one. An update keeps its priority, so a
 * collision there would only repeat: it is reported as it is.
 */
export function lostPriorityRace(target: ServiceEnvironment, err: unknown): boolean {
  return Boolean(target.instance) && err instanceof DeployRolledBackError && /\(ROLLBACK_COMPLETE\)/.test(err.message) && priorityInUse(err.message) !== undefined;
}

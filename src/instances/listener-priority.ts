/**
 * The priority of an instance's listener rule. A listener evaluates its rules from the lowest
 * priority up and no two rules may share one (ELBv2 answers PriorityInUse), so an instance
 * needs a free one, read from the listener at deploy time; a redeploy keeps the one its stack
 * already has, so its rule never moves.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-update-rules.html
 */
import type { LoadBalancingApi } from '../aws/api.js';
import type { Rule } from '@aws-sdk/client-elastic-load-balancing-v2';
import { PreflightError } from '../errors.js';
import { aws, type DeployContext } from '../deploy/context.js';

/** How far from the main rule an instance's rule may be placed. */
export const PRIORITY_BAND = 1000;
/** ELBv2 rule priorities are 1-50000. */
const MAX_PRIORITY = 50_000;

export interface PriorityRequest {
  listenerArn: string;
  mainPriority: number;
  /** Whether the main rule matches on a host header (the instance's rule always does). */
  mainHasHostHeader: boolean;
  /** Priorities to avoid besides the listener's (one that just lost a race). */
  avoid?: number[];
}

/**
 * The priorities an instance's rule may take, best first.
 *
 * With a host header on the main rule, the instance's host (`pr-123.hello...`) never matches
 * the main rule, so evaluation order does not matter: take the lowest free priority above the
 * main rule, next to it and away from whatever the team placed below it. Without one (the main
 * rule matches a path on any host), the instance's rule must be evaluated first or the main
 * rule would take the instance's requests: take the highest free priority below the main rule.
 */
export function candidatePriorities(req: Pick<PriorityRequest, 'mainPriority' | 'mainHasHostHeader'>): number[] {
  const out: number[] = [];
  if (req.mainHasHostHeader) {
    for (let p = req.mainPriority + 1; p <= Math.min(MAX_PRIORITY, req.mainPriority + PRIORITY_BAND); p++) out.push(p);
  } else {
    for (let p = req.mainPriority - 1; p >= Math.max(1, req.mainPriority - PRIORITY_BAND); p--) out.push(p);
  }
  return out;
}

export function pickFreePriority(req: PriorityRequest, taken: Set<number>): number | undefined {
  return candidatePriorities(req).find((p) => !taken.has(p) && !(req.avoid ?? []).includes(p));
}

/** Every priority in use on the listener (DescribeRules, page by page; the default rule has none). */
export async function takenPriorities(ctx: DeployContext, api: LoadBalancingApi, listenerArn: string): Promise<Set<number>> {
  const taken = new Set<number>();
  let marker: string | undefined;
  do {
    const page = await aws(ctx, () => api.describeRules({ ListenerArn: listenerArn, Marker: marker, PageSize: 400 }));
    for (const rule of page.Rules ?? []) {
      const priority = rulePriority(rule);
      if (priority !== undefined) taken.add(priority);
    }
    marker = page.NextMarker;
  } while (marker);
  return taken;
}

function rulePriority(rule: Rule): number | undefined {
  if (rule.IsDefault || rule.Priority === undefined || rule.Priority === 'default') return undefined;
  const n = Number(rule.Priority);
  return Number.isInteger(n) ? n : undefined;
}

export async function chooseListenerPriority(ctx: DeployContext, req: PriorityRequest): Promise<number> {
  const api = ctx.clients.elbv2;
  if (!api) throw new PreflightError('cannot read the listener\'s rules: no Elastic Load Balancing client');
  const taken = await takenPriorities(ctx, api, req.listenerArn);
  const free = pickFreePriority(req, taken);
  if (free === undefined) {
    const [first, last] = [candidatePriorities(req)[0], candidatePriorities(req).at(-1)];
    throw new PreflightError(`no free listener rule priority between ${first} and ${last} on ${req.listenerArn}`, {
      hint: 'destroy instances that are no longer needed (shipper destroy --expired), or move the main rule (loadBalancer.rule.priority) to a quieter part of the listener',
    });
  }
  return free;
}

/** How CloudFormation reports ELBv2's PriorityInUse on a listener rule, e.g. "Priority '26' is currently in use (Service: AmazonElasticLoadBalancingV2; ... Error Code: PriorityInUse; ...)". */
export function priorityInUse(reason: string | undefined): number | undefined {
  if (!reason) return undefined;
  const m = /Priority '(\d+)' is currently in use/i.exec(reason);
  if (m) return Number(m[1]);
  return /PriorityInUse/.test(reason) ? 0 : undefined;
}

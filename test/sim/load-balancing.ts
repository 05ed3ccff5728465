/**
 * Listener rules as Elastic Load Balancing keeps them: each listener has a default rule and
 * rules with unique priorities (1-50000). Creating a rule, or moving one, onto a priority another
 * rule holds fails with PriorityInUse; CloudFormation reports that as the ListenerRule's
 * CREATE_FAILED/UPDATE_FAILED reason, in the wording real stacks show:
 *   "Priority '26' is currently in use (Service: AmazonElasticLoadBalancingV2; Status Code: 400;
 *    Error Code: PriorityInUse; Request ID: …)"
 * DescribeRules pages with Marker/NextMarker (PageSize up to 400).
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateRule.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_SetRulePriorities.html
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeRules.html
 */
import type * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import { awsError } from '../../src/aws/api.js';
import type { SimRandom } from './random.js';

export interface SimRule {
  arn: string;
  priority: number;
  hostHeaders: string[];
  /** Who made it: a stack's physical resource id, or a test's label. */
  owner: string;
}

export class SimLoadBalancing {
  private readonly listeners = new Map<string, Map<string, SimRule>>();

  constructor(private readonly random: SimRandom) {}

  /** A listener with only its default rule (shipper never creates listeners). */
  addListener(listenerArn: string): this {
    if (!this.listeners.has(listenerArn)) this.listeners.set(listenerArn, new Map());
    return this;
  }

  /** A rule someone else made (another service on the shared listener). */
  addRule(listenerArn: string, priority: number, hostHeaders: string[] = [], owner = 'someone else'): SimRule {
    const problem = this.claim(listenerArn, priority, hostHeaders, `${listenerArn.replace(':listener/', ':listener-rule/')}/${this.random.hex(16)}`, owner);
    if (typeof problem === 'string') throw new Error(problem);
    return problem;
  }

  rulesOf(listenerArn: string): SimRule[] {
    return [...(this.listeners.get(listenerArn)?.values() ?? [])].sort((a, b) => a.priority - b.priority);
  }

  /** The rule a stack resource created, by its physical id. */
  ruleByArn(arn: string): SimRule | undefined {
    for (const rules of this.listeners.values()) if (rules.has(arn)) return rules.get(arn);
    return undefined;
  }

  /** CreateRule: the new rule, or CloudFormation's status reason for PriorityInUse. */
  claim(listenerArn: string, priority: number, hostHeaders: string[], arn: string, owner: string): SimRule | string {
    const rules = this.listeners.get(listenerArn) ?? new Map<string, SimRule>();
    this.listeners.set(listenerArn, rules);
    if ([...rules.values()].some((r) => r.priority === priority)) return priorityInUseReason(priority, this.random);
    const rule = { arn, priority, hostHeaders, owner };
    rules.set(arn, rule);
    return rule;
  }

  /** SetRulePriorities (CloudFormation's update of Priority): refused if another rule holds it. */
  move(arn: string, priority: number): string | undefined {
    for (const rules of this.listeners.values()) {
      const rule = rules.get(arn);
      if (!rule) continue;
      if ([...rules.values()].some((r) => r !== rule && r.priority === priority)) return priorityInUseReason(priority, this.random);
      rule.priority = priority;
    }
    return undefined;
  }

  /** DeleteRule. */
  release(arn: string): void {
    for (const rules of this.listeners.values()) rules.delete(arn);
  }

  async describeRules(input: elbv2.DescribeRulesCommandInput): Promise<elbv2.DescribeRulesCommandOutput> {
    const rules = input.ListenerArn ? this.listeners.get(input.ListenerArn) : undefined;
    if (!rules) throw awsError('ListenerNotFound', 'One or more listeners not found');
    const all: elbv2.Rule[] = [
      ...this.rulesOf(input.ListenerArn!).map((r) => ({
        RuleArn: r.arn,
        Priority: String(r.priority),
        IsDefault: false,
        Conditions: r.hostHeaders.length ? [{ Field: 'host-header', HostHeaderConfig: { Values: r.hostHeaders } }] : [],
        Actions: [{ Type: 'forward' as const }],
      })),
      { RuleArn: `${input.ListenerArn!.replace(':listener/', ':listener-rule/')}/default`, Priority: 'default', IsDefault: true, Conditions: [], Actions: [{ Type: 'forward' as const }] },
    ];
    const pageSize = Math.min(input.PageSize ?? 400, 400);
    const start = input.Marker ? Number(input.Marker) : 0;
    const page = all.slice(start, start + pageSize);
    const next = start + pageSize < all.length ? String(start + pageSize) : undefined;
    return { Rules: page, ...(next ? { NextMarker: next } : {}), $metadata: {} };
  }

  /** Target health is not modelled: no targets are reported (status shows the group's own view). */
  async describeTargetHealth(): Promise<elbv2.DescribeTargetHealthCommandOutput> {
    return { TargetHealthDescriptions: [], $metadata: {} };
  }
}

function priorityInUseReason(priority: number, random: SimRandom): string {
  return `Priority '${priority}' is currently in use (Service: AmazonElasticLoadBalancingV2; Status Code: 400; Error Code: PriorityInUse; Request ID: ${random.hex(8)}-${random.hex(4)}-${random.hex(4)}-${random.hex(4)}-${random.hex(12)})`;
}

/** A ListenerRule resource's listener, priority and host headers, from its resolved properties. */
export function listenerRuleSpec(props: Record<string, any>): { listenerArn: string; priority: number; hostHeaders: string[] } | undefined {
  if (typeof props.ListenerArn !== 'string') return undefined;
  const priority = Number(props.Priority);
  const hostHeaders = (props.Conditions ?? []).flatMap((c: any) => (c.Field === 'host-header' ? (c.HostHeaderConfig?.Values ?? c.Values ?? []) : []));
  return Number.isInteger(priority) ? { listenerArn: props.ListenerArn, priority, hostHeaders } : undefined;
}

/**
 * Checks on a rendered template that cfn-lint does not make but that would fail (or hang)
 * a deploy: signal counts the group can never satisfy, timeouts CloudFormation rejects,
 * sizes out of order, scheduled actions with a bad cron or time zone, and target group
 * health checks whose timeout is not shorter than their interval.
 */
import { cronProblem } from '../descriptor/cron.js';
import { timeZoneProblem } from '../descriptor/service-rules.js';
import { bootBudgetProblems } from './boot-budget.js';
import type { InputProblem } from '../errors.js';
import type { CfnTemplate } from './template.js';

/** CloudFormation's limit for a template sent inline (TemplateBody), in bytes. */
export const TEMPLATE_BODY_LIMIT = 51_200;

/** CloudFormation's maximum for ResourceSignal.Timeout: 12 hours. */
const MAX_SIGNAL_TIMEOUT_SECONDS = 43200;

export function templateProblems(template: CfnTemplate, parameterValues: Record<string, string | number> = {}): InputProblem[] {
  const problems: InputProblem[] = [];
  const value = (v: unknown): unknown => {
    if (v && typeof v === 'object' && 'Ref' in v) {
      const name = (v as { Ref: string }).Ref;
      return parameterValues[name] ?? template.Parameters[name]?.Default;
    }
    return v;
  };
  const num = (v: unknown): number | undefined => {
    const resolved = value(v);
    return resolved === undefined || resolved === '' || Number.isNaN(Number(resolved)) ? undefined : Number(resolved);
  };
  const at = (path: string, message: string, hint?: string) => problems.push({ location: { file: 'rendered template' }, path, message, hint });

  const bytes = Buffer.byteLength(JSON.stringify(template), 'utf8');
  if (bytes > TEMPLATE_BODY_LIMIT) {
    at('(template)', `the template is ${bytes} bytes, over CloudFormation's ${TEMPLATE_BODY_LIMIT}-byte limit for a template sent inline`, 'move large resources out of the fragment, or trim environment variables and sidecar configuration');
  }

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::AutoScaling::AutoScalingGroup') continue;
    const props = resource.Properties ?? {};
    const min = num(props.MinSize);
    const max = num(props.MaxSize);
    const desired = num(props.DesiredCapacity);
    if (min !== undefined && max !== undefined && min > max) at(`Resources.${id}.Properties`, `MinSize ${min} is greater than MaxSize ${max}`, 'fix capacity.min / capacity.max');
    if (desired !== undefined && ((min !== undefined && desired < min) || (max !== undefined && desired > max))) {
      at(`Resources.${id}.Properties.DesiredCapacity`, `DesiredCapacity ${desired} is outside ${min}..${max}`, 'keep capacity.min <= capacity.desired <= capacity.max');
    }
    const signal = (resource.CreationPolicy?.ResourceSignal ?? undefined) as { Count?: unknown; Timeout?: unknown } | undefined;
    if (signal) {
      const count = num(signal.Count);
      if (count !== undefined && max !== undefined && count > max) {
        at(`Resources.${id}.CreationPolicy.ResourceSignal.Count`, `waits for ${count} signals but the group can hold at most ${max} instances, so the deploy could only time out`, 'raise capacity.max or lower capacity.desired');
      }
      const timeout = typeof signal.Timeout === 'string' ? isoDurationSeconds(signal.Timeout) : undefined;
      if (timeout === undefined) at(`Resources.${id}.CreationPolicy.ResourceSignal.Timeout`, `"${String(signal.Timeout)}" is not an ISO-8601 duration`, 'write it like PT15M or PT1H30M');
      else if (timeout > MAX_SIGNAL_TIMEOUT_SECONDS) at(`Resources.${id}.CreationPolicy.ResourceSignal.Timeout`, `${signal.Timeout} is longer than CloudFormation's 12 hour maximum`, 'use at most PT12H');
      else if (timeout === 0) at(`Resources.${id}.CreationPolicy.ResourceSignal.Timeout`, 'a zero timeout fails every deploy', 'use e.g. PT15M');
      else for (const p of bootBudgetProblems(resource, timeout)) at(`Resources.${id}.${p.path}`, p.message, p.hint);
    }
  }

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::AutoScaling::ScheduledAction') continue;
    const recurrence = resource.Properties?.Recurrence;
    if (typeof recurrence === 'string') {
      const problem = cronProblem(recurrence);
      if (problem) at(`Resources.${id}.Properties.Recurrence`, `invalid cron "${recurrence}": ${problem}`);
    }
    const zone = resource.Properties?.TimeZone;
    const zoneProblem = typeof zone === 'string' ? timeZoneProblem(zone) : undefined;
    if (zoneProblem) at(`Resources.${id}.Properties.TimeZone`, zoneProblem.message, zoneProblem.hint);
  }

  // ELBv2 refuses a health-check timeout that is not shorter than the interval (CreateTargetGroup);
  // a fragment's target group gets the same check as shipper's own.
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::ElasticLoadBalancingV2::TargetGroup') continue;
    const interval = num(resource.Properties?.HealthCheckIntervalSeconds);
    const timeout = num(resource.Properties?.HealthCheckTimeoutSeconds);
    if (interval !== undefined && timeout !== undefined && timeout >= interval) {
      at(`Resources.${id}.Properties.HealthCheckTimeoutSeconds`, `a ${timeout}s health-check timeout is not shorter than the ${interval}s interval`, 'the target group refuses it: lower the timeout or raise the interval');
    }
  }
  return problems;
}

/** `PT1H30M` → 5400; undefined when it is not a time-only ISO-8601 duration. */
export function isoDurationSeconds(text: string): number | undefined {
  const m = /^PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

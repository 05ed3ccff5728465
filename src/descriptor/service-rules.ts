/**
 * Rules across keys of one resolved service, checked offline against the ranges and relations
 * AWS documents for the service that will receive each value. A value AWS would reject fails
 * here, with the key to fix, instead of as a rolled-back deploy.
 */
import type { ResolvedService } from './schema.js';
import { closest } from './suggest.js';
import { bakeProblems } from './bake-rules.js';
import { instanceRuleProblems } from '../instances/descriptor-rules.js';
import type { KeyPath } from './source.js';

export interface RuleProblem {
  /** Key path inside the resolved service (the loader maps it to the overlay or the base). */
  path: KeyPath;
  message: string;
  expected?: string;
  hint?: string;
}

/** Seconds added to the proxy's read timeout for the default deregistration delay. */
export const DEREGISTRATION_MARGIN_SECONDS = 10;

/**
 * The health-check timeout the target group gets: the one written, else AWS's HTTP default of
 * 5 s, kept shorter than the interval as ELBv2 requires.
 */
export function healthCheckTimeoutSeconds(service: Pick<ResolvedService, 'healthCheck'>): number {
  return service.healthCheck.timeoutSeconds ?? Math.min(5, service.healthCheck.intervalSeconds - 1);
}

/**
 * How long a deregistering instance keeps its in-flight requests: the one written, else the
 * reverse proxy's read timeout plus a margin, so a request the proxy still waits on is never cut
 * when a rollback (or the end of a deploy) takes an instance out.
 */
export function deregistrationDelaySeconds(service: Pick<ResolvedService, 'network' | 'sidecars'>): number {
  const written = service.network.loadBalancer?.deregistrationDelaySeconds;
  if (written !== undefined) return written;
  const proxy = service.sidecars['reverse-proxy'];
  return proxy.enabled ? Math.min(3600, proxy.proxyReadTimeoutSeconds + DEREGISTRATION_MARGIN_SECONDS) : 60;
}

/** Problems with the resolved service; `written` says whether a key was set in the file (vs. defaulted). */
export function serviceRuleProblems(service: ResolvedService, written: (path: KeyPath) => boolean): RuleProblem[] {
  return [...healthCheckProblems(service), ...targetGroupProblems(service, written), ...scheduledActionProblems(service), ...memoryProblems(service), ...bakeProblems(service, written), ...instanceRuleProblems(service)];
}

function healthCheckProblems(service: ResolvedService): RuleProblem[] {
  const hc = service.healthCheck;
  if (hc.timeoutSeconds === undefined || hc.timeoutSeconds < hc.intervalSeconds) return [];
  // ELBv2: "The timeout must be smaller than the interval" (CreateTargetGroup, HealthCheckTimeoutSeconds).
  return [
    {
      path: ['healthCheck', 'timeoutSeconds'],
      message: `a ${hc.timeoutSeconds}s timeout is not shorter than the ${hc.intervalSeconds}s interval, which the target group refuses`,
      expected: `2 to ${Math.min(120, hc.intervalSeconds - 1)}`,
      hint: 'lower healthCheck.timeoutSeconds or raise healthCheck.intervalSeconds',
    },
  ];
}

function targetGroupProblems(service: ResolvedService, written: (path: KeyPath) => boolean): RuleProblem[] {
  const lb = service.network.loadBalancer;
  if (!lb) return [];
  const problems: RuleProblem[] = [];
  if (lb.targetGroupArn) {
    // These are attributes of the target group shipper creates; on one it does not own they would be ignored.
    for (const key of ['slowStartSeconds', 'deregistrationDelaySeconds'] as const) {
      if (written(['network', 'loadBalancer', key])) {
        problems.push({
          path: ['network', 'loadBalancer', key],
          message: `${key} applies to the target group shipper creates, but this service registers with an existing one (targetGroupArn)`,
          hint: 'set the attribute on that target group itself, or let shipper create one (listenerArn and rule)',
        });
      }
    }
    return problems;
  }
  const proxy = service.sidecars['reverse-proxy'];
  const delay = lb.deregistrationDelaySeconds;
  if (proxy.enabled && delay !== undefined && delay < proxy.proxyReadTimeoutSeconds) {
    problems.push({
      path: ['network', 'loadBalancer', 'deregistrationDelaySeconds'],
      message: `a ${delay}s deregistration delay is shorter than the reverse proxy's ${proxy.proxyReadTimeoutSeconds}s read timeout, so taking an instance out (a rollback, the end of a deploy) could cut requests still in flight`,
      expected: `${proxy.proxyReadTimeoutSeconds} to 3600`,
      hint: `leave it unset (default ${proxy.proxyReadTimeoutSeconds + DEREGISTRATION_MARGIN_SECONDS}) or lower sidecars.reverse-proxy.proxyReadTimeoutSeconds`,
    });
  }
  return problems;
}

function scheduledActionProblems(service: ResolvedService): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const seen = new Map<string, number>();
  const { min, max } = service.capacity;
  service.scheduledActions.forEach((action, i) => {
    const first = seen.get(action.name);
    if (first !== undefined) {
      problems.push({
        path: ['scheduledActions', i, 'name'],
        message: `a second scheduled action named "${action.name}" (the first is scheduledActions[${first}]); one of them would be silently dropped`,
        hint: 'give each scheduled action its own name',
      });
    } else {
      seen.set(action.name, i);
    }
    if (action.timeZone !== undefined) {
      const problem = timeZoneProblem(action.timeZone);
      if (problem) problems.push({ path: ['scheduledActions', i, 'timeZone'], ...problem });
    }
    // The environment's capacity is the range the service may run in; a schedule moves within it.
    for (const key of ['minSize', 'maxSize', 'desiredCapacity'] as const) {
      const value = action[key];
      if (value === undefined || (value >= min && value <= max)) continue;
      problems.push({
        path: ['scheduledActions', i, key],
        message: `${key} ${value} is outside this environment's capacity ${min}..${max}`,
        expected: `${min} to ${max}`,
        hint: 'scheduled actions belong to one environment: keep them within its capacity.min and capacity.max',
      });
    }
  });
  return problems;
}

/**
 * Auto Scaling takes IANA time zone names (ScheduledAction TimeZone: "Valid values are the
 * canonical names of the IANA time zones"). Node's ICU knows the same database, offline;
 * it also accepts other spellings (lower case), which AWS does not, so those are refused too.
 */
export function timeZoneProblem(name: string): Omit<RuleProblem, 'path'> | undefined {
  let resolved: string | undefined;
  if (/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(name)) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
  }
  const known = Intl.supportedValuesOf('timeZone');
  const caseOnly = resolved !== undefined && resolved !== name && resolved.toLowerCase() === name.toLowerCase();
  if (resolved !== undefined && !caseOnly) return undefined;
  const suggestion = caseOnly ? resolved : closest(name, known);
  return {
    message: `"${name}" is not an IANA time zone name`,
    expected: 'a name such as Etc/UTC, Europe/Dublin or America/New_York',
    hint: suggestion ? `did you mean "${suggestion}"?` : 'see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones',
  };
}

function memoryProblems(service: ResolvedService): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const check = (path: KeyPath, limit?: number, reservation?: number) => {
    if (limit !== undefined && reservation !== undefined && reservation > limit) {
      problems.push({ path: [...path, 'memoryReservationMiB'], message: `a ${reservation} MiB reservation is above the ${limit} MiB limit, which docker refuses`, hint: 'keep memoryReservationMiB <= memoryMiB' });
    }
  };
  for (const name of ['reverse-proxy', 'log-router', 'metrics-collector'] as const) {
    const s = service.sidecars[name];
    check(['sidecars', name], s.memoryMiB, s.memoryReservationMiB);
  }
  service.sidecars.custom.forEach((s, i) => check(['sidecars', 'custom', i], s.memoryMiB, s.memoryReservationMiB));
  return problems;
}

/**
 * Runs one operation per service, at most `concurrency` at a time, in selection order. Each
 * service's failure (or refusal) is its own: it is caught, classified and summarised, and never
 * stops or cancels the others. An interrupt stops starting new ones (they are reported as not
 * started); the ones under way see the same interrupt in their own context and cancel.
 */
import type { Clock } from '../aws/api.js';
import type { Reporter } from '../report/events.js';
import type { FleetOutcome, FleetReporter, ServiceResult } from './events.js';
import { failedOutcome, fleetExitCode, notStarted, type DescribedError } from './outcome.js';
import { ServiceTracker } from './tracker.js';

/**
 * Four at a time by default. A replacing update runs the old and the new group side by side, so
 * every concurrent deploy needs a service's worth of extra instances (EC2 vCPU quota, subnet
 * addresses), and every followed deploy polls CloudFormation and Auto Scaling every 1 to 5 s
 * (their Describe* APIs are throttled per account and region, shared with every other pipeline).
 * Four keeps both small while thirty services still finish in about eight rounds; raise it with
 * --concurrency when the account has room.
 */
export const DEFAULT_CONCURRENCY = 4;

export interface FleetMember {
  label: string;
  env: string;
  stackName: string;
}

export interface FleetRunOptions {
  concurrency: number;
  clock: Clock;
  reporter: FleetReporter;
  /** The first Ctrl-C or SIGTERM: services not started yet are not started. */
  interrupt?: AbortSignal;
  /** How an error ends a service, as the CLI's one error handler tells it. */
  describe(err: unknown): DescribedError;
}

/** What one service's work returns when it succeeded. */
export type Succeeded = Extract<FleetOutcome, 'live' | 'no-changes' | 'planned' | 'shown'>;

export interface FleetSummary {
  results: ServiceResult[];
  exitCode: number;
}

export async function runFleet<M extends FleetMember>(
  members: M[],
  work: (member: M, reporter: Reporter) => Promise<Succeeded>,
  opts: FleetRunOptions,
): Promise<FleetSummary> {
  const { reporter, clock } = opts;
  const total = members.length;
  const env = members[0]?.env ?? '';
  const results: ServiceResult[] = new Array(total);
  const limit = Math.max(1, Math.min(opts.concurrency, total));
  let next = 0;
  let running = 0;
  let done = 0;
  reporter.emit({ type: 'fleet.started', env, services: members.map((m) => m.label), concurrency: limit });

  const runOne = async (member: M): Promise<ServiceResult> => {
    const tracker = new ServiceTracker(reporter.lane(member.label, member.env));
    const startedAt = clock.now().getTime();
    const base = { service: member.label, env: member.env, stackName: member.stackName };
    const elapsed = () => Math.max(0, Math.round((clock.now().getTime() - startedAt) / 1000));
    try {
      const outcome = await work(member, tracker);
      return { ...base, outcome, exitCode: 0, ...(tracker.release !== undefined ? { release: tracker.release } : {}), elapsedSeconds: elapsed() };
    } catch (err) {
      const described = opts.describe(err);
      return { ...base, ...failedOutcome(described, tracker, Boolean(opts.interrupt?.aborted)), ...(tracker.release !== undefined ? { release: tracker.release } : {}), elapsedSeconds: elapsed() };
    }
  };

  const worker = async () => {
    while (next < total) {
      const index = next++;
      const member = members[index]!;
      if (opts.interrupt?.aborted) {
        results[index] = notStarted(member.label, member.env, member.stackName);
      } else {
        running++;
        reporter.emit({ type: 'fleet.service-started', service: member.label, env: member.env, running, waiting: total - next });
        results[index] = await runOne(member);
        running--;
      }
      done++;
      reporter.emit({ type: 'fleet.service-ended', result: results[index]!, done, total });
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));

  const exitCode = fleetExitCode(results);
  reporter.emit({ type: 'fleet.summary', env, results, exitCode });
  return { results, exitCode };
}

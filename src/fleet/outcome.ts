/**
 * How one service ended, from what it returned or threw, and the one exit code of the whole
 * command. The rule (README "Exit codes"): 0 when every service succeeded (live, no changes,
 * planned, shown); the exit code the failed services share when they all failed the same way
 * (every deploy rolled back: 4, as for one service); 8 when they failed in different ways; 130
 * when a second Ctrl-C left operations to CloudFormation.
 */
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { describeCancellation } from '../report/failure.js';
import { SUCCESSFUL_OUTCOMES, type FleetOutcome, type ServiceResult } from './events.js';
import type { ServiceTracker } from './tracker.js';

export interface DescribedError {
  exitCode: number;
  message: string;
  hint?: string;
}

/** Exit codes that mean "nothing was changed, on purpose": bad input, preflight refusal, not confirmed. */
const REFUSALS = new Set<number>([ExitCode.badInput, ExitCode.preflightRefused, ExitCode.aborted]);

export function failedOutcome(error: DescribedError, tracker: ServiceTracker, interrupted: boolean): Pick<ServiceResult, 'outcome' | 'exitCode' | 'rootCause' | 'message' | 'hint'> {
  const base = { message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  if (interrupted && !tracker.operationStarted) {
    // Stopped while it prepared (preflight, change set): its update never started.
    return { outcome: 'not-started', exitCode: ExitCode.detached, rootCause: 'interrupted before its update started; nothing was changed', ...base };
  }
  const report = tracker.failure;
  const rootCause = report?.rootCause ? `${report.rootCause.logicalId}: ${report.rootCause.reason}` : report?.cancelled ? `cancelled by ${describeCancellation(report.cancelled)}` : error.message;
  let outcome: FleetOutcome = 'failed';
  if (error.exitCode === ExitCode.detached) outcome = 'detached';
  else if (report?.cancelled) outcome = 'cancelled';
  else if (REFUSALS.has(error.exitCode)) outcome = 'refused';
  return { outcome, exitCode: error.exitCode, rootCause, ...base };
}

export function notStarted(service: string, env: string, stackName: string): ServiceResult {
  return { service, env, stackName, outcome: 'not-started', exitCode: ExitCode.detached, rootCause: 'interrupted before it started; nothing was changed' };
}

/** The fleet's exit code (see the rule above). */
export function fleetExitCode(results: ServiceResult[]): ExitCodeValue {
  const failed = results.filter((r) => !SUCCESSFUL_OUTCOMES.has(r.outcome));
  if (failed.length === 0) return ExitCode.ok;
  if (failed.some((r) => r.outcome === 'detached')) return ExitCode.detached;
  const codes = new Set(failed.map((r) => r.exitCode));
  return codes.size === 1 ? (failed[0]!.exitCode as ExitCodeValue) : ExitCode.servicesFailed;
}

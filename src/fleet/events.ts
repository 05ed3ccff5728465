/**
 * What a command over many services says about the fleet as a whole: each service starting and
 * ending, and the summary. Each service's own events are the ordinary ShipperEvents, on a
 * reporter of its own (FleetReporter.lane), so every renderer can keep services apart.
 */
import type { Reporter } from '../report/events.js';

/** How one service's part of the command ended. */
export type FleetOutcome =
  /** deploy: the new group is live. */
  | 'live'
  /** deploy or plan: the stack already runs this release and configuration. */
  | 'no-changes'
  /** plan: a change set was made, shown and deleted. */
  | 'planned'
  /** status, releases: read and shown. */
  | 'shown'
  /** The update failed and rolled back, the stack needs attention, or an AWS call failed. */
  | 'failed'
  /** The update was cancelled (Ctrl-C, SIGTERM, --timeout) and rolled back. */
  | 'cancelled'
  /** Refused before anything changed: preflight, bad input found late, not confirmed. */
  | 'refused'
  /** Never started (interrupted first); nothing was changed. */
  | 'not-started'
  /** Left to CloudFormation by a second Ctrl-C. */
  | 'detached';

export const SUCCESSFUL_OUTCOMES: ReadonlySet<FleetOutcome> = new Set(['live', 'no-changes', 'planned', 'shown']);

export interface ServiceResult {
  service: string;
  env: string;
  stackName: string;
  outcome: FleetOutcome;
  /** 0 when it succeeded; else the exit code it would have had on its own. */
  exitCode: number;
  /** The release number in the history, when this run recorded one. */
  release?: number;
  /** From its start to its end (absent when it never started). */
  elapsedSeconds?: number;
  /** Why it did not succeed: the failed resource and what it said, or the error. */
  rootCause?: string;
  message?: string;
  hint?: string;
}

export type FleetEvent =
  | { type: 'fleet.started'; env: string; services: string[]; concurrency: number }
  | { type: 'fleet.service-started'; service: string; env: string; running: number; waiting: number }
  | { type: 'fleet.service-ended'; result: ServiceResult; done: number; total: number }
  | { type: 'fleet.summary'; env: string; results: ServiceResult[]; exitCode: number };

export interface FleetReporter {
  /** Where one service's events go; called once per service, before it starts. */
  lane(service: string, env: string): Reporter;
  emit(event: FleetEvent): void;
  /** Flush and stop any live display; called once at the end. */
  close(): void;
}

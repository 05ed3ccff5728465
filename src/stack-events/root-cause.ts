/**
 * What went wrong, from the events of one operation. CloudFormation reports a failure as a
 * cascade: one resource fails, every other resource in flight is "cancelled", and the stack
 * summarises "The following resource(s) failed to update: [...]". Only the first real failure
 * tells the user what to fix. Reasons are free text with known variants (double spaces, ". .",
 * trailing periods), so everything here matches patterns, never exact strings.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { isResourceFailure } from './status.js';

export type EventLike = Partial<
  Pick<StackEvent, 'LogicalResourceId' | 'ResourceType' | 'ResourceStatus' | 'ResourceStatusReason' | 'PhysicalResourceId' | 'Timestamp' | 'StackName' | 'EventId'>
>;

export type ReasonKind =
  /** Instances said FAILURE: `failures` of `expected` signals. */
  | { kind: 'signal-failure'; failures: number; expected: number }
  /** Too few SUCCESS signals arrived in time (the timeout ran out). */
  | { kind: 'signal-timeout'; missing?: number; received?: number; expected?: number }
  | { kind: 'other' };

export interface RootCause {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
  physicalId?: string;
  timestamp?: Date;
  classification: ReasonKind;
}

export interface InstanceSignal {
  instanceId: string;
  signal: 'SUCCESS' | 'FAILURE';
  logicalId: string;
  timestamp?: Date;
}

/** Collapses runs of whitespace so "signal(s) out of 2.  Unable" matches like the single-spaced form. */
export function normalizeReason(reason: string): string {
  return reason.replace(/\s+/g, ' ').trim();
}

const CANCELLED = /^Resource (update|creation|deletion) cancelled\b/i;
const STACK_SUMMARY = /^The following resource\(s\) failed to (create|update|delete)\b/i;
const FAILURE_SIGNALS = /Received (\d+) FAILURE signal\(s\) out of (\d+)/i;
const TOO_FEW_SUCCESSES = /Received (\d+) SUCCESS signal\(s\) out of (\d+)/i;
const TIMEOUT = /Failed to receive (\d+) resource signal\(s\)/i;
const SIGNAL_EVENT = /Received (SUCCESS|FAILURE) signal with UniqueId ([^\s.,;]+)/i;

export function isCancellationReason(reason: string | undefined): boolean {
  return reason !== undefined && CANCELLED.test(normalizeReason(reason));
}

export function isStackSummaryReason(reason: string | undefined): boolean {
  return reason !== undefined && STACK_SUMMARY.test(normalizeReason(reason));
}

export function classifyReason(reason: string): ReasonKind {
  const text = normalizeReason(reason);
  const failure = FAILURE_SIGNALS.exec(text);
  if (failure) return { kind: 'signal-failure', failures: Number(failure[1]), expected: Number(failure[2]) };
  const timeout = TIMEOUT.exec(text);
  if (timeout) return { kind: 'signal-timeout', missing: Number(timeout[1]) };
  // "Received 0 SUCCESS signal(s) out of 1. Unable to satisfy 100% ..." is how a create
  // reports the timeout running out with too few successes.
  const tooFew = TOO_FEW_SUCCESSES.exec(text);
  if (tooFew) return { kind: 'signal-timeout', received: Number(tooFew[1]), expected: Number(tooFew[2]) };
  return { kind: 'other' };
}

function isStackEvent(e: EventLike, stackName?: string): boolean {
  if (e.ResourceType === 'AWS::CloudFormation::Stack' && (stackName === undefined || e.LogicalResourceId === stackName)) return true;
  return stackName !== undefined && e.LogicalResourceId === stackName;
}

/**
 * The first resource failure that is not a cancellation or the stack's own summary.
 * `events` are oldest first; `stackName` tells the stack's own events apart (nested stacks
 * are resources of type AWS::CloudFormation::Stack too, so pass it when known).
 */
export function findRootCause(events: readonly EventLike[], opts: { stackName?: string } = {}): RootCause | undefined {
  for (const e of events) {
    const status = e.ResourceStatus ?? '';
    if (!isResourceFailure(status) || isStackEvent(e, opts.stackName)) continue;
    const reason = e.ResourceStatusReason ?? '';
    if (isCancellationReason(reason) || isStackSummaryReason(reason)) continue;
    return {
      logicalId: e.LogicalResourceId ?? '',
      resourceType: e.ResourceType ?? '',
      status,
      reason,
      physicalId: e.PhysicalResourceId,
      timestamp: e.Timestamp,
      classification: classifyReason(reason),
    };
  }
  return undefined;
}

const ROLLBACK_STARTED = /^(UPDATE_ROLLBACK|ROLLBACK)_IN_PROGRESS$/;

/**
 * When the rollback itself failed (UPDATE_ROLLBACK_FAILED, ROLLBACK_FAILED): the first resource
 * that failed after the stack began rolling back. That resource is what must be fixed (or
 * skipped) before `continue-update-rollback`; the original root cause is not.
 */
export function findRollbackBlocker(events: readonly EventLike[], opts: { stackName?: string } = {}): RootCause | undefined {
  const start = events.findIndex((e) => isStackEvent(e, opts.stackName) && ROLLBACK_STARTED.test(e.ResourceStatus ?? ''));
  if (start < 0) return undefined;
  return findRootCause(events.slice(start + 1), opts);
}

/** The cfn-signal calls CloudFormation acknowledged, oldest first. */
export function signalsFromEvents(events: readonly EventLike[]): InstanceSignal[] {
  const signals: InstanceSignal[] = [];
  for (const e of events) {
    const match = SIGNAL_EVENT.exec(normalizeReason(e.ResourceStatusReason ?? ''));
    if (!match) continue;
    signals.push({
      instanceId: match[2]!,
      signal: match[1]!.toUpperCase() as 'SUCCESS' | 'FAILURE',
      logicalId: e.LogicalResourceId ?? '',
      timestamp: e.Timestamp,
    });
  }
  return signals;
}

/** Instances that signalled FAILURE, in the order they did (each once). */
export function failedInstanceIds(events: readonly EventLike[]): string[] {
  const ids = signalsFromEvents(events)
    .filter((s) => s.signal === 'FAILURE')
    .map((s) => s.instanceId);
  return [...new Set(ids)];
}

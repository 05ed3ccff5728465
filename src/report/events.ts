/**
 * The typed event stream that core code emits. Every renderer (tty, plain, json) consumes
 * exactly this stream, so the three outputs can never disagree about what happened.
 */
import type { ReleasePlan, ResourceChange } from './release-plan.js';
import type { DestroyOutcome } from './destroy-outcome.js';

export type { ResourceChange };

export type Phase = 'preflight' | 'plan' | 'execute' | 'rollout' | 'cleanup' | 'rollback' | 'outcome';

export interface InstanceView {
  instanceId: string;
  lifecycleState: string;
  healthStatus?: string;
  launchTemplateVersion?: string;
  availabilityZone?: string;
}

export interface FailedActivity {
  time: Date;
  description: string;
  cause?: string;
  statusMessage: string;
}

export type ShipperEvent =
  | { type: 'phase'; phase: Phase; title: string }
  | { type: 'info'; message: string }
  | { type: 'warning'; message: string }
  | { type: 'preflight.check'; name: string; ok: boolean; detail: string }
  | { type: 'stack.busy'; stackName: string; status: string; waitedSeconds: number }
  | {
      type: 'plan.summary';
      stackName: string;
      create: boolean;
      changes: ResourceChange[];
      groupReplaced: boolean;
      image: { oldTag?: string; oldDigest?: string; newTag?: string; newDigest: string };
      capacity: { desired: number; liveDesired?: number; signals: number };
      /** The bake: minutes, the alarms that guard this deploy, the default alarms it creates for the next one; `skipped` by --no-bake. */
      bake?: { minutes: number; alarms: Array<{ name: string; origin: 'default' | 'declared' }>; notYetGuarding: string[]; skipped: boolean };
    }
  | { type: 'plan.no-changes'; stackName: string }
  | { type: 'operation.started'; stackName: string; operation: string; token?: string; startedAt: Date }
  | {
      type: 'stack.event';
      eventId: string;
      timestamp: Date;
      elapsedSeconds: number;
      logicalId: string;
      resourceType: string;
      status: string;
      reason?: string;
      isStack: boolean;
    }
  | {
      type: 'group.progress';
      groupName: string;
      instances: InstanceView[];
      signalsReceived: number;
      signalsExpected: number;
      elapsedSeconds: number;
    }
  | { type: 'group.activity-failed'; groupName: string; activity: FailedActivity }
  | { type: 'operation.cancelling'; reason: string; cancellation?: Cancellation }
  | {
      type: 'deploy.live';
      stackName: string;
      /** The environment, for commands the user may run next. */
      env?: string;
      elapsedSeconds: number;
      outputs: Record<string, string>;
      /** background: the old group drains after shipper returns; waiting: shipper follows it; none: nothing to clean up. */
      cleanup: 'background' | 'waiting' | 'none';
      /** The short-lived instance that went live (`--instance`), absent for the main stack. */
      instance?: string;
    }
  | { type: 'cleanup.complete'; elapsedSeconds: number; leftovers: Array<{ logicalId: string; physicalId?: string; reason?: string }> }
  | { type: 'deploy.failed'; report: FailureReport }
  | { type: 'watch.idle'; stackName: string; status: string }
  /** The attempt is in the release history under this number (a rollback also names the release it goes back to). */
  | { type: 'release.recorded'; number: number; rollbackOf?: number }
  | { type: 'plan.detail'; plan: ReleasePlan }
  /** A notification (webhook, New Relic, ...) was accepted or not; never changes the outcome. */
  | { type: 'notify.result'; channel: string; ok: boolean; detail: string }
  /** `shipper destroy` finished with one stack: deleted, or what is left and what to run next. */
  | { type: 'destroy.outcome'; outcome: DestroyOutcome }
  /** The new group serves and every signal is in: CloudFormation keeps the update open (old group kept) until `endsAt`. */
  | { type: 'bake.started'; stackName: string; minutes: number; endsAt: Date; alarms: BakeAlarmView[]; notYetGuarding: string[] }
  /** Now and again during the bake: who serves, each alarm's state, the time left. */
  | { type: 'bake.progress'; newGroupName?: string; oldGroupName?: string; alarms: BakeAlarmView[]; secondsLeft: number }
  /** An alarm that guards the bake went to ALARM (or one does not exist): CloudFormation rolls the update back. */
  | { type: 'bake.breach'; breach: BakeBreach }
  /** The monitoring period ended without a breach; cleanup of the old group starts. */
  | { type: 'bake.ended'; minutes: number; elapsedSeconds: number };

/** One alarm guarding a bake, as CloudWatch last described it ('missing': no such alarm; 'unknown': not read). */
export interface BakeAlarmView {
  name: string;
  state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'missing' | 'unknown';
  /** CloudWatch's StateReason, as it gives it. */
  reason?: string;
  /** StateUpdatedTimestamp. */
  since?: Date;
}

/** Why a bake rolled back: the alarm that went to ALARM, or a trigger alarm that does not exist. */
export interface BakeBreach {
  kind: 'alarm' | 'missing';
  alarmName: string;
  alarmArn?: string;
  /** CloudWatch's StateReason for the ALARM state, as it gives it. */
  stateReason?: string;
  /** When the alarm went to ALARM (StateUpdatedTimestamp). */
  firedAt?: Date;
  /** During the bake, or while the new group was still being created. */
  during: 'bake' | 'rollout';
}

/** Everything the user needs, on one screen, when a deploy did not go live. */
export interface FailureReport {
  stackName: string;
  finalStatus: string;
  /** The first non-cancelled resource failure, e.g. "autoScalingGroup: Received 1 FAILURE signal(s) out of 2...". */
  rootCause?: { logicalId: string; resourceType: string; status: string; reason: string };
  groupActivities: FailedActivity[];
  failedInstances: Array<{ instanceId: string; reason: string }>;
  /** True when we proved the previous group is still the one serving. */
  previousReleaseLive: boolean;
  previousGroupName?: string;
  nextSteps: string[];
  elapsedSeconds: number;
  /** What the failed instances wrote to their boot log streams (read as soon as they failed). */
  bootLogs?: BootLog[];
  /** The release that serves again after the rollback, as the history (or the stack) knows it. */
  previousRelease?: PreviousRelease;
  /** When the rollback itself failed: the resource that could not be rolled back, and why. */
  rollbackBlocker?: { logicalId: string; resourceType: string; status: string; reason: string };
  /** Set when the update was cancelled rather than failed. */
  cancelled?: Cancellation;
  /** An alarm guarding the bake went to ALARM (or was missing): the root cause, before any resource's reason. */
  bakeBreach?: BakeBreach;
}

/** One failed instance's boot log stream: its last lines (oldest first), or why it could not be read. */
export interface BootLog {
  instanceId: string;
  logGroup: string;
  stream: string;
  lines: string[];
  unreadable?: string;
}

export interface PreviousRelease {
  /** Release number in the history; absent when the history does not know the release. */
  number?: number;
  tag?: string;
  digest?: string;
  /** When it was deployed (ISO-8601) and by whom, from the history. */
  deployedAt?: string;
  by?: string;
}

/** What cancelled an update: a signal (SIGINT is Ctrl-C) or the --timeout running out. */
export type Cancellation = { by: 'signal'; signal: string } | { by: 'timeout'; timeoutSeconds: number };

export interface Reporter {
  emit(event: ShipperEvent): void;
  /** Flush and stop any live display (spinner); called once at the end. */
  close(): void;
  /** Stop redrawing a live display until the next event, so a prompt can be read and answered. */
  pause?(): void;
}

/** A reporter that remembers events: for tests and for composing reports. */
export class RecordingReporter implements Reporter {
  readonly events: ShipperEvent[] = [];
  emit(event: ShipperEvent): void {
    this.events.push(event);
  }
  close(): void {}
  of<T extends ShipperEvent['type']>(type: T): Extract<ShipperEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<ShipperEvent, { type: T }> => e.type === type);
  }
}

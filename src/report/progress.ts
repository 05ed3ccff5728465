/**
 * The new group's rollout in one short phrase. Core reports progress only when it changed
 * (RolloutState.progressChanged), so every event here is news and is shown.
 */
import type { InstanceView, ShipperEvent } from './events.js';
import { activityMessage } from './failure.js';
import type { StackEventColumns } from './stack-line.js';
import type { Style } from './style.js';

type GroupProgress = Extract<ShipperEvent, { type: 'group.progress' }>;
type ActivityFailed = Extract<ShipperEvent, { type: 'group.activity-failed' }>;

/** Lifecycle states in the order an instance passes through them. */
const LIFECYCLE_ORDER = [
  'Pending',
  'Pending:Wait',
  'Pending:Proceed',
  'InService',
  'Standby',
  'Detaching',
  'Terminating',
  'Terminating:Wait',
  'Terminating:Proceed',
  'Terminated',
];

export function lifecycleCounts(instances: InstanceView[]): Array<[state: string, count: number]> {
  const counts = new Map<string, number>();
  for (const i of instances) counts.set(i.lifecycleState, (counts.get(i.lifecycleState) ?? 0) + 1);
  const rank = (s: string) => {
    const at = LIFECYCLE_ORDER.indexOf(s);
    return at === -1 ? LIFECYCLE_ORDER.length : at;
  };
  return [...counts].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** `signals 1/2; instances 1 Pending, 1 InService; 1 unhealthy` */
export function describeProgress(event: GroupProgress): string {
  const parts = [`signals ${event.signalsReceived}/${event.signalsExpected}`];
  const counts = lifecycleCounts(event.instances);
  parts.push(counts.length === 0 ? 'no instances yet' : `instances ${counts.map(([s, n]) => `${n} ${s}`).join(', ')}`);
  const unhealthy = event.instances.filter((i) => i.healthStatus !== undefined && i.healthStatus !== 'Healthy').length;
  if (unhealthy > 0) parts.push(`${unhealthy} unhealthy`);
  return parts.join('; ');
}

/**
 * Anchors lines that carry only an elapsed time (or only a time) to the operation's start, so
 * they sit in the same clock and elapsed columns as the stack events around them.
 */
export class OperationClock {
  private startedAt?: Date;

  constructor(private readonly now: () => Date) {}

  start(at: Date): void {
    this.startedAt = at;
  }

  /** The moment `elapsedSeconds` into the operation; the current time before it started. */
  at(elapsedSeconds: number): Date {
    return this.startedAt ? new Date(this.startedAt.getTime() + elapsedSeconds * 1000) : this.now();
  }

  elapsedAt(time: Date): number | undefined {
    return this.startedAt ? (time.getTime() - this.startedAt.getTime()) / 1000 : undefined;
  }
}

const GROUP_LABEL = 'new group';

export function formatProgressLine(event: GroupProgress, columns: StackEventColumns, clock: OperationClock, style: Style): string {
  return columns.formatNote(clock.at(event.elapsedSeconds), event.elapsedSeconds, GROUP_LABEL, describeProgress(event), style);
}

export function formatActivityLine(event: ActivityFailed, columns: StackEventColumns, clock: OperationClock, style: Style): string {
  const { time } = event.activity;
  return columns.formatNote(time, clock.elapsedAt(time), GROUP_LABEL, style.bad(`scaling activity failed: ${activityMessage(event.activity)}`), style);
}

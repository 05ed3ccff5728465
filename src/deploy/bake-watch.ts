/**
 * The bake, as the follow loop sees it. CloudFormation does the watching (rollback triggers):
 * once every resource of the update is done it keeps the stack UPDATE_IN_PROGRESS for
 * MonitoringTimeInMinutes, the old group still there, and rolls everything back if a trigger
 * alarm goes to ALARM. This only makes that visible: when the bake starts, how it goes (who
 * serves, each alarm's state, the time left), and which alarm broke it.
 *
 * The alarms are read with DescribeAlarms every few seconds while baking, so a breach is
 * reported as soon as CloudWatch says so, without waiting for CloudFormation to react (AWS
 * does not document how fast it does). The text of CloudFormation's own rollback reason is
 * not documented either; shipper takes the alarm's name, StateReason and time from CloudWatch.
 */
import type { Stack, StackEvent } from '@aws-sdk/client-cloudformation';
import type { BakePlan } from '../bake/plan.js';
import { readAlarmStates } from '../bake/alarm-states.js';
import { LogicalIds } from '../compose/template.js';
import type { BakeAlarmView, BakeBreach } from '../report/events.js';
import { isInProgress, isRollback } from '../stack-events/status.js';
import { elapsedSeconds, type DeployContext } from './context.js';
import type { RolloutState } from './rollout-state.js';

/** How often alarms are read while baking: a breach is on screen within about this long. */
export const ALARM_POLL_MS = 5_000;
/** How often a quiet bake says how it is going. */
export const BAKE_PROGRESS_MS = 30_000;

export interface BakeWatchRequest {
  stackName: string;
  /** When the operation started: a rollback trigger fires on an alarm in ALARM from then on. */
  startedAt: Date;
  expectedSignals: number;
}

export class BakeWatch {
  /** Why the update rolled back, when a guarding alarm caused it. */
  breach?: BakeBreach;
  private bakeStartedAt?: number;
  private endsAt?: number;
  private ended = false;
  private explained = false;
  private alarms: BakeAlarmView[];
  private lastAlarmRead = Number.NEGATIVE_INFINITY;
  private lastProgress = Number.NEGATIVE_INFINITY;
  private readFailed = false;

  constructor(
    private readonly ctx: DeployContext,
    private readonly plan: BakePlan,
    private readonly req: BakeWatchRequest,
  ) {
    this.alarms = plan.alarms.map((a) => ({ name: a.name, state: 'unknown' }));
  }

  get baking(): boolean {
    return this.bakeStartedAt !== undefined && !this.ended;
  }

  /** When the bake ends as shipper counts it (epoch ms); set once it began. */
  get endsAtMs(): number | undefined {
    return this.endsAt;
  }

  /** The new group got in service and the bake began (it may be over). */
  get bakingOrDone(): boolean {
    return this.bakeStartedAt !== undefined;
  }

  /** One look per follow-loop round, after the stack was described; true when there was news. */
  async observe(stack: Stack, state: RolloutState): Promise<boolean> {
    const status = stack.StackStatus ?? '';
    if (isRollback(status)) return this.explainRollback(stack);
    if (!isInProgress(status) || /CLEANUP_IN_PROGRESS$/.test(status)) return this.end();
    if (this.bakeStartedAt === undefined) {
      const start = this.plan.minutes > 0 ? bakeStart(state, this.req) : undefined;
      if (start === undefined) return false;
      return this.begin(start);
    }
    if (this.ctx.clock.now().getTime() - this.lastAlarmRead < ALARM_POLL_MS) return this.maybeProgress(state, false);
    const before = JSON.stringify(this.alarms.map((a) => a.state));
    await this.readAlarms();
    const alarming = this.alarms.find((a) => a.state === 'ALARM');
    if (alarming && !this.breach) {
      this.reportBreach({ kind: 'alarm', ...this.identify(alarming), during: 'bake' });
      return true;
    }
    return this.maybeProgress(state, JSON.stringify(this.alarms.map((a) => a.state)) !== before);
  }

  private async begin(start: number): Promise<boolean> {
    this.bakeStartedAt = start;
    this.endsAt = start + this.plan.minutes * 60_000;
    await this.readAlarms();
    this.ctx.reporter.emit({
      type: 'bake.started',
      stackName: this.req.stackName,
      minutes: this.plan.minutes,
      endsAt: new Date(this.endsAt),
      alarms: this.alarms.map((a) => ({ ...a })),
      notYetGuarding: this.plan.notYetGuarding,
    });
    this.lastProgress = this.ctx.clock.now().getTime();
    return true;
  }

  private maybeProgress(state: RolloutState, alarmsChanged: boolean): boolean {
    const now = this.ctx.clock.now().getTime();
    if (!alarmsChanged && now - this.lastProgress < BAKE_PROGRESS_MS) return false;
    this.lastProgress = now;
    this.ctx.reporter.emit({
      type: 'bake.progress',
      newGroupName: state.newGroupName,
      oldGroupName: state.oldGroupName,
      alarms: this.alarms.map((a) => ({ ...a })),
      secondsLeft: Math.max(0, Math.round(((this.endsAt ?? now) - now) / 1000)),
    });
    return alarmsChanged;
  }

  private end(): boolean {
    if (!this.baking) return false;
    this.ended = true;
    this.ctx.reporter.emit({ type: 'bake.ended', minutes: this.plan.minutes, elapsedSeconds: elapsedSeconds(this.ctx, this.req.startedAt) });
    return true;
  }

  /**
   * The update is rolling back: if a guarding alarm is in ALARM (or does not exist), that is
   * why, during the bake or still during the rollout. Looked at once.
   */
  private async explainRollback(stack: Stack): Promise<boolean> {
    if (this.breach || this.explained || this.plan.alarms.length === 0) return false;
    this.explained = true;
    const during = this.bakeStartedAt !== undefined ? 'bake' : 'rollout';
    await this.readAlarms();
    const alarming = this.alarms.find((a) => a.state === 'ALARM');
    if (alarming) {
      this.reportBreach({ kind: 'alarm', ...this.identify(alarming), during });
      return true;
    }
    const reason = stack.StackStatusReason ?? '';
    const missing = this.alarms.find((a) => a.state === 'missing');
    const named = this.plan.alarms.find((a) => reason.includes(a.arn));
    if (missing) {
      this.reportBreach({ kind: 'missing', ...this.identify(missing), during });
      return true;
    }
    if (named && !this.ctx.clients.cloudWatch) {
      // Alarms cannot be read here; CloudFormation's reason names the trigger.
      this.reportBreach({ kind: 'alarm', alarmName: named.name, alarmArn: named.arn, during });
      return true;
    }
    return false;
  }

  private identify(view: BakeAlarmView): Pick<BakeBreach, 'alarmName' | 'alarmArn' | 'stateReason' | 'firedAt'> {
    const alarm = this.plan.alarms.find((a) => a.name === view.name);
    return { alarmName: view.name, alarmArn: alarm?.arn, ...(view.reason ? { stateReason: view.reason } : {}), ...(view.since ? { firedAt: view.since } : {}) };
  }

  private reportBreach(breach: BakeBreach): void {
    this.breach = breach;
    this.ctx.reporter.emit({ type: 'bake.breach', breach });
  }

  private async readAlarms(): Promise<void> {
    this.lastAlarmRead = this.ctx.clock.now().getTime();
    try {
      this.alarms = await readAlarmStates(this.ctx, this.plan.alarms);
    } catch (err) {
      // Reading alarms only explains; CloudFormation still guards the update. Say so once and carry on.
      if (!this.readFailed) {
        this.readFailed = true;
        this.ctx.reporter.emit({ type: 'warning', message: `could not read the bake's alarms (${err instanceof Error ? err.message : String(err)}); CloudFormation still watches them` });
      }
      this.alarms = this.plan.alarms.map((a) => ({ name: a.name, state: 'unknown' }));
    }
  }
}

/**
 * When the bake began: the new group is complete with every signal in, and no resource of the
 * operation is still in progress. CloudFormation's monitoring period runs from the last
 * resource completing, so that event's time is the start.
 */
export function bakeStart(state: RolloutState, req: Pick<BakeWatchRequest, 'stackName' | 'expectedSignals'>): number | undefined {
  if (!state.newGroupName || state.signals.success < req.expectedSignals) return undefined;
  return resourcesDoneAt(state.events, req.stackName, state.newGroupName);
}

/**
 * When the last resource of an operation completed, if the group is complete and nothing is in
 * progress any more (`events` oldest first, this operation's only); a `groupName` must be the
 * group that completed.
 */
export function resourcesDoneAt(events: readonly StackEvent[], stackName: string, groupName?: string): number | undefined {
  const latest = new Map<string, StackEvent>();
  for (const e of events) {
    if (e.LogicalResourceId === stackName || !e.LogicalResourceId) continue;
    latest.set(e.LogicalResourceId, e);
  }
  const group = latest.get(LogicalIds.autoScalingGroup);
  if (!group || !/^(CREATE|UPDATE)_COMPLETE$/.test(group.ResourceStatus ?? '')) return undefined;
  if (groupName !== undefined && group.PhysicalResourceId !== groupName) return undefined;
  const last = [...latest.values()];
  if (last.some((e) => /_IN_PROGRESS$/.test(e.ResourceStatus ?? ''))) return undefined;
  return Math.max(...last.map((e) => e.Timestamp?.getTime() ?? 0));
}

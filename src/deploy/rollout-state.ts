/**
 * What we know about one operation so far, built only from what the APIs said: its events,
 * the new group's name, the signals CloudFormation acknowledged, and the scaling activities
 * that failed. Pure state: the follow loop feeds it, reports read it.
 */
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import type { Activity, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import { LogicalIds } from '../compose/template.js';
import type { FailedActivity, InstanceView } from '../report/events.js';
import { signalsFromEvents } from '../stack-events/root-cause.js';

export class RolloutState {
  readonly events: StackEvent[] = [];
  /** The group this operation creates (a replacing update or a first create). */
  newGroupName?: string;
  readonly failedActivities: FailedActivity[] = [];
  private readonly seenActivities = new Set<string>();
  instances: InstanceView[] = [];
  /** How often the new group was read, to space out reads of its scaling activities. */
  groupPolls = 0;

  /** What the last progress report said, so only a change is reported. */
  private lastProgress = '';

  constructor(public oldGroupName: string | undefined) {}

  /**
   * True when the new group's picture (signals, each instance's lifecycle state and health)
   * differs from the last one reported. The one place that decides whether progress is news:
   * polls that only move the clock are never reported, so no renderer has to filter them.
   */
  progressChanged(signalsReceived: number): boolean {
    const key = JSON.stringify([signalsReceived, this.instances.map((i) => [i.instanceId, i.lifecycleState, i.healthStatus])]);
    if (key === this.lastProgress) return false;
    this.lastProgress = key;
    return true;
  }

  addEvents(events: StackEvent[]): void {
    for (const e of events) {
      this.events.push(e);
      const physical = e.PhysicalResourceId;
      // Re-attached to an update already running: its first group event names the old group.
      if (!this.oldGroupName && e.LogicalResourceId === LogicalIds.autoScalingGroup && physical && /requires the creation of a new physical resource/i.test(e.ResourceStatusReason ?? '')) {
        this.oldGroupName = physical;
        continue;
      }
      // The group's creating events carry the new physical name; the old one is never "new".
      if (
        e.LogicalResourceId === LogicalIds.autoScalingGroup &&
        physical &&
        physical !== this.oldGroupName &&
        !this.newGroupName &&
        /IN_PROGRESS|COMPLETE/.test(e.ResourceStatus ?? '') &&
        !(e.ResourceStatus ?? '').startsWith('DELETE')
      ) {
        this.newGroupName = physical;
      }
    }
  }

  get signals(): { success: number; failure: number } {
    const signals = signalsFromEvents(this.events.filter((e) => e.LogicalResourceId === LogicalIds.autoScalingGroup));
    return { success: signals.filter((s) => s.signal === 'SUCCESS').length, failure: signals.filter((s) => s.signal === 'FAILURE').length };
  }

  updateGroup(group: AutoScalingGroup | undefined): void {
    this.instances = (group?.Instances ?? []).map((i) => ({
      instanceId: i.InstanceId ?? '',
      lifecycleState: i.LifecycleState ?? '',
      healthStatus: i.HealthStatus,
      launchTemplateVersion: i.LaunchTemplate?.Version,
      availabilityZone: i.AvailabilityZone,
    }));
  }

  /** Returns the failed activities not seen before, oldest first. */
  addActivities(activities: Activity[]): FailedActivity[] {
    const fresh: FailedActivity[] = [];
    for (const a of [...activities].reverse()) {
      const id = a.ActivityId ?? `${a.StartTime?.toISOString()}:${a.Description}`;
      if (this.seenActivities.has(id)) continue;
      if (a.StatusCode !== 'Failed' && a.StatusCode !== 'Cancelled') continue;
      this.seenActivities.add(id);
      const failed = { time: a.StartTime ?? new Date(0), description: a.Description ?? '', cause: a.Cause, statusMessage: a.StatusMessage ?? '' };
      this.failedActivities.push(failed);
      fresh.push(failed);
    }
    return fresh;
  }
}

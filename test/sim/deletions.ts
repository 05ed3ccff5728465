/**
 * Deleting physical resources in dependency order, as cleanup, rollback and DeleteStack do:
 * a resource is deleted only after everything that refers to it is gone (scheduled actions
 * before their group, the group before its launch configuration).
 */
import type { FakeClock } from './clock.js';
import type { AutoScalingService } from './instances.js';
import type { SimStack } from './stack.js';
import type { Timings } from './timings.js';
import type { SimLoadBalancing } from './load-balancing.js';

export interface DeletionItem {
  logicalId: string;
  type: string;
  physicalId?: string;
  /** Logical ids (among the items) that refer to this one and must go first. */
  dependents: string[];
  /** The stack's current resource (its status changes) or a superseded physical resource (events only). */
  current: boolean;
  attributes?: Record<string, string>;
  /** A group that never served deletes faster. */
  groupDeleteSeconds: number;
  /**
   * DeletionPolicy: Retain on a stack deletion: CloudFormation skips the resource (DELETE_SKIPPED)
   * and it stays in the account.
   * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html
   */
  retain?: boolean;
}

export interface DeletionRun {
  stack: SimStack;
  clock: FakeClock;
  autoScaling: AutoScalingService;
  timings: Timings;
  /** Listener rules are deleted from their listener, freeing their priority. */
  loadBalancing?: SimLoadBalancing;
  items: DeletionItem[];
  /** Scenario knob: this resource's deletion fails with this reason. */
  failing?: { logicalId: string; reason: string };
  isActive(): boolean;
  onDone(): void;
  onFailed(logicalId: string): void;
}

export function runDeletions(run: DeletionRun): void {
  const { items, clock, timings } = run;
  const done = new Set<string>();
  const started = new Set<string>();
  let failed = false;
  if (items.length === 0) return run.onDone();

  const emit = (item: DeletionItem, status: string, reason?: string) => {
    if (item.current) run.stack.setResourceStatus(item.logicalId, item.type, status, reason);
    else run.stack.eventFor(item.logicalId, item.type, item.physicalId ?? '', status, reason);
  };
  const finish = (item: DeletionItem) => {
    emit(item, 'DELETE_COMPLETE');
    if (item.current) run.stack.resources.delete(item.logicalId);
    done.add(item.logicalId);
    if (done.size === items.length) run.onDone();
    else startReady();
  };
  const remove = (item: DeletionItem) => {
    if (!run.isActive() || failed) return;
    if (item.retain) {
      emit(item, 'DELETE_SKIPPED');
      if (item.current) run.stack.resources.delete(item.logicalId);
      done.add(item.logicalId);
      if (done.size === items.length) run.onDone();
      else startReady();
      return;
    }
    emit(item, 'DELETE_IN_PROGRESS');
    if (run.failing?.logicalId === item.logicalId) {
      failed = true;
      emit(item, 'DELETE_FAILED', run.failing.reason);
      return run.onFailed(item.logicalId);
    }
    if (item.type === 'AWS::ElasticLoadBalancingV2::ListenerRule' && item.physicalId) run.loadBalancing?.release(item.physicalId);
    if (item.type === 'AWS::AutoScaling::ScheduledAction' && item.attributes?.AutoScalingGroupName) {
      run.autoScaling.recordScheduledAction(item.attributes.AutoScalingGroupName, 'delete-scheduled-action', item.physicalId ?? item.logicalId);
    }
    const group = item.type === 'AWS::AutoScaling::AutoScalingGroup' && item.physicalId ? run.autoScaling.groups.get(item.physicalId) : undefined;
    if (group && !group.deleted) {
      run.autoScaling.deleteGroup(group.name, item.groupDeleteSeconds, 'cloudformation', () => {
        if (run.isActive()) finish(item);
      });
    } else finish(item);
  };
  const startReady = () => {
    for (const item of items) {
      if (started.has(item.logicalId)) continue;
      if (!item.dependents.every((d) => done.has(d) || !items.some((i) => i.logicalId === d))) continue;
      started.add(item.logicalId);
      clock.schedule(timings.deleteStartSeconds * 1000, () => remove(item));
    }
  };
  startReady();
}

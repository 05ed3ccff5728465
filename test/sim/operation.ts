/**
 * One stack operation (create or update) from ExecuteChangeSet to its final status: resources
 * start when what they depend on is done; on success an update cleans up the superseded
 * resources; on a failure or CancelUpdateStack every resource in flight is cancelled, the stack
 * rolls back in reverse dependency order and the resources this operation created are deleted.
 */
import { dependenciesOf, type ParsedTemplate } from './template.js';
import { topologicalOrder, type PlannedChange } from './diff.js';
import { runDeletions, type DeletionItem } from './deletions.js';
import type { ResourceWork, SimWorld } from './resource-work.js';
import { createOrReplace, updateInPlace } from './resources.js';
import { runGroup } from './replacing-update.js';
import type { SimResource, SimStack } from './stack.js';
import { byType } from './timings.js';
import { breachReason, missingTriggerReason, type RollbackTriggers } from './rollback-triggers.js';

type TaskState = 'pending' | 'scheduled' | 'running' | 'complete' | 'failed' | 'cancelled';

interface Task {
  change: PlannedChange;
  deps: string[];
  state: TaskState;
  completedAt?: number;
  newPhysicalId?: string;
  cancel?: () => void;
}

export interface Deployment {
  template: ParsedTemplate;
  templateBody: string;
  params: Record<string, string>;
}

export interface OperationOptions {
  /** Scenario knob: this resource fails to roll back (UPDATE) or to delete (CREATE rollback). */
  rollbackFailure?: { logicalId: string; reason: string };
  onFinished?: (finalStatus: string) => void;
  /** The alarms watched during the operation and the monitoring period after it (rollback-triggers.ts). */
  rollbackTriggers?: RollbackTriggers;
}

/** `monitoring`: every resource is done; the stack stays *_IN_PROGRESS for MonitoringTimeInMinutes, old resources kept. */
type Phase = 'running' | 'monitoring' | 'failing' | 'rolling-back' | 'cleanup' | 'finished';

export class StackOperation {
  private readonly tasks = new Map<string, Task>();
  private phase: Phase = 'running';
  private startedAt = 0;
  private readonly previousResources = new Map<string, SimResource>();
  private readonly previous?: { template?: ParsedTemplate; templateBody?: string; params: Record<string, string> };

  constructor(
    private readonly world: SimWorld,
    private readonly stack: SimStack,
    readonly kind: 'CREATE' | 'UPDATE',
    plan: PlannedChange[],
    private readonly next: Deployment,
    private readonly options: OperationOptions = {},
  ) {
    for (const [id, r] of stack.resources) this.previousResources.set(id, { ...r, attributes: { ...r.attributes } });
    if (kind === 'UPDATE') this.previous = { template: stack.template, templateBody: stack.templateBody, params: { ...stack.params } };
    const changed = new Set(plan.filter((c) => c.action !== 'Remove').map((c) => c.logicalId));
    for (const change of plan) {
      const resource = next.template.resources.get(change.logicalId);
      const deps = resource ? dependenciesOf(resource, next.template).filter((d) => changed.has(d)) : [];
      this.tasks.set(change.logicalId, { change, deps, state: 'pending' });
    }
  }

  get isRunning(): boolean {
    return this.phase !== 'finished';
  }

  /**
   * CancelUpdateStack only has an effect while resources are still being updated, or during
   * the monitoring period ("manually cancel the stack creation or update (using
   * CancelUpdateStack, for example) as necessary": API_RollbackConfiguration).
   */
  get canCancel(): boolean {
    return this.kind === 'UPDATE' && (this.phase === 'running' || this.phase === 'monitoring');
  }

  start(token: string | undefined): void {
    this.stack.token = token;
    this.startedAt = this.world.clock.nowMs();
    this.stack.template = this.next.template;
    this.stack.templateBody = this.next.templateBody;
    this.stack.params = { ...this.next.params };
    this.stack.setStatus(this.kind === 'CREATE' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS', 'User Initiated');
    const triggers = this.options.rollbackTriggers;
    this.world.clock.schedule(this.world.timings.firstResourceSeconds * 1000, () => {
      const missing = triggers?.missing() ?? [];
      if (missing.length) return this.failWholeOperation(missingTriggerReason(missing));
      triggers?.watch((alarm) => this.failWholeOperation(breachReason(alarm)));
      this.startReadyTasks();
    });
  }

  /** CancelUpdateStack: the caller has checked the stack is UPDATE_IN_PROGRESS. */
  cancel(): void {
    if (this.phase !== 'running' && this.phase !== 'monitoring') return;
    this.failWholeOperation('Resource update cancelled');
  }

  /** A rollback trigger fired, one is missing, or a cancel: what is in flight stops and everything rolls back. */
  private failWholeOperation(reason: string): void {
    if (this.phase !== 'running' && this.phase !== 'monitoring') return;
    this.phase = 'failing';
    this.cancelRunningTasks();
    this.beginRollback(reason);
  }

  private mainTasks(): Task[] {
    return [...this.tasks.values()].filter((t) => t.change.action !== 'Remove');
  }

  private startReadyTasks(): void {
    if (this.phase !== 'running') return;
    const t = this.world.timings;
    for (const task of this.mainTasks()) {
      if (task.state !== 'pending') continue;
      const deps = task.deps.map((d) => this.tasks.get(d)!);
      if (!deps.every((d) => d.state === 'complete')) continue;
      const earliest = this.startedAt + t.firstResourceSeconds * 1000;
      const afterDeps = deps.length === 0 ? earliest : Math.max(...deps.map((d) => d.completedAt!)) + byType(t.startAfterDependenciesSeconds, task.change.resourceType) * 1000;
      task.state = 'scheduled';
      this.world.clock.at(Math.max(earliest, afterDeps), () => this.runTask(task));
    }
    if (this.mainTasks().every((task) => task.state === 'complete')) {
      const monitoringMs = this.options.rollbackTriggers?.monitoringMs ?? 0;
      if (monitoringMs === 0) return this.endMonitoring();
      // The monitoring period: the stack stays in progress, the old group untouched, until it ends or a trigger fires.
      this.phase = 'monitoring';
      this.world.clock.schedule(monitoringMs, () => {
        if (this.phase === 'monitoring') this.endMonitoring();
      });
    }
  }

  private endMonitoring(): void {
    this.options.rollbackTriggers?.stop();
    this.phase = 'cleanup';
    this.world.clock.schedule(this.world.timings.operationCompleteSeconds * 1000, () => this.finishMainPhase());
  }

  private runTask(task: Task): void {
    if (this.phase !== 'running') return;
    task.state = 'running';
    let cancelled = false;
    task.cancel = () => {
      cancelled = true;
    };
    const { change } = task;
    const resource = this.next.template.resources.get(change.logicalId)!;
    const work: ResourceWork = {
      world: this.world,
      stack: this.stack,
      operation: this.kind,
      change,
      resource,
      params: this.next.params,
      oldPhysicalId: this.previousResources.get(change.logicalId)?.physicalId,
      inProgress: this.kind === 'CREATE' || change.action === 'Add' ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS',
      complete: this.kind === 'CREATE' || change.action === 'Add' ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE',
      emit: (status, reason, physicalId) => {
        if (!cancelled) this.stack.setResourceStatus(change.logicalId, change.resourceType, status, reason, physicalId);
      },
      after: (seconds, step) =>
        this.world.clock.schedule(seconds * 1000, () => {
          if (!cancelled && this.phase === 'running') step();
        }),
      created: (physicalId) => {
        task.newPhysicalId = physicalId;
      },
      succeed: () => {
        if (cancelled || this.phase !== 'running') return;
        task.state = 'complete';
        task.completedAt = this.world.clock.nowMs();
        this.startReadyTasks();
      },
      fail: (reason) => {
        if (cancelled || this.phase !== 'running') return;
        task.state = 'failed';
        this.stack.setResourceStatus(change.logicalId, change.resourceType, this.kind === 'CREATE' || change.action === 'Add' ? 'CREATE_FAILED' : 'UPDATE_FAILED', reason);
        this.phase = 'failing';
        this.cancelRunningTasks();
        const failed = [...this.tasks.values()].filter((t) => t.state === 'failed').map((t) => t.change.logicalId);
        const summary =
          this.kind === 'CREATE'
            ? `The following resource(s) failed to create: [${failed.join(', ')}]. Rollback requested by user.`
            : `The following resource(s) failed to update: [${failed.join(', ')}]. `;
        this.world.clock.schedule(this.world.timings.rollbackStartSeconds * 1000, () => this.beginRollback(summary));
      },
    };
    if (change.resourceType === 'AWS::AutoScaling::AutoScalingGroup') runGroup(work);
    else if (this.kind === 'UPDATE' && change.action === 'Modify' && !change.replacement) updateInPlace(work);
    else createOrReplace(work);
  }

  /** Every resource still in flight stops, with CloudFormation's cancellation reason. */
  private cancelRunningTasks(): void {
    for (const task of this.tasks.values()) {
      if (task.state !== 'running') continue;
      task.cancel?.();
      task.state = 'cancelled';
      const creating = this.kind === 'CREATE' || task.change.action === 'Add';
      this.stack.setResourceStatus(
        task.change.logicalId,
        task.change.resourceType,
        creating ? 'CREATE_FAILED' : 'UPDATE_FAILED',
        creating ? 'Resource creation cancelled' : 'Resource update cancelled',
      );
    }
  }

  private finishMainPhase(): void {
    if (this.kind === 'CREATE') {
      this.stack.setStatus('CREATE_COMPLETE');
      return this.finish('CREATE_COMPLETE');
    }
    // From here on the update has succeeded: CloudFormation only removes what it superseded.
    this.stack.setStatus('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    const superseded: DeletionItem[] = [];
    for (const task of this.tasks.values()) {
      const old = this.previousResources.get(task.change.logicalId);
      if (!old) continue;
      if (task.change.action === 'Remove' || task.change.replacement) {
        superseded.push({
          logicalId: old.logicalId,
          type: old.type,
          physicalId: old.physicalId,
          current: task.change.action === 'Remove',
          attributes: old.attributes,
          dependents: [],
          groupDeleteSeconds: this.world.timings.groupDeleteSeconds,
        });
      }
    }
    this.deleteInOrder(superseded, this.previous?.template, undefined, 'UPDATE_COMPLETE', undefined);
  }

  private beginRollback(reason: string): void {
    if (this.phase === 'finished' || this.phase === 'rolling-back') return;
    this.phase = 'rolling-back';
    if (this.kind === 'CREATE') {
      this.stack.setStatus('ROLLBACK_IN_PROGRESS', reason);
      const created = topologicalOrder(this.next.template)
        .filter((id) => this.stack.resources.has(id))
        .map((id) => this.stack.resources.get(id)!)
        .map<DeletionItem>((r) => ({
          logicalId: r.logicalId,
          type: r.type,
          physicalId: this.tasks.get(r.logicalId)?.newPhysicalId ?? r.physicalId,
          current: true,
          attributes: r.attributes,
          dependents: [],
          groupDeleteSeconds: this.world.timings.newGroupDeleteSeconds,
        }));
      return this.deleteInOrder(created, this.next.template, this.options.rollbackFailure, 'ROLLBACK_COMPLETE', 'ROLLBACK_FAILED');
    }
    this.stack.setStatus('UPDATE_ROLLBACK_IN_PROGRESS', reason);
    this.stack.template = this.previous!.template;
    this.stack.templateBody = this.previous!.templateBody;
    this.stack.params = this.previous!.params;
    this.revertTouchedResources();
  }

  /** Puts every resource this update touched back to what it was, dependents first. */
  private revertTouchedResources(): void {
    const t = this.world.timings;
    const touched = [...this.tasks.values()].filter((task) => task.change.action === 'Modify' && ['complete', 'failed', 'cancelled'].includes(task.state));
    const done = new Set<string>();
    const started = new Set<string>();
    let failed = false;
    const dependentsOf = (id: string) => touched.filter((other) => other.deps.includes(id)).map((other) => other.change.logicalId);
    const revert = (task: Task) => {
      if (failed) return;
      const id = task.change.logicalId;
      const old = this.previousResources.get(id)!;
      this.stack.setResourceStatus(id, old.type, 'UPDATE_IN_PROGRESS', undefined, old.physicalId);
      this.world.clock.schedule(t.rollbackResourceSeconds * 1000, () => {
        if (this.options.rollbackFailure?.logicalId === id) {
          failed = true;
          this.stack.setResourceStatus(id, old.type, 'UPDATE_FAILED', this.options.rollbackFailure.reason);
          this.world.clock.schedule(t.rollbackStartSeconds * 1000, () => {
            this.stack.setStatus('UPDATE_ROLLBACK_FAILED', `The following resource(s) failed to update: [${id}]. `);
            this.finish('UPDATE_ROLLBACK_FAILED');
          });
          return;
        }
        const resource = this.stack.setResourceStatus(id, old.type, 'UPDATE_COMPLETE', undefined, old.physicalId);
        resource.attributes = { ...old.attributes };
        done.add(id);
        startReady();
      });
    };
    const startReady = () => {
      if (failed) return;
      for (const task of touched) {
        const id = task.change.logicalId;
        if (started.has(id) || !dependentsOf(id).every((d) => done.has(d))) continue;
        started.add(id);
        this.world.clock.schedule(t.rollbackResourceSeconds * 1000, () => revert(task));
      }
      if (done.size === touched.length) this.world.clock.schedule(t.rollbackStartSeconds * 1000, () => this.rollbackCleanup());
    };
    startReady();
  }

  /** The update's own new resources (the new group above all) are deleted. */
  private rollbackCleanup(): void {
    this.stack.setStatus('UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
    const created: DeletionItem[] = [];
    for (const task of this.tasks.values()) {
      const added = task.change.action === 'Add';
      const touched = task.state !== 'pending' && task.state !== 'scheduled';
      if (added ? !touched : !task.newPhysicalId) continue;
      created.push({
        logicalId: task.change.logicalId,
        type: task.change.resourceType,
        physicalId: task.newPhysicalId,
        current: added,
        dependents: [],
        groupDeleteSeconds: this.world.timings.newGroupDeleteSeconds,
      });
    }
    this.deleteInOrder(created, this.next.template, undefined, 'UPDATE_ROLLBACK_COMPLETE', undefined);
  }

  private deleteInOrder(
    items: DeletionItem[],
    template: ParsedTemplate | undefined,
    failing: { logicalId: string; reason: string } | undefined,
    finalStatus: string,
    failedStatus: string | undefined,
  ): void {
    for (const item of items) {
      item.dependents = items
        .filter((other) => {
          const r = template?.resources.get(other.logicalId);
          return r !== undefined && template !== undefined && dependenciesOf(r, template).includes(item.logicalId);
        })
        .map((other) => other.logicalId);
    }
    runDeletions({
      stack: this.stack,
      clock: this.world.clock,
      autoScaling: this.world.autoScaling,
      loadBalancing: this.world.loadBalancing,
      timings: this.world.timings,
      items,
      failing,
      isActive: () => this.phase !== 'finished',
      onDone: () =>
        this.world.clock.schedule(this.world.timings.finalStatusSeconds * 1000, () => {
          this.stack.setStatus(finalStatus);
          this.finish(finalStatus);
        }),
      onFailed: (logicalId) =>
        this.world.clock.schedule(this.world.timings.rollbackStartSeconds * 1000, () => {
          this.stack.setStatus(failedStatus ?? 'DELETE_FAILED', `The following resource(s) failed to delete: [${logicalId}]. `);
          this.finish(failedStatus ?? 'DELETE_FAILED');
        }),
    });
  }

  private finish(status: string): void {
    this.options.rollbackTriggers?.stop();
    this.phase = 'finished';
    this.stack.token = undefined;
    this.options.onFinished?.(status);
  }
}

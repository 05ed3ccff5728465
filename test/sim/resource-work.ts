/**
 * What a simulated resource handler gets to do its job: emit events for its resource, wait in
 * simulated time, and report completion or failure. A handler never outlives its operation:
 * once the operation fails or is cancelled, its pending steps simply do not run.
 */
import type { FakeClock } from './clock.js';
import type { PlannedChange } from './diff.js';
import type { AutoScalingService, InstanceScript } from './instances.js';
import type { SimRandom } from './random.js';
import type { SimStack } from './stack.js';
import type { TemplateResource } from './template.js';
import type { Timings } from './timings.js';
import type { SimLoadBalancing } from './load-balancing.js';

export const REQUIRES_NEW_RESOURCE = 'Requested update requires the creation of a new physical resource; hence creating one.';
export const CREATION_INITIATED = 'Resource creation Initiated';

export interface SimWorld {
  clock: FakeClock;
  random: SimRandom;
  autoScaling: AutoScalingService;
  timings: Timings;
  /** What the next launched instance will do (scripted by the test, or the default). */
  nextInstanceScript(stackName?: string): InstanceScript;
  /** An instance's boot script copying its log to CloudWatch Logs (stream boot/<id>) before it signals FAILURE. */
  writeBootLog?(logGroup: string, instanceId: string, lines: string[]): void;
  /** Listener rules and their priorities (ListenerRule resources claim one). */
  loadBalancing?: SimLoadBalancing;
}

export interface ResourceWork {
  world: SimWorld;
  stack: SimStack;
  operation: 'CREATE' | 'UPDATE';
  change: PlannedChange;
  resource: TemplateResource;
  params: Record<string, string>;
  /** The physical resource being replaced or updated (undefined for a new resource). */
  oldPhysicalId?: string;
  /** CREATE_IN_PROGRESS or UPDATE_IN_PROGRESS, whichever this operation uses. */
  inProgress: 'CREATE_IN_PROGRESS' | 'UPDATE_IN_PROGRESS';
  complete: 'CREATE_COMPLETE' | 'UPDATE_COMPLETE';
  /** Records an event for this resource; a physical id also becomes the resource's current one. */
  emit(status: string, reason?: string, physicalId?: string): void;
  /** Runs `step` after `seconds` of simulated time, unless the operation has moved on. */
  after(seconds: number, step: () => void): void;
  /** The new physical resource exists (so a rollback knows what to delete). */
  created(physicalId: string): void;
  succeed(): void;
  fail(reason: string): void;
}

/** A started handler; `cancel` stops everything it still had scheduled. */
export interface ResourceRun {
  cancel(): void;
}

export type ResourceHandler = (work: ResourceWork) => void;

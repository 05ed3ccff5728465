/**
 * How long CloudFormation and Auto Scaling take for each step, in seconds. The defaults follow
 * the real replacing update in test/fixtures/charge-central-deploy-test.events.tsv, so a
 * benchmark replaying the default scenario sees a production-like timeline.
 */

export interface Timings {
  changeSetCreateSeconds: number;
  /** From the stack's "User Initiated" event to the first resource starting. */
  firstResourceSeconds: number;
  /** From a resource's dependencies completing to it starting, by resource type. */
  startAfterDependenciesSeconds: Record<string, number>;
  /** "Requested update requires the creation of a new physical resource" -> "Resource creation Initiated". */
  replaceInitiateSeconds: Record<string, number>;
  /** CREATE_IN_PROGRESS -> "Resource creation Initiated" for a new resource. */
  createInitiateSeconds: number;
  /** UPDATE_IN_PROGRESS -> UPDATE_COMPLETE for an in-place update (a new launch template version), by type. */
  inPlaceUpdateSeconds: Record<string, number>;
  /** Last needed SUCCESS signal -> group UPDATE_COMPLETE. */
  groupCompleteAfterSignalsSeconds: number;
  /** Failure verdict on the group, after the signal or timeout that decided it. */
  groupFailAfterSignalSeconds: number;
  /** Last resource complete -> UPDATE_COMPLETE_CLEANUP_IN_PROGRESS (or CREATE_COMPLETE). */
  operationCompleteSeconds: number;
  /** Cleanup or rollback started -> first deletion, and between dependent deletions. */
  deleteStartSeconds: number;
  /** An Auto Scaling group's deletion (its instances terminate first), by whether it was serving. */
  groupDeleteSeconds: number;
  /** A group that never served (rollback of a replacement) deletes faster: nothing to drain. */
  newGroupDeleteSeconds: number;
  /** Last deletion -> final stack status. */
  finalStatusSeconds: number;
  /** A resource failed -> the stack starts rolling back. */
  rollbackStartSeconds: number;
  /** One resource's rollback (UPDATE_IN_PROGRESS -> UPDATE_COMPLETE). */
  rollbackResourceSeconds: number;
  /** Instance launch -> InService. */
  instanceInServiceSeconds: number;
}

export const FIXTURE_TIMINGS: Timings = {
  changeSetCreateSeconds: 3,
  firstResourceSeconds: 7,
  startAfterDependenciesSeconds: { 'AWS::AutoScaling::AutoScalingGroup': 5, default: 0 },
  replaceInitiateSeconds: { 'AWS::AutoScaling::ScheduledAction': 7, default: 1 },
  createInitiateSeconds: 1,
  inPlaceUpdateSeconds: { default: 1 },
  groupCompleteAfterSignalsSeconds: 4,
  groupFailAfterSignalSeconds: 1,
  operationCompleteSeconds: 4,
  deleteStartSeconds: 2,
  groupDeleteSeconds: 109,
  newGroupDeleteSeconds: 60,
  finalStatusSeconds: 1,
  rollbackStartSeconds: 1,
  rollbackResourceSeconds: 1,
  instanceInServiceSeconds: 45,
};

export function byType(table: Record<string, number>, type: string): number {
  return table[type] ?? table.default ?? 0;
}

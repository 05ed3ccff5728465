/**
 * Pure classifiers over CloudFormation's stack statuses. Every decision the deploy makes about
 * "is it done, did it work, can we touch it" goes through these, so the rules live in one place.
 */

/** Every stack status CloudFormation documents (the SDK's `StackStatus` enum). */
export const STACK_STATUSES = [
  'CREATE_IN_PROGRESS',
  'CREATE_FAILED',
  'CREATE_COMPLETE',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_FAILED',
  'ROLLBACK_COMPLETE',
  'DELETE_IN_PROGRESS',
  'DELETE_FAILED',
  'DELETE_COMPLETE',
  'UPDATE_IN_PROGRESS',
  'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_COMPLETE',
  'UPDATE_FAILED',
  'UPDATE_ROLLBACK_IN_PROGRESS',
  'UPDATE_ROLLBACK_FAILED',
  'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
  'UPDATE_ROLLBACK_COMPLETE',
  'REVIEW_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_IN_PROGRESS',
  'IMPORT_ROLLBACK_FAILED',
  'IMPORT_ROLLBACK_COMPLETE',
] as const;

export type StackStatus = (typeof STACK_STATUSES)[number];

/** Statuses that begin an operation; a stack-level event with one of these opens a new operation. */
export const OPERATION_START_STATUSES: ReadonlySet<string> = new Set([
  'CREATE_IN_PROGRESS',
  'UPDATE_IN_PROGRESS',
  'DELETE_IN_PROGRESS',
  'IMPORT_IN_PROGRESS',
]);

/**
 * CloudFormation is still working. REVIEW_IN_PROGRESS is excluded: despite its name it is a
 * resting state (a stack created by a CREATE change set that was never executed).
 */
export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

/** CloudFormation will not change this status on its own any more. */
export function isTerminal(status: string): boolean {
  return !isInProgress(status);
}

export function isRollback(status: string): boolean {
  return status.includes('ROLLBACK');
}

/** The operation did not achieve what was asked (it failed, or rolled back, or is rolling back). */
export function isFailure(status: string): boolean {
  return status.endsWith('_FAILED') || isRollback(status);
}

/**
 * The new resources are live. UPDATE_COMPLETE_CLEANUP_IN_PROGRESS counts: from there on
 * CloudFormation only deletes the old resources and can no longer roll back.
 */
export function isSuccessfulLive(status: string): boolean {
  return status === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' || status === 'UPDATE_COMPLETE' || status === 'CREATE_COMPLETE';
}

/**
 * Stuck states that CloudFormation will not leave by itself and that a human must resolve
 * (continue-update-rollback, delete, or fix resources by hand).
 */
export function needsAttention(status: string): boolean {
  return (
    status === 'UPDATE_ROLLBACK_FAILED' ||
    status === 'ROLLBACK_FAILED' ||
    status === 'DELETE_FAILED' ||
    status === 'IMPORT_ROLLBACK_FAILED' ||
    status === 'UPDATE_FAILED' ||
    status === 'CREATE_FAILED'
  );
}

/** An UPDATE change set may be executed from these. */
export function canUpdate(status: string): boolean {
  return (
    status === 'CREATE_COMPLETE' ||
    status === 'UPDATE_COMPLETE' ||
    status === 'UPDATE_ROLLBACK_COMPLETE' ||
    status === 'IMPORT_COMPLETE' ||
    status === 'IMPORT_ROLLBACK_COMPLETE'
  );
}

/** A first create that rolled back leaves a stack that can only be deleted, never updated. */
export function mustBeDeletedFirst(status: string): boolean {
  return status === 'ROLLBACK_COMPLETE' || status === 'ROLLBACK_FAILED';
}

/**
 * Which change set type deploys to a stack in this status: none yet (`undefined`) or a stack
 * only reserved by an unexecuted CREATE change set means CREATE; an updatable stack means UPDATE;
 * anything else cannot be deployed to right now.
 */
export function changeSetTypeFor(status: string | undefined): 'CREATE' | 'UPDATE' | undefined {
  if (status === undefined || status === 'REVIEW_IN_PROGRESS') return 'CREATE';
  return canUpdate(status) ? 'UPDATE' : undefined;
}

/** A resource (not stack) status that reports a failure. */
export function isResourceFailure(status: string): boolean {
  return status.endsWith('_FAILED');
}

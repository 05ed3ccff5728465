import { describe, it, expect } from '@jest/globals';
import { StackStatus } from '@aws-sdk/client-cloudformation';
import {
  STACK_STATUSES,
  canUpdate,
  changeSetTypeFor,
  isFailure,
  isInProgress,
  isRollback,
  isSuccessfulLive,
  isTerminal,
  mustBeDeletedFirst,
  needsAttention,
} from '../../src/stack-events/status.js';

describe('stack status classifiers', () => {
  it('know every status the SDK knows', () => {
    expect([...STACK_STATUSES].sort()).toEqual(Object.values(StackStatus).sort());
  });

  it('treat the cleanup phase as live: CloudFormation can no longer roll back from there', () => {
    expect(STACK_STATUSES.filter(isSuccessfulLive)).toEqual(['CREATE_COMPLETE', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
    expect(isFailure('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')).toBe(false);
  });

  it('call a rollback a failure, even when it completed', () => {
    for (const s of ['UPDATE_ROLLBACK_COMPLETE', 'ROLLBACK_COMPLETE', 'UPDATE_ROLLBACK_IN_PROGRESS', 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS', 'IMPORT_ROLLBACK_COMPLETE']) {
      expect([s, isFailure(s), isRollback(s)]).toEqual([s, true, true]);
    }
  });

  it('wait through every *_IN_PROGRESS except REVIEW_IN_PROGRESS, which is a resting state', () => {
    expect(STACK_STATUSES.filter(isInProgress)).toEqual([
      'CREATE_IN_PROGRESS',
      'ROLLBACK_IN_PROGRESS',
      'DELETE_IN_PROGRESS',
      'UPDATE_IN_PROGRESS',
      'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'UPDATE_ROLLBACK_IN_PROGRESS',
      'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS',
      'IMPORT_IN_PROGRESS',
      'IMPORT_ROLLBACK_IN_PROGRESS',
    ]);
    expect(isTerminal('REVIEW_IN_PROGRESS')).toBe(true);
    expect(isTerminal('UPDATE_ROLLBACK_COMPLETE')).toBe(true);
  });

  it('flag the stuck states a human must resolve', () => {
    expect(STACK_STATUSES.filter(needsAttention).sort()).toEqual(
      ['CREATE_FAILED', 'DELETE_FAILED', 'IMPORT_ROLLBACK_FAILED', 'ROLLBACK_FAILED', 'UPDATE_FAILED', 'UPDATE_ROLLBACK_FAILED'].sort(),
    );
  });

  it('choose the change set type, or none when the stack cannot take one now', () => {
    expect(changeSetTypeFor(undefined)).toBe('CREATE');
    expect(changeSetTypeFor('REVIEW_IN_PROGRESS')).toBe('CREATE');
    expect(changeSetTypeFor('UPDATE_ROLLBACK_COMPLETE')).toBe('UPDATE');
    expect(changeSetTypeFor('ROLLBACK_COMPLETE')).toBeUndefined();
    expect(changeSetTypeFor('UPDATE_IN_PROGRESS')).toBeUndefined();
    expect(mustBeDeletedFirst('ROLLBACK_COMPLETE')).toBe(true);
    expect(canUpdate('UPDATE_ROLLBACK_FAILED')).toBe(false);
  });
});

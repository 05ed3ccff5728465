/**
 * What observes a deploy's attempt and its outcome (the release history). Deploy, rollback,
 * watch and the conclusion of an operation all speak to it, so it lives apart from each.
 */
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { PreflightFacts } from './preflight.js';
import type { BakeRecord } from '../releases/record.js';

export interface DeployJournal {
  started(attempt: { facts: PreflightFacts; token: string; startedAt: Date; bake?: BakeRecord }): Promise<void>;
  finished(outcome: { status: 'live' | 'rolled-back' | 'needs-attention' | 'cancelled'; endedAt: Date; rootCause?: string; stack?: Stack }): Promise<void>;
}

/**
 * CI integrations: each tells its CI how a step ended (annotations, meta-data for later steps).
 * One file per CI behind this interface (picked in for-environment.ts); none of them can change
 * a deploy's outcome or exit code.
 */
import type { StepOutcome, StepTarget } from './outcome.js';

export interface CiIntegration {
  /** Publishes the outcome; resolves with one line per thing that could not be published. Never throws. */
  publish(target: StepTarget, outcome: StepOutcome): Promise<string[]>;
}

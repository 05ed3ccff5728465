/** Picks the CI integration for where shipper runs, from the CI's own variables. */
import { isSet } from '../report/factory.js';
import type { CiIntegration } from './integration.js';
import { type ProgramRunner, runProgram } from './run-program.js';

export interface CiOptions {
  env: NodeJS.ProcessEnv;
  /** How helper programs are started (tests: a stub on PATH). */
  run?: ProgramRunner;
  /** How long all calls to the CI's agent may take together. */
  timeoutMs?: number;
}

/** A hanging agent must not hold the step for more than a few seconds. */
export const DEFAULT_CI_TIMEOUT_MS = 5000;

export async function ciIntegrationFor(options: CiOptions): Promise<CiIntegration | undefined> {
  if (isSet(options.env.BUILDKITE)) {
    const { BuildkiteIntegration } = await import('./buildkite.js');
    return new BuildkiteIntegration(options.env, options.run ?? runProgram, options.timeoutMs ?? DEFAULT_CI_TIMEOUT_MS);
  }
  return undefined;
}

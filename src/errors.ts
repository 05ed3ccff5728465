/**
 * Typed errors. Core code throws these; the CLI's single top-level handler maps each
 * kind to its documented exit code (see README "Exit codes"). Nothing else exits.
 */

export const ExitCode = {
  ok: 0,
  /** Unexpected internal error (a bug in shipper). */
  internal: 1,
  /** Bad input: descriptor, fragment, flags. Nothing in AWS was touched. */
  badInput: 2,
  /** Preflight refused the deploy (account guard, unknown image, stack state). Nothing changed. */
  preflightRefused: 3,
  /** The deploy failed and CloudFormation rolled back; the previous release is still live. */
  deployRolledBack: 4,
  /** The stack is left in a state that needs a human (e.g. UPDATE_ROLLBACK_FAILED). */
  needsAttention: 5,
  /** The user declined a confirmation or cancelled before anything changed. */
  aborted: 6,
  /** An AWS call failed for a reason other than the above (credentials, network, permissions). */
  aws: 7,
  /** Several services (one command, many services) failed, not all in the same way; the summary says how each ended. */
  servicesFailed: 8,
  /** The operator interrupted and chose to leave while CloudFormation finishes on its own. */
  detached: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export abstract class ShipperError extends Error {
  abstract readonly exitCode: ExitCodeValue;
  /** One or more lines that tell the user what to do next. */
  readonly hint?: string;
  constructor(message: string, options?: { hint?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** One problem found in user input, located as precisely as we can. */
export interface InputProblem {
  location?: SourceLocation;
  /** Key path inside the document, e.g. `environments.test.capacity.max`. */
  path?: string;
  message: string;
  /** What was expected, e.g. "an integer between 1 and 100". */
  expected?: string;
  hint?: string;
}

export class BadInputError extends ShipperError {
  readonly exitCode = ExitCode.badInput;
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[] | InputProblem, options?: { hint?: string }) {
    const list = Array.isArray(problems) ? problems : [problems];
    super(list.map(formatProblem).join('\n'), options);
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const where = p.location
    ? `${p.location.file}${p.location.line !== undefined ? `:${p.location.line}` : ''}${p.location.line !== undefined && p.location.column !== undefined ? `:${p.location.column}` : ''}`
    : undefined;
  const head = [where, p.path].filter(Boolean).join(' ');
  let text = head ? `${head}: ${p.message}` : p.message;
  if (p.expected) text += ` (expected ${p.expected})`;
  if (p.hint) text += `\n  hint: ${p.hint}`;
  return text;
}

export class PreflightError extends ShipperError {
  readonly exitCode = ExitCode.preflightRefused;
}

export class AbortedError extends ShipperError {
  readonly exitCode = ExitCode.aborted;
}

/** The update failed and rolled back; `rootCause` is what to fix. */
export class DeployRolledBackError extends ShipperError {
  readonly exitCode = ExitCode.deployRolledBack;
}

export class NeedsAttentionError extends ShipperError {
  readonly exitCode = ExitCode.needsAttention;
}

export class DetachedError extends ShipperError {
  readonly exitCode = ExitCode.detached;
}

export class AwsCallError extends ShipperError {
  readonly exitCode = ExitCode.aws;
}

/** Ctrl-C or SIGTERM before the update started: nothing was changed. */
export class InterruptedError extends ShipperError {
  readonly exitCode = ExitCode.detached;
}

/**
 * Some services of a command over many services did not succeed. The exit code is the one they
 * share when they all failed the same way, else `servicesFailed` (src/fleet/outcome.ts).
 */
export class ServicesFailedError extends ShipperError {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    options?: { hint?: string },
  ) {
    super(message, options);
  }
}

/**
 * The one place where errors become exit codes and messages. Commands throw; this prints
 * one clear message (with hints) on stderr and returns the documented exit code. With --json
 * the same failure also ends stdout as one final `error` event (src/report/error-event.ts), so a
 * script reading the events always learns how the run ended; the human text stays on stderr,
 * where a CI log shows it. On Buildkite the log group holding the message is expanded.
 */
import { BadInputError, ExitCode, ShipperError, formatProblem, type ExitCodeValue, type InputProblem } from '../errors.js';
import { errorEventLine } from '../report/error-event.js';
import { isSet } from '../report/factory.js';
import { describeAwsFailure, isAwsFailure } from '../aws/failure-text.js';
import type { CliIo } from './io.js';

export interface OutputMode {
  /** `--json` was asked for: end stdout with an `error` event. */
  json?: boolean;
}

/** A failure as both outputs tell it. */
export interface Failure {
  exitCode: ExitCodeValue;
  message: string;
  hint?: string;
  problems?: InputProblem[];
  /** What stderr shows, line by line (empty when someone else, e.g. commander, already said it). */
  text: string[];
}

export function reportError(err: unknown, io: CliIo, mode: OutputMode = {}): ExitCodeValue {
  return reportFailure(describeFailure(err, io.env), io, mode);
}

export function reportFailure(failure: Failure, io: CliIo, mode: OutputMode = {}): ExitCodeValue {
  for (const line of failure.text) io.stderr.write(`${line}\n`);
  // Buildkite's log-grouping docs: "^^^ +++" re-opens the previous group, the one the message sits in.
  if (isSet(io.env.BUILDKITE)) io.stderr.write('^^^ +++\n');
  if (mode.json) io.stdout.write(`${errorEventLine(failure)}\n`);
  return failure.exitCode;
}

export function describeFailure(err: unknown, env: NodeJS.ProcessEnv): Failure {
  if (err instanceof BadInputError) {
    const count = err.problems.length;
    const text = [`error: ${count === 1 ? 'invalid input' : `${count} problems in the input`} (nothing was changed)`];
    for (const line of err.message.split('\n')) text.push(`  ${line}`);
    if (err.hint) text.push(`  hint: ${err.hint}`);
    // For JSON: each problem's own hint stays with it in `problems`; a lone problem's hint is the hint.
    const message = err.problems.map((p) => formatProblem({ ...p, hint: undefined })).join('\n');
    const hint = err.hint ?? (count === 1 ? err.problems[0]?.hint : undefined);
    return { exitCode: err.exitCode, message, hint, problems: err.problems, text };
  }
  if (err instanceof ShipperError) {
    const text = [`error: ${err.message}`];
    if (err.hint) for (const line of err.hint.split('\n')) text.push(`  ${line}`);
    return { exitCode: err.exitCode, message: err.message, hint: err.hint, text };
  }
  if (isAwsFailure(err)) {
    const { message, hint } = describeAwsFailure(err as Error, env);
    return { exitCode: ExitCode.aws, message, hint, text: [`error: ${message}`, `  ${hint}`] };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const message = `unexpected failure: ${e.message}`;
  const hint = 'set SHIPPER_DEBUG=1 for the stack trace, and please report it';
  return { exitCode: ExitCode.internal, message, hint, text: [`error: ${message}`, env.SHIPPER_DEBUG ? `${e.stack ?? ''}` : `  ${hint}`] };
}

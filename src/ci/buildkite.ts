/**
 * Buildkite: an annotation on the build for every deploy, rollback or watch that ends (style
 * error with the failure summary, or success with the release), and meta-data later steps read:
 * `buildkite-agent meta-data get shipper:prod:release`. The context names the service and
 * environment, so a retried step replaces its own annotation instead of adding another.
 */
import { failureMarkdown } from '../report/failure-markdown.js';
import { liveMarkdown } from '../report/live-markdown.js';
import type { CiIntegration } from './integration.js';
import type { StepOutcome, StepTarget } from './outcome.js';
import type { ProgramCall, ProgramResult, ProgramRunner } from './run-program.js';

const AGENT = 'buildkite-agent';

type AgentCall = Pick<ProgramCall, 'args' | 'stdin'>;

export class BuildkiteIntegration implements CiIntegration {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly run: ProgramRunner,
    private readonly timeoutMs: number,
  ) {}

  async publish(target: StepTarget, outcome: StepOutcome): Promise<string[]> {
    const calls = buildkiteCalls(target, outcome);
    const deadline = Date.now() + this.timeoutMs;
    for (const call of calls) {
      const timeoutMs = Math.max(1, deadline - Date.now());
      let result: ProgramResult;
      try {
        result = await this.run({ command: AGENT, ...call, env: this.env, timeoutMs });
      } catch (err) {
        result = { kind: 'error', message: (err as Error).message };
      }
      // One line says why; the calls after a failed one would only say it again (or hang again).
      if (result.kind !== 'ok') return [`Buildkite: ${whyNot(call, result, this.timeoutMs)}; the deploy's outcome is unchanged`];
    }
    return [];
  }
}

/** What shipper asks the agent to do for an outcome, in order: the annotation, then the meta-data. */
export function buildkiteCalls(target: StepTarget, outcome: StepOutcome): AgentCall[] {
  if (outcome.kind === 'unchanged') return [];
  const annotate = (style: 'success' | 'error', body: string): AgentCall => ({
    args: ['annotate', '--style', style, '--context', annotationContext(target)],
    stdin: body,
  });
  if (outcome.kind === 'failed') return [annotate('error', failureMarkdown(target, outcome.failure))];
  const { live } = outcome;
  const metaData: Array<[string, string | number | undefined]> = [
    ['release', live.release],
    ['image-tag', live.imageTag],
    ['image-digest', live.imageDigest],
  ];
  return [
    annotate('success', liveMarkdown(target, live)),
    // Buildkite refuses empty values; a key shipper does not know is left unset.
    ...metaData.flatMap(([key, value]) => (value === undefined || value === '' ? [] : [{ args: ['meta-data', 'set', metaDataKey(target.env, key, target.perService ? target.service : undefined), String(value)] }])),
  ];
}

/** `shipper-hello-prod`: one annotation per service and environment in a build. */
export function annotationContext(target: StepTarget): string {
  return `shipper-${target.service}-${target.env}`;
}

/** `shipper:prod:release`; with several services in one step, `shipper:billing:prod:release`. */
export function metaDataKey(env: string, key: string, service?: string): string {
  return service ? `shipper:${service}:${env}:${key}` : `shipper:${env}:${key}`;
}

function whyNot(call: AgentCall, result: Exclude<ProgramResult, { kind: 'ok' }>, timeoutMs: number): string {
  const what = `${AGENT} ${call.args.slice(0, call.args[0] === 'meta-data' ? 3 : 1).join(' ')}`;
  switch (result.kind) {
    case 'missing':
      return `${AGENT} is not on PATH, so the build has no annotation or meta-data from shipper`;
    case 'timed-out':
      return `${what} did not finish within ${Math.round(timeoutMs / 100) / 10}s and was stopped`;
    case 'failed': {
      const said = lastLine(result.stderr);
      const status = result.exitCode !== null ? `exit status ${result.exitCode}` : `signal ${result.signal ?? 'unknown'}`;
      return `${what} failed (${status})${said ? `: ${said}` : ''}`;
    }
    case 'error':
      return `${what} could not be started: ${result.message}`;
  }
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.at(-1) ?? '';
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * What a failed instance said about itself. cfn-signal carries no reason and the rollback
 * terminates the instance, so on FAILURE the boot script copies the tail of its log into the
 * service's log group, stream `boot/<instance-id>`, before it signals. This reads those streams
 * back for the failure report: read-only, within one small time budget for the whole report,
 * and never failing it (anything that goes wrong becomes a sentence in the report instead).
 */
import type { Clock, LogsApi } from '../aws/api.js';
import { bootLogGroupName } from '../compose/boot-log.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import type { BootLog } from '../report/events.js';

/** Total time the boot logs may add to a failure report, however many instances failed. */
export const BOOT_LOG_BUDGET_MS = 5000;
/** The boot script writes about 50 lines; read no more than that per instance. */
export const BOOT_LOG_MAX_LINES = 50;
/** A failure with many instances needs a few of them to say why; the rest would say the same. */
export const BOOT_LOG_MAX_INSTANCES = 3;

export function bootLogStream(instanceId: string): string {
  return `boot/${instanceId}`;
}

/** The app log group the boot script writes to: the stack has it whatever the log router's output. */
export function bootLogGroupOf(target: ServiceEnvironment): string {
  return bootLogGroupName(target.service, target.env);
}

const TIMED_OUT = Symbol('timed out');

export class BootLogReader {
  private readonly read = new Map<string, BootLog>();
  private spentMs = 0;

  constructor(
    private readonly logs: LogsApi | undefined,
    private readonly clock: Clock,
    private readonly logGroup: string | undefined,
    private readonly budgetMs = BOOT_LOG_BUDGET_MS,
  ) {}

  /** Reads the streams of instances not read yet (the first few instances only), all at once. */
  async capture(instanceIds: readonly string[]): Promise<void> {
    if (!this.logGroup) return;
    const fresh = instanceIds.filter((id) => !this.read.has(id)).slice(0, Math.max(0, BOOT_LOG_MAX_INSTANCES - this.read.size));
    if (fresh.length === 0) return;
    const started = this.clock.now().getTime();
    const budget = this.budgetMs - this.spentMs;
    const deadline = new Deadline(this.clock, budget);
    try {
      const logs = await Promise.all(fresh.map((id) => this.readOne(this.logGroup!, id, deadline)));
      for (const log of logs) this.read.set(log.instanceId, log);
    } finally {
      deadline.dispose();
      this.spentMs += Math.max(0, this.clock.now().getTime() - started);
    }
  }

  /** What was read, in the order the instances failed. */
  results(): BootLog[] {
    return [...this.read.values()];
  }

  private async readOne(logGroup: string, instanceId: string, deadline: Deadline): Promise<BootLog> {
    const stream = bootLogStream(instanceId);
    const log: BootLog = { instanceId, logGroup, stream, lines: [] };
    if (!this.logs) return { ...log, unreadable: 'no CloudWatch Logs client' };
    if (deadline.ms <= 0) return { ...log, unreadable: `no time left to read it (${seconds(this.budgetMs)} for all boot logs)` };
    try {
      const out = await deadline.race(
        this.logs.getLogEvents({ logGroupName: logGroup, logStreamName: stream, limit: BOOT_LOG_MAX_LINES, startFromHead: false }, { abortSignal: deadline.signal }),
      );
      if (out === TIMED_OUT) return { ...log, unreadable: timedOut(deadline) };
      // Newest events last; a multi-line event is still lines of the log.
      const lines = (out.events ?? []).flatMap((e) => (e.message ?? '').replace(/\n$/, '').split('\n'));
      return lines.length ? { ...log, lines: lines.slice(-BOOT_LOG_MAX_LINES) } : { ...log, unreadable: 'the stream is empty' };
    } catch (err) {
      // A call aborted by the deadline may reject before the deadline's own answer arrives.
      return { ...log, unreadable: deadline.signal.aborted ? timedOut(deadline) : describeError(err) };
    }
  }
}

/**
 * One timer on the injected clock for a batch of calls: when it runs out, every call still
 * waiting is aborted and answered TIMED_OUT. (One timer, not one per call, so parallel reads
 * share the time rather than each taking all of it.)
 */
class Deadline {
  private readonly abort = new AbortController();
  private readonly stop = new AbortController();
  private readonly expired: Promise<typeof TIMED_OUT>;

  constructor(
    clock: Clock,
    readonly ms: number,
  ) {
    // Start the timer on the next turn of the event loop: an answer that is already there wins
    // even on a simulated clock, whose sleeps return at once.
    this.expired = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (ms > 0 ? clock.sleep(ms, this.stop.signal) : undefined))
      .then((): typeof TIMED_OUT => {
        if (!this.stop.signal.aborted) this.abort.abort();
        return TIMED_OUT;
      });
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  async race<T>(call: Promise<T>): Promise<T | typeof TIMED_OUT> {
    const first = await Promise.race([call, this.expired]);
    if (first === TIMED_OUT) call.catch(() => undefined);
    return first;
  }

  /** Stops the timer once every call has answered. */
  dispose(): void {
    this.stop.abort();
  }
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // AWS says "The specified log stream does not exist." (or "... log group ..."): the instance
  // wrote no boot log, or the log group went with a failed first create.
  if (err.name === 'ResourceNotFoundException') return `not found: ${err.message}`;
  if (/AccessDenied/i.test(err.name)) return `access denied: the deploying role needs logs:GetLogEvents on the log group (${err.message})`;
  return `${err.name}: ${err.message}`;
}

function timedOut(deadline: Deadline): string {
  return `CloudWatch Logs did not answer within ${seconds(deadline.ms)}`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

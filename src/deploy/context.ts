/** What every deploy-side operation is given: injected clients, time, output and interrupts. */
import type { AwsClients, Clock } from '../aws/api.js';
import type { TemplateLinter } from '../compose/cfn-lint.js';
import type { Reporter } from '../report/events.js';
import { withThrottleRetry, type RetryOptions } from '../aws/retry.js';
import type { Fetch } from '../registry/transport.js';
import type { CallPacer } from '../aws/pacer.js';

export interface DeployContext {
  clients: AwsClients;
  clock: Clock;
  reporter: Reporter;
  /** Asks the operator a yes/no question; absent when nobody can answer (CI, no TTY). */
  confirm?: (question: string) => Promise<boolean>;
  /** Aborted on the first Ctrl-C or SIGTERM: cancel the update and follow the rollback. */
  interrupt?: AbortSignal;
  /** Aborted on the second Ctrl-C: stop following; CloudFormation finishes on its own. */
  detach?: AbortSignal;
  /** Source of randomness for tokens and jitter; injectable for deterministic tests. */
  random?: () => number;
  retry?: RetryOptions;
  /** How sidecar images are looked up in their registries: Node's fetch and a few seconds per request by default. */
  registry?: { fetch?: Fetch; timeoutMs?: number };
  /** cfn-lint for the offline checks; absent: shipper's own checks only. */
  lint?: TemplateLinter;
  /**
   * The pacer `clients` are paced by (pacedClients): contexts that share clients share it, so
   * many deploys from one process slow down together when AWS throttles them.
   */
  pacer?: CallPacer;
}

/** Every AWS call goes through here: throttling slows a deploy down, it never fails it. */
export function aws<T>(ctx: DeployContext, fn: () => Promise<T>): Promise<T> {
  return withThrottleRetry(fn, ctx.clock, retryOptions(ctx));
}

/** The one set of retry options for every AWS call of a command, the stack-event poller's included. */
export function retryOptions(ctx: DeployContext): RetryOptions {
  return { random: ctx.random, ...ctx.retry };
}

export function elapsedSeconds(ctx: DeployContext, since: Date): number {
  return Math.max(0, Math.round((ctx.clock.now().getTime() - since.getTime()) / 1000));
}

/**
 * Everything a command that talks to AWS needs: the resolved service, real clients for its
 * region (or injected ones in tests), a reporter for where output goes, and interrupts.
 */
import type { AwsClients, Clock } from '../aws/api.js';
import { systemClock } from '../aws/api.js';
import { runCfnLint, type TemplateLinter } from '../compose/cfn-lint.js';
import { loadServiceEnvironment } from '../descriptor/load.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import type { DeployContext } from '../deploy/context.js';
import { createReporter, isInteractive } from '../report/factory.js';
import type { Reporter } from '../report/events.js';
import { ciIntegrationFor } from '../ci/for-environment.js';
import { OutcomeRecorder } from '../ci/outcome.js';
import type { ProgramRunner } from '../ci/run-program.js';
import { confirmOnTerminal } from './confirm.js';
import { describeFailure } from './errors-to-exit.js';
import { installInterrupts, type Interrupts } from './interrupts.js';
import type { CliIo } from './io.js';
import { channelsFor } from '../notify/channels.js';
import { NotifyingReporter, type NoteContext } from '../notify/notifier.js';
import { readSecretValue, secretRefLabel } from '../registry/credentials.js';
import { AdaptivePacer, type CallPacer } from '../aws/pacer.js';
import { pacedClients } from '../aws/paced-clients.js';
import { resolveTarget } from '../instances/resolve.js';

export interface SessionOptions {
  env: string;
  file?: string;
  profile?: string;
  json?: boolean;
  /** A short-lived instance of the environment (`--instance pr-123`) instead of its main stack. */
  instance?: string;
  /** The instance's time to live (`--ttl 3d`), deploy only. */
  ttl?: string;
}

/** Seams for tests: in-process runs pass a simulated cloud and a fake clock. */
export interface CliDependencies {
  clients?: (region: string, profile?: string, role?: { roleArn?: string }) => Promise<AwsClients>;
  clock?: Clock;
  confirm?: (question: string) => Promise<boolean>;
  /** A typed answer at a prompt (destroy --main asks for the stack's name). */
  askText?: (question: string) => Promise<string>;
  exitNow?: (code: number) => void;
  /** How sidecar images are looked up in their registries (default: Node's fetch). */
  registryFetch?: typeof globalThis.fetch;
  /** cfn-lint for the offline checks (default: the installed one). */
  lint?: TemplateLinter;
  /** How long notifications may hold the command after the deploy ends (default 5 s). */
  notifyBoundMs?: number;
  /** How the CI's agent (buildkite-agent) is run, and how long all its calls may take together. */
  ci?: { run?: ProgramRunner; timeoutMs?: number };
  /** Paces every AWS call of the command; pass one to several commands so they share it (default: one per command). */
  pacer?: CallPacer;
}

export interface Session {
  target: ServiceEnvironment;
  ctx: DeployContext;
  reporter: Reporter;
  /** The first Ctrl-C aborts `ctx.interrupt` (for the command to clean up) instead of exiting at once. */
  cleanUpOnInterrupt(): void;
  /** Waits (bounded) for the notifications the deploy triggered and reports each; never throws. */
  flushNotifications(): Promise<void>;
  close(): void;
  /** Runs the command's work, tells the CI (if any) how it ended, and closes; errors pass through unchanged. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

/** `notify`: who deploys what, when the command sends the descriptor's notifications (deploy does). */
export async function openSession(options: SessionOptions, io: CliIo, deps: CliDependencies = {}, notify?: Omit<NoteContext, 'service' | 'environment'>): Promise<Session> {
  const target = resolveTarget(loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd }), options);
  // The environment's region is the only one: the template, the boot script and the clients agree on it.
  const clock = deps.clock ?? systemClock;
  const pacer = deps.pacer ?? new AdaptivePacer(clock);
  const clients = pacedClients(await awsClientFactory(io, deps)(target.service.region, options.profile ?? io.env.AWS_PROFILE, { roleArn: target.service.roleArn }), pacer);
  const choice = { json: Boolean(options.json), stream: io.stdout, isTTY: Boolean(io.stdout.isTTY), env: io.env };
  const baseReporter = await createReporter(choice);
  const interrupts = installInterrupts(io, deps.exitNow ?? ((code) => process.exit(code)), { json: options.json });
  const interactive = isInteractive(choice) && io.stdinIsTTY && !options.json;
  return serviceSession({ target, clients, clock, pacer, output: baseReporter, interrupts, ownsInterrupts: true, interactive, io, deps, notify });
}

/** How the command makes AWS clients: the injected ones (tests), else SDK clients for a region, profile and role. */
export function awsClientFactory(io: CliIo, deps: CliDependencies): NonNullable<CliDependencies['clients']> {
  return deps.clients ?? (async (r: string, p?: string, role?: { roleArn?: string }) => (await import('../aws/sdk-factory.js')).createAwsClients({ region: r, profile: p, env: io.env, roleArn: role?.roleArn }));
}

/** What one service's session is made of; a command over many services makes one per service, sharing the rest. */
export interface ServiceSessionParts {
  target: ServiceEnvironment;
  /** Already paced by `pacer`. */
  clients: AwsClients;
  clock: Clock;
  /** Paces the AWS calls; shared by every service using the same clients. */
  pacer: CallPacer;
  /** Where this service's events end up: the command's renderer, or the service's lane in a fleet display. */
  output: Reporter;
  interrupts: Interrupts;
  /** This session is the command's only one: closing it removes the signal handlers. */
  ownsInterrupts: boolean;
  /** A person at a terminal can answer a confirmation. */
  interactive: boolean;
  io: CliIo;
  deps: CliDependencies;
  notify?: Omit<NoteContext, 'service' | 'environment'>;
  /** Several services in one CI step: the CI's meta-data keys name the service too. */
  ciPerService?: boolean;
}

export async function serviceSession(parts: ServiceSessionParts): Promise<Session> {
  const { target, clients, clock, pacer, interrupts, io, deps, notify } = parts;
  const watched = interrupts.watch(parts.output);
  const notifier = notify
    ? new NotifyingReporter(
        watched,
        channelsFor(target.service.notifications, {
          env: io.env,
          fetch: globalThis.fetch,
          readSecret: async (ref) => {
            const value = await readSecretValue(clients.ssm, ref);
            if (!value) throw new Error(`${secretRefLabel(ref)} is empty`);
            return value;
          },
        }),
        // An instance's deploys are announced as such (test/pr-123), never as the environment's own.
        { service: target.service.service, environment: target.instance ? `${target.env}/${target.instance.name}` : target.env, ...notify },
        { boundMs: deps.notifyBoundMs, now: () => clock.now() },
      )
    : undefined;
  const outcome = new OutcomeRecorder(notifier ?? watched);
  const reporter: Reporter = outcome;
  const ci = await ciIntegrationFor({ env: io.env, run: deps.ci?.run, timeoutMs: deps.ci?.timeoutMs });
  // Whatever the CI's agent does, the command's outcome and exit code stay the command's own.
  const tellCi = async (err?: unknown) => {
    if (!ci) return;
    let warnings: string[];
    try {
      const failure = err === undefined ? undefined : describeFailure(err, io.env);
      // An instance has its own annotation and meta-data (shipper:test-pr-123:release), never the main stack's.
      warnings = await ci.publish({ service: target.service.service, env: target.instance ? `${target.env}-${target.instance.name}` : target.env, ...(parts.ciPerService ? { perService: true } : {}) }, outcome.outcome(failure));
    } catch (failure) {
      warnings = [`could not tell the CI how this ended: ${(failure as Error).message}`];
    }
    for (const message of warnings) reporter.emit({ type: 'warning', message });
  };
  const ctx: DeployContext = {
    clients,
    clock,
    reporter,
    confirm:
      deps.confirm ??
      (parts.interactive
        ? (question: string) => {
            reporter.pause?.();
            return confirmOnTerminal(question);
          }
        : undefined),
    interrupt: interrupts.interrupt,
    detach: interrupts.detach,
    ...(deps.registryFetch ? { registry: { fetch: deps.registryFetch } } : {}),
    lint: deps.lint ?? ((template, lintRegion) => runCfnLint(template, lintRegion, io.env)),
    pacer,
  };
  const close = () => {
    if (parts.ownsInterrupts) interrupts.dispose();
    reporter.close();
  };
  return {
    target,
    ctx,
    reporter,
    cleanUpOnInterrupt: () => interrupts.cleanUpOnInterrupt(),
    flushNotifications: async () => notifier?.flush(),
    close,
    async run(work) {
      try {
        let result;
        try {
          result = await work();
        } catch (err) {
          await tellCi(err);
          throw err;
        }
        await tellCi();
        return result;
      } finally {
        // Whatever the outcome, notifications may hold it only for their bound and never change it.
        await notifier?.flush();
        close();
      }
    },
  };
}

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
import { confirmOnTerminal } from './confirm.js';
import { installInterrupts } from './interrupts.js';
import type { CliIo } from './io.js';

export interface SessionOptions {
  env: string;
  file?: string;
  profile?: string;
  json?: boolean;
}

/** Seams for tests: in-process runs pass a simulated cloud and a fake clock. */
export interface CliDependencies {
  clients?: (region: string, profile?: string, role?: { roleArn?: string }) => Promise<AwsClients>;
  clock?: Clock;
  confirm?: (question: string) => Promise<boolean>;
  exitNow?: (code: number) => void;
  /** How sidecar images are looked up in their registries (default: Node's fetch). */
  registryFetch?: typeof globalThis.fetch;
  /** cfn-lint for the offline checks (default: the installed one). */
  lint?: TemplateLinter;
}

export interface Session {
  target: ServiceEnvironment;
  ctx: DeployContext;
  reporter: Reporter;
  /** The first Ctrl-C aborts `ctx.interrupt` (for the command to clean up) instead of exiting at once. */
  cleanUpOnInterrupt(): void;
  close(): void;
}

export async function openSession(options: SessionOptions, io: CliIo, deps: CliDependencies = {}): Promise<Session> {
  const target = loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd });
  // The environment's region is the only one: the template, the boot script and the clients agree on it.
  const region = target.service.region;
  const makeClients = deps.clients ?? (async (r: string, p?: string, role?: { roleArn?: string }) => (await import('../aws/sdk-factory.js')).createAwsClients({ region: r, profile: p, env: io.env, roleArn: role?.roleArn }));
  const clients = await makeClients(region, options.profile ?? io.env.AWS_PROFILE, { roleArn: target.service.roleArn });
  const choice = { json: Boolean(options.json), stream: io.stdout, isTTY: Boolean(io.stdout.isTTY), env: io.env };
  const baseReporter = await createReporter(choice);
  const interrupts = installInterrupts(io, deps.exitNow ?? ((code) => process.exit(code)), { json: options.json });
  const reporter = interrupts.watch(baseReporter);
  const interactive = isInteractive(choice) && io.stdinIsTTY && !options.json;
  const ctx: DeployContext = {
    clients,
    clock: deps.clock ?? systemClock,
    reporter,
    confirm:
      deps.confirm ??
      (interactive
        ? (question: string) => {
            reporter.pause?.();
            return confirmOnTerminal(question);
          }
        : undefined),
    interrupt: interrupts.interrupt,
    detach: interrupts.detach,
    ...(deps.registryFetch ? { registry: { fetch: deps.registryFetch } } : {}),
    lint: deps.lint ?? ((template, lintRegion) => runCfnLint(template, lintRegion, io.env)),
  };
  return {
    target,
    ctx,
    reporter,
    cleanUpOnInterrupt: () => interrupts.cleanUpOnInterrupt(),
    close() {
      interrupts.dispose();
      reporter.close();
    },
  };
}

/**
 * What a command over many services shares, and what it makes once per service. Shared: the
 * selection (every descriptor loaded and checked before any AWS call), AWS clients per (region,
 * profile, role) so services in one account share the SDK's connections and retry state, one
 * clock, one set of interrupts, one display. Per service: a session of its own (notifications,
 * release journal, CI annotation), made with the same pieces as a one-service command's.
 */
import type { AwsClients, Clock } from '../aws/api.js';
import { systemClock } from '../aws/api.js';
import { AdaptivePacer, type CallPacer } from '../aws/pacer.js';
import { pacedClients } from '../aws/paced-clients.js';
import { checkBeforeAws } from '../deploy/offline.js';
import { runCfnLint } from '../compose/cfn-lint.js';
import { AbortedError, BadInputError, ExitCode, ServicesFailedError, type ExitCodeValue, type InputProblem } from '../errors.js';
import type { FleetReporter } from '../fleet/events.js';
import { settleWithLimit } from '../fleet/limit.js';
import { DEFAULT_CONCURRENCY, runFleet, type FleetMember, type FleetSummary, type Succeeded } from '../fleet/runner.js';
import { selectServices, type SelectedService, type SelectionFlags } from '../fleet/selection.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { RecordingReporter, type Reporter } from '../report/events.js';
import { createFleetReporter, type FleetRendering } from '../report/fleet-factory.js';
import { isInteractive } from '../report/factory.js';
import type { NoteContext } from '../notify/notifier.js';
import { confirmOnTerminal } from './confirm.js';
import { describeFailure } from './errors-to-exit.js';
import { installInterrupts, type Interrupts } from './interrupts.js';
import type { CliIo } from './io.js';
import { awsClientFactory, serviceSession, type CliDependencies, type Session } from './session.js';

export interface FleetOptions extends SelectionFlags {
  env: string;
  profile?: string;
  json?: boolean;
  concurrency?: string;
}

export interface FleetServiceMember extends FleetMember {
  target: ServiceEnvironment;
}

export interface Fleet {
  members: FleetServiceMember[];
  concurrency: number;
  /** One service's session: the shared clients, clock and interrupts; its own notifications, journal and CI context. */
  session(member: FleetServiceMember, output: Reporter, notify?: Omit<NoteContext, 'service' | 'environment'>): Promise<Session>;
  /** Runs `work` for every service (concurrency-limited) and returns the summary, which the display has shown. */
  run(work: (member: FleetServiceMember, output: Reporter) => Promise<Succeeded>): Promise<FleetSummary>;
  close(): void;
}

export interface FleetPreparation {
  rendering: FleetRendering;
  /** deploy and plan: the offline checks (validate's) of every service before any AWS call. */
  offlineChecks: boolean;
  /** Where the display writes (plan --json: progress to stderr). */
  out?: CliIo['stdout'];
  json?: boolean;
}

export async function prepareFleet(options: FleetOptions, io: CliIo, deps: CliDependencies, prep: FleetPreparation): Promise<Fleet> {
  const concurrency = parseConcurrency(options.concurrency);
  const members = selectServices(options, options.env, io.cwd).map((s: SelectedService): FleetServiceMember => ({ label: s.label, env: s.target.env, stackName: s.target.stackName, target: s.target }));
  const lint = deps.lint ?? ((template, region) => runCfnLint(template, region, io.env));
  const checkNotes = new Map<FleetServiceMember, RecordingReporter>();
  if (prep.offlineChecks) {
    const settled = await settleWithLimit(members, concurrency, async (member) => {
      const notes = new RecordingReporter();
      checkNotes.set(member, notes);
      await checkBeforeAws({ lint, reporter: notes }, member.target);
    });
    const problems: InputProblem[] = [];
    for (const result of settled) {
      if (result.status === 'fulfilled') continue;
      if (!(result.reason instanceof BadInputError)) throw result.reason;
      problems.push(...result.reason.problems);
    }
    if (problems.length) throw new BadInputError(problems);
  }

  const clock: Clock = deps.clock ?? systemClock;
  const makeClients = awsClientFactory(io, deps);
  const profile = options.profile ?? io.env.AWS_PROFILE;
  // One set of clients, and one pacer of their calls, per (region, profile, role): the services
  // deployed with them share the SDK's connections and retry state and one view of throttling.
  const clients = new Map<string, Promise<{ clients: AwsClients; pacer: CallPacer }>>();
  const clientsFor = (target: ServiceEnvironment) => {
    const key = JSON.stringify([target.service.region, profile ?? null, target.service.roleArn ?? null]);
    let made = clients.get(key);
    if (!made) {
      const pacer = deps.pacer ?? new AdaptivePacer(clock);
      made = makeClients(target.service.region, profile, { roleArn: target.service.roleArn }).then((raw) => ({ clients: pacedClients(raw, pacer), pacer }));
      clients.set(key, made);
    }
    return made;
  };
  const out = prep.out ?? io.stdout;
  const reporter: FleetReporter = await createFleetReporter({ json: Boolean(prep.json ?? options.json), stream: out, isTTY: Boolean(out.isTTY), env: io.env }, prep.rendering);
  const interrupts: Interrupts = installInterrupts(io, deps.exitNow ?? ((code) => process.exit(code)), { json: options.json });
  // Every Ctrl-C goes through the fleet: services under way cancel, the rest never start, and
  // the summary says which is which. A second one still leaves at once.
  interrupts.cleanUpOnInterrupt();

  return {
    members,
    concurrency,
    async session(member, output, notify) {
      for (const event of checkNotes.get(member)?.events ?? []) output.emit(event);
      const shared = await clientsFor(member.target);
      return serviceSession({ target: member.target, clients: shared.clients, pacer: shared.pacer, clock, output, interrupts, ownsInterrupts: false, interactive: false, io, deps, notify, ciPerService: true });
    },
    run: (work) => runFleet(members, work, { concurrency, clock, reporter, interrupt: interrupts.interrupt, describe: (err) => describeFailure(err, io.env) }),
    close() {
      interrupts.dispose();
      reporter.close();
    },
  };
}

/**
 * A protected environment is confirmed once for the whole fleet, before anything starts (one
 * prompt per service, asked while others deploy, could not be read). Without a terminal it
 * needs --yes, as for one service.
 */
export async function confirmProtectedFleet(members: FleetServiceMember[], options: { yes?: boolean; json?: boolean }, io: CliIo, deps: CliDependencies, what: string): Promise<void> {
  const guarded = members.filter((m) => m.target.service.protected);
  if (guarded.length === 0 || options.yes) return;
  const names = guarded.map((m) => m.label).join(', ');
  const env = guarded[0]!.env;
  const canAsk = deps.confirm ?? (isInteractive({ isTTY: Boolean(io.stdout.isTTY), env: io.env }) && io.stdinIsTTY && !options.json ? confirmOnTerminal : undefined);
  if (!canAsk) {
    throw new AbortedError(`environment "${env}" is protected (${names}) and nobody can confirm here`, { hint: 'pass --yes to deploy without a prompt (e.g. in CI); nothing was changed' });
  }
  if (!(await canAsk(`${what} to ${env} for ${guarded.length === members.length ? `all ${members.length} services` : names}?`))) throw new AbortedError('not confirmed; nothing was changed');
}

/** The command's outcome from the summary: ok, or one error carrying the fleet's exit code. */
export function fleetResult(summary: FleetSummary): ExitCodeValue {
  if (summary.exitCode === ExitCode.ok) return ExitCode.ok;
  const failed = summary.results.filter((r) => r.exitCode !== 0);
  const list = failed.map((r) => `${r.service} (${r.outcome.replace('-', ' ')})`).join(', ');
  throw new ServicesFailedError(summary.exitCode as ExitCodeValue, `${failed.length} of ${summary.results.length} services did not succeed: ${list}`, {
    hint: 'the summary says how each one ended and why; the others were not affected',
  });
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CONCURRENCY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new BadInputError({ path: '--concurrency', message: `"${value}" is not a number of services`, expected: 'a whole number from 1 to 100' });
  }
  return n;
}

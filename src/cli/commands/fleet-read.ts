/**
 * `plan`, `status` and `releases` over many services (`-f` repeated, `--all`): each service's
 * section in selection order, as its one-service command shows it (plans are made concurrently).
 * With `--json`, stdout holds one object per service per line, in selection order, each with
 * `service` and `env` (a service that failed: `error` instead); the text goes to stderr.
 */
import { verifyAccount } from '../../deploy/account.js';
import { runPlan } from '../../deploy/preview.js';
import { describeStack, liveImage } from '../../deploy/stack-state.js';
import { BadInputError, type ExitCodeValue } from '../../errors.js';
import type { FleetSummary, Succeeded } from '../../fleet/runner.js';
import { SUCCESSFUL_OUTCOMES } from '../../fleet/events.js';
import { liveRelease } from '../../releases/select.js';
import { errorEvent } from '../../report/error-event.js';
import type { Reporter } from '../../report/events.js';
import { formatReleasesTable } from '../../report/releases-table.js';
import { formatStatus } from '../../report/status-view.js';
import { gatherStatus } from '../../status/gather.js';
import { checkDigestFlag } from '../flags.js';
import { fleetResult, prepareFleet, type Fleet, type FleetOptions, type FleetServiceMember } from '../fleet.js';
import { releaseStore } from '../history.js';
import type { CliIo } from '../io.js';
import type { CliDependencies, Session } from '../session.js';
import { outputStyle } from '../style.js';
import type { PlanOptions } from './plan.js';

type Read = (session: Session, out: Reporter) => Promise<{ outcome: Succeeded; json: Record<string, unknown> }>;

export async function fleetPlanCommand(options: Omit<PlanOptions, 'file'> & FleetOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  if (!options.imageTag && !options.imageDigest) {
    throw new BadInputError({ path: '--image-tag', message: 'which image should be planned?', hint: 'pass --image-tag TAG (or --image-digest sha256:…); every selected service plans it' });
  }
  checkDigestFlag(options.imageDigest);
  return readEach(options, io, deps, 'Planning', true, async (session) => {
    const plan = await runPlan(session.ctx, {
      target: session.target,
      image: { tag: options.imageTag, digest: options.imageDigest, verifyTag: Boolean(options.imageTag && options.imageDigest) },
      noWaitBusy: options.waitBusy === false,
      noBake: options.bake === false,
      liveSidecarImages: async (liveDigest) => liveRelease((await releaseStore(session).history()).releases, liveDigest)?.sidecarImages,
    });
    return { outcome: plan.changes ? 'planned' : 'no-changes', json: { plan } };
  });
}

export async function fleetStatusCommand(options: FleetOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const style = outputStyle(options.json ? { ...io, stdout: io.stderr } : io);
  return readEach(options, io, deps, 'Status of', false, async (session, out) => {
    const view = await gatherStatus(session.ctx, session.target, releaseStore(session));
    for (const line of formatStatus(view, session.ctx.clock.now(), style)) out.emit({ type: 'info', message: line });
    return { outcome: 'shown', json: { ...view } };
  });
}

export async function fleetReleasesCommand(options: FleetOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const style = outputStyle(options.json ? { ...io, stdout: io.stderr } : io);
  return readEach(options, io, deps, 'Releases of', false, async (session, out) => {
    await verifyAccount(session.ctx, session.target);
    const [history, stack] = await Promise.all([releaseStore(session).history(), describeStack(session.ctx, session.target.stackName)]);
    const live = liveRelease(history.releases, liveImage(stack).digest);
    for (const line of formatReleasesTable(history.releases, live, session.ctx.clock.now(), style)) out.emit({ type: 'info', message: line });
    for (const problem of history.unreadable) out.emit({ type: 'warning', message: problem });
    return { outcome: 'shown', json: { stackName: session.target.stackName, live: live?.number ?? null, releases: history.releases, unreadable: history.unreadable } };
  });
}

/** Runs `read` for every service; text sections (stderr with --json) in selection order, then the JSON lines. */
async function readEach(options: FleetOptions, io: CliIo, deps: CliDependencies, verb: string, offlineChecks: boolean, read: Read): Promise<ExitCodeValue> {
  const fleet: Fleet = await prepareFleet(options, io, deps, {
    rendering: { verb, order: 'selection' },
    offlineChecks,
    ...(options.json ? { out: io.stderr, json: false } : {}),
  });
  const objects = new Map<FleetServiceMember, Record<string, unknown>>();
  let summary: FleetSummary;
  try {
    summary = await fleet.run(async (member, output) => {
      const session = await fleet.session(member, output);
      try {
        const { outcome, json } = await read(session, session.reporter);
        objects.set(member, json);
        return outcome;
      } finally {
        session.close();
      }
    });
  } finally {
    fleet.close();
  }
  if (options.json) {
    summary.results.forEach((result, i) => {
      const member = fleet.members[i]!;
      const body = SUCCESSFUL_OUTCOMES.has(result.outcome)
        ? (objects.get(member) ?? {})
        : { error: errorObject(result.exitCode as ExitCodeValue, result.message ?? result.rootCause ?? result.outcome, result.hint) };
      io.stdout.write(`${JSON.stringify({ service: result.service, env: result.env, ...body })}\n`);
    });
  }
  return fleetResult(summary);
}

/** The `error` event's fields (exitCode, kind, message, hint) for one service that failed. */
function errorObject(exitCode: ExitCodeValue, message: string, hint?: string): Record<string, unknown> {
  const { type: _type, ...fields } = errorEvent({ exitCode, message, hint });
  return fields;
}

/** `shipper deploy` over many services (`-f` repeated, `--all`): one deploy per service, as `deploy` does it. */
import { refuseUnconfirmedSkip } from '../../bake/skip.js';
import { runDeploy } from '../../deploy/deploy.js';
import { BadInputError, type ExitCodeValue } from '../../errors.js';
import { releaseJournal } from '../../releases/journal.js';
import { parseDuration } from '../duration.js';
import { checkDigestFlag } from '../flags.js';
import { confirmProtectedFleet, fleetResult, prepareFleet, type FleetOptions } from '../fleet.js';
import { releaseStore, whoIsDeploying } from '../history.js';
import type { CliIo } from '../io.js';
import type { CliDependencies } from '../session.js';
import type { DeployOptions } from './deploy.js';

export type FleetDeployOptions = Omit<DeployOptions, 'file'> & FleetOptions;

export async function fleetDeployCommand(options: FleetDeployOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  if (!options.imageTag && !options.imageDigest) {
    throw new BadInputError({ path: '--image-tag', message: 'which image should be deployed?', hint: 'pass --image-tag TAG (or --image-digest sha256:…); every selected service deploys it' });
  }
  checkDigestFlag(options.imageDigest);
  const timeoutMs = options.timeout ? parseDuration(options.timeout, '--timeout') : undefined;
  const who = whoIsDeploying(io, options);
  const { by, commit, buildUrl } = who();
  const fleet = await prepareFleet(options, io, deps, { rendering: { verb: 'Deploying', order: 'as-they-end' }, offlineChecks: true });
  try {
    // --no-bake on a protected environment needs an explicit --yes, as for one service (the prompt below is not enough).
    for (const member of fleet.members) refuseUnconfirmedSkip({ target: member.target, noBake: options.bake === false, yes: options.yes });
    await confirmProtectedFleet(fleet.members, options, io, deps, `Deploy ${options.imageTag ?? options.imageDigest}`);
    const summary = await fleet.run(async (member, output) => {
      const session = await fleet.session(member, output, { by, commit, buildUrl });
      const outcome = await session.run(() =>
        runDeploy(session.ctx, {
          target: session.target,
          image: { tag: options.imageTag, digest: options.imageDigest, verifyTag: Boolean(options.imageTag && options.imageDigest) },
          // Confirmed once for the whole fleet above (or --yes).
          yes: true,
          waitCleanup: options.waitCleanup,
          timeoutMs,
          noWaitBusy: options.waitBusy === false,
          allowSharedChange: options.allowSharedChange,
          noBake: options.bake === false,
          journal: releaseJournal(releaseStore(session), session.target, who, session.reporter),
        }),
      );
      return outcome.kind;
    });
    return fleetResult(summary);
  } finally {
    fleet.close();
  }
}

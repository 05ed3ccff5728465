/** `shipper deploy` over many services (`-f` repeated, `--all`): one deploy per service, as `deploy` does it. */
import { refuseUnconfirmedSkip } from '../../bake/skip.js';
import { runDeploy } from '../../deploy/deploy.js';
import type { ExitCodeValue } from '../../errors.js';
import { confirmProtectedFleet, fleetResult, prepareFleet, type FleetOptions } from '../fleet.js';
import type { CliIo } from '../io.js';
import type { CliDependencies } from '../session.js';
import { deployInputs, deployRequest, type DeployOptions } from './deploy.js';

export type FleetDeployOptions = Omit<DeployOptions, 'file'> & FleetOptions;

export async function fleetDeployCommand(options: FleetDeployOptions, io: CliIo, deps: CliDependencies): Promise<ExitCodeValue> {
  const inputs = deployInputs(options, io, '; every selected service deploys it');
  const { by, commit, buildUrl } = inputs;
  const fleet = await prepareFleet(options, io, deps, { rendering: { verb: 'Deploying', order: 'as-they-end' }, offlineChecks: true });
  try {
    // --no-bake on a protected environment needs an explicit --yes, as for one service (the prompt below is not enough).
    for (const member of fleet.members) refuseUnconfirmedSkip({ target: member.target, noBake: options.bake === false, yes: options.yes });
    await confirmProtectedFleet(fleet.members, options, io, deps, `Deploy ${options.imageTag ?? options.imageDigest}`);
    const summary = await fleet.run(async (member, output) => {
      const session = await fleet.session(member, output, { by, commit, buildUrl });
      const outcome = await session.run(() =>
        // Confirmed once for the whole fleet above (or --yes).
        runDeploy(session.ctx, deployRequest(options, session, inputs, true)),
      );
      return outcome.kind;
    });
    return fleetResult(summary);
  } finally {
    fleet.close();
  }
}

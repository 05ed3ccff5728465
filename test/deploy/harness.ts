/**
 * A simulated account with the bundled example deployed (or not), and the real CLI running
 * against it in-process on the simulated clock.
 */
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { composeStack } from '../../src/compose/stack.js';
import type { CliDependencies } from '../../src/cli/session.js';
import { SimCloud, type SimCloudOptions } from '../sim/cloud.js';
import { SimPublicRegistry } from '../sim/registry.js';
import { cli, type CliRun } from '../helpers/cli.js';
import { exampleDescriptor, exampleDir } from '../helpers/paths.js';

export const DIGEST_V1 = `sha256:${'1'.repeat(64)}`;
export const DIGEST_V2 = `sha256:${'2'.repeat(64)}`;
export const DIGEST_V3 = `sha256:${'3'.repeat(64)}`;
export const STACK = 'hello-test';

export interface World {
  cloud: SimCloud;
  /** The registries of the sidecar images (every tag the example's sidecars name). */
  registry: SimPublicRegistry;
  /** The serving group's name when the stack was seeded. */
  oldGroup?: string;
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; deps?: Partial<CliDependencies>; isTTY?: boolean }): Promise<CliRun>;
}

export interface WorldOptions {
  /** Seed hello-test as a successful deploy of v1 left it. */
  live?: boolean;
  liveDesiredCapacity?: number;
  descriptor?: string;
  env?: string;
  /** More options for the simulated account (throttling, say). */
  sim?: SimCloudOptions;
}

export function world(opts: WorldOptions = {}): World {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z', ...opts.sim });
  cloud.ecr.addImage('hello', 'v1', DIGEST_V1).addImage('hello', 'v2', DIGEST_V2).addImage('hello', 'v3', DIGEST_V3);
  let oldGroup: string | undefined;
  const registry = SimPublicRegistry.serving(loadServiceEnvironment({ file: opts.descriptor ?? exampleDescriptor, env: opts.env ?? 'test' }).service);
  if (opts.live) {
    const target = loadServiceEnvironment({ file: opts.descriptor ?? exampleDescriptor, env: opts.env ?? 'test' });
    const template = composeStack(target, { imageTag: 'v1', imageDigest: DIGEST_V1, sidecarImages: registry.pinnedFor(target.service) });
    const seeded = cloud.seedStack({
      stackName: target.stackName,
      templateBody: JSON.stringify(template),
      parameters: { ImageTag: 'v1', ImageDigest: DIGEST_V1, DesiredCapacity: String(target.service.capacity.desired) },
      tags: { 'shipper:service': 'hello', 'shipper:environment': target.env, 'shipper:managed-by': 'shipper' },
      status: 'CREATE_COMPLETE',
      liveDesiredCapacity: opts.liveDesiredCapacity,
      idleSecondsAfter: 3600,
    });
    oldGroup = seeded.groupName;
  }
  return {
    cloud,
    registry,
    oldGroup,
    run: (args, o = {}) =>
      cli(args, {
        cwd: o.cwd ?? exampleDir,
        env: o.env ?? { PATH: process.env.PATH, USER: 'alice' },
        deps: { clients: async () => cloud.clients(), clock: cloud.clock, exitNow: () => undefined, registryFetch: registry.fetch, lint: lintPasses, ...o.deps },
        isTTY: o.isTTY,
      }),
  };
}

/**
 * cfn-lint takes seconds per template; simulated deploys are about what happens after the
 * offline checks, so they skip it. Tests of the offline checks pass `lint: undefined` to run
 * the installed cfn-lint, as the CLI does.
 */
const lintPasses: CliDependencies['lint'] = async () => ({ available: true, findings: [] });

/** Changes made to a group after the test set it up (by CloudFormation: shipper has no way to). */
export function touchesOf(cloud: SimCloud, group: string | undefined) {
  return group ? cloud.groupMutations(group).filter((m) => m.by !== 'setup') : [];
}

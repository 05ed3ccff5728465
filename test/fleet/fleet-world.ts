/**
 * Several services in one simulated account: copies of the bundled example under their own
 * names (own repository, stack, listener rule and host name), each in its own directory of one
 * workspace, optionally seeded live with v1; and the real CLI running against it in-process.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { composeStack } from '../../src/compose/stack.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import type { CliDependencies } from '../../src/cli/session.js';
import { SimCloud } from '../sim/cloud.js';
import { SimPublicRegistry } from '../sim/registry.js';
import { cli, type CliRun } from '../helpers/cli.js';
import { exampleDir } from '../helpers/paths.js';
import { DIGEST_V1, DIGEST_V2, DIGEST_V3 } from '../deploy/harness.js';

export interface FleetWorld {
  cloud: SimCloud;
  /** The workspace directory: one sub-directory per service, and shipper.workspace.yml listing them. */
  root: string;
  /** Each service's descriptor, by name. */
  descriptors: Record<string, string>;
  /** Each service's serving group when it was seeded live. */
  oldGroups: Record<string, string>;
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; deps?: Partial<CliDependencies>; isTTY?: boolean }): Promise<CliRun>;
}

/** The example as service `name`: its own repository, stack, listener rule priority and host name. */
export function exampleAs(name: string, index: number): string {
  return readFileSync(path.join(exampleDir, 'shipper.yml'), 'utf8')
    .replace(/^service: hello$/m, `service: ${name}`)
    .replace(/^ {2}repository: hello$/m, `  repository: ${name}`)
    .replace(/priority: 120/g, `priority: ${200 + index}`)
    .replace(/hello\.(test\.)?example\.com/g, `${name}.$1example.com`);
}

export function fleetWorld(names: string[], opts: { live?: boolean; workspace?: boolean } = {}): FleetWorld {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z' });
  const root = mkdtempSync(path.join(tmpdir(), 'shipper-fleet-'));
  const descriptors: Record<string, string> = {};
  const oldGroups: Record<string, string> = {};
  names.forEach((name, i) => {
    const dir = path.join(root, 'services', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'shipper.yml'), exampleAs(name, i));
    writeFileSync(path.join(dir, 'cloudformation.yml'), readFileSync(path.join(exampleDir, 'cloudformation.yml'), 'utf8'));
    descriptors[name] = path.join(dir, 'shipper.yml');
    cloud.ecr.addImage(name, 'v1', DIGEST_V1).addImage(name, 'v2', DIGEST_V2).addImage(name, 'v3', DIGEST_V3);
  });
  if (opts.workspace ?? true) writeFileSync(path.join(root, 'shipper.workspace.yml'), `services:\n${names.map((n) => `  - services/${n}\n`).join('')}`);
  const targets = names.map((name) => loadServiceEnvironment({ file: descriptors[name], env: 'test' }));
  const registry = SimPublicRegistry.serving(...targets.map((t) => t.service));
  if (opts.live) {
    for (const target of targets) {
      const seeded = cloud.seedStack({
        stackName: target.stackName,
        templateBody: JSON.stringify(composeStack(target, { imageTag: 'v1', imageDigest: DIGEST_V1, sidecarImages: registry.pinnedFor(target.service) })),
        parameters: { ImageTag: 'v1', ImageDigest: DIGEST_V1, DesiredCapacity: String(target.service.capacity.desired) },
        tags: { 'shipper:service': target.service.service, 'shipper:environment': 'test', 'shipper:managed-by': 'shipper' },
        status: 'CREATE_COMPLETE',
        idleSecondsAfter: 3600,
      });
      oldGroups[target.service.service] = seeded.groupName!;
    }
  }
  return {
    cloud,
    root,
    descriptors,
    oldGroups,
    run: (args, o = {}) =>
      cli(args, {
        cwd: o.cwd ?? root,
        env: o.env ?? { PATH: process.env.PATH, USER: 'alice' },
        deps: { clients: async () => cloud.clients(), clock: cloud.clock, exitNow: () => undefined, registryFetch: registry.fetch, lint: async () => ({ available: true, findings: [] }), ...o.deps },
        isTTY: o.isTTY,
      }),
  };
}

/** `-f` for each named service. */
export function filesOf(w: FleetWorld, ...names: string[]): string[] {
  return names.flatMap((n) => ['-f', w.descriptors[n]!]);
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'shipper-fleet-'));
}

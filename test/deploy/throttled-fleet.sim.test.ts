/**
 * Deploys in an account that throttles (test/sim/throttle-rates.ts): several services at once
 * from one process, on shared clients and one pacer, all go live; and a single deploy makes
 * exactly the calls it made before any pacing existed.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AdaptivePacer } from '../../src/aws/pacer.js';
import { composeStack } from '../../src/compose/stack.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { exampleDir } from '../helpers/paths.js';
import { SimCloud } from '../sim/cloud.js';
import { SimPublicRegistry } from '../sim/registry.js';
import type { ThrottleRate } from '../sim/throttle-rates.js';
import { DIGEST_V1, DIGEST_V2, world } from './harness.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** `count` copies of the example, each its own service and stack, live on v1 in one account. */
function fleet(count: number, throttle: Record<string, ThrottleRate>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'shipper-fleet-'));
  dirs.push(dir);
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z', throttle, concurrent: true });
  cloud.ecr.addImage('hello', 'v1', DIGEST_V1).addImage('hello', 'v2', DIGEST_V2);
  const descriptor = readFileSync(path.join(exampleDir, 'shipper.yml'), 'utf8');
  const services = Array.from({ length: count }, (_, i) => {
    const name = `svc-${i + 1}`;
    const serviceDir = path.join(dir, name);
    cpSync(exampleDir, serviceDir, { recursive: true });
    writeFileSync(path.join(serviceDir, 'shipper.yml'), descriptor.replace(/^service: hello$/m, `service: ${name}`).replace(/priority: 120/, `priority: ${200 + i}`));
    return { name, dir: serviceDir, target: loadServiceEnvironment({ file: path.join(serviceDir, 'shipper.yml'), env: 'test' }) };
  });
  const registry = SimPublicRegistry.serving(services[0]!.target.service);
  for (const { target } of services) {
    cloud.seedStack({
      stackName: target.stackName,
      templateBody: JSON.stringify(composeStack(target, { imageTag: 'v1', imageDigest: DIGEST_V1, sidecarImages: registry.pinnedFor(target.service) })),
      parameters: { ImageTag: 'v1', ImageDigest: DIGEST_V1, DesiredCapacity: String(target.service.capacity.desired) },
      status: 'CREATE_COMPLETE',
      idleSecondsAfter: 3600,
    });
  }
  return { cloud, registry, services };
}

/** Far below AWS's rates: one call a second per CloudFormation action, two a second for all of Auto Scaling. */
const HEAVY: Record<string, ThrottleRate> = Object.fromEntries([
  ...['describeStacks', 'describeStackEvents', 'describeStackResources', 'createChangeSet', 'describeChangeSet', 'executeChangeSet', 'deleteChangeSet'].map((m) => [
    `cloudFormation.${m}`,
    { bucket: m, size: 1, refillPerSecond: 1 },
  ]),
  ['autoScaling.describeAutoScalingGroups', { bucket: 'autoscaling', size: 2, refillPerSecond: 2 }],
  ['autoScaling.describeScalingActivities', { bucket: 'autoscaling', size: 2, refillPerSecond: 2 }],
]);

describe('deploys in a throttling account', () => {
  it('six services deploying at once on shared clients and one pacer all go live, none failed by throttling', async () => {
    const { cloud, registry, services } = fleet(6, HEAVY);
    const clients = cloud.clients();
    const pacer = new AdaptivePacer(cloud.clock);
    const runs = await Promise.all(
      services.map((s) =>
        cli(['deploy', '--env', 'test', '--image-tag', 'v2'], {
          cwd: s.dir,
          env: { PATH: process.env.PATH, USER: 'alice' },
          deps: { clients: async () => clients, clock: cloud.clock, exitNow: () => undefined, registryFetch: registry.fetch, lint: async () => ({ available: true, findings: [] }), pacer },
        }),
      ),
    );
    for (const run of runs) {
      expect(run.stderr).not.toMatch(/Rate exceeded|Throttling/);
      expect(run.code).toBe(ExitCode.ok);
      expect(run.stdout).toMatch(/is live after/);
    }
    // AWS did throttle them, hard, and the pacer learnt from it.
    expect(cloud.throttle!.throttled).toBeGreaterThan(20);
    expect(pacer.throttles).toBe(cloud.throttle!.throttled);
    expect(pacer.rateOf('cloudFormation.describeStacks')).toBeLessThan(Infinity);
  });

  it('a single deploy at AWS’s rates is never throttled and makes the same calls as without a pacer', async () => {
    const paced = world({ live: true, sim: { throttle: true } });
    expect((await paced.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
    expect(paced.cloud.throttle!.throttled).toBe(0);
    const bare = world({ live: true, sim: { throttle: true } });
    const noPacing = { take: async () => undefined, settle: () => undefined };
    expect((await bare.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { deps: { pacer: noPacing } })).code).toBe(ExitCode.ok);
    expect(paced.cloud.calls.snapshot()).toEqual(bare.cloud.calls.snapshot());
    expect(paced.cloud.clock.nowMs()).toBe(bare.cloud.clock.nowMs());
    // The call log of one deploy of the example before the pacer existed (npm run bench:timeline).
    expect(paced.cloud.calls.snapshot()).toEqual({
      'autoScaling.describeAutoScalingGroups': 20,
      'autoScaling.describeScalingActivities': 9,
      'cloudFormation.createChangeSet': 1,
      'cloudFormation.describeChangeSet': 4,
      'cloudFormation.describeStackEvents': 74,
      'cloudFormation.describeStackResources': 1,
      'cloudFormation.describeStacks': 25,
      'cloudFormation.executeChangeSet': 1,
      'ecr.describeImages': 1,
      'ssm.putParameter': 2,
      'sts.getCallerIdentity': 1,
    });
  });
});

/**
 * Worlds with a release history made the way users make one: real `shipper deploy` runs against
 * the simulated cloud, and what `releases --json` and the stack say afterwards.
 */
import { expect } from '@jest/globals';
import type { Release } from '../../src/releases/record.js';
import { ExitCode } from '../../src/errors.js';
import { STACK, world, type World } from '../deploy/harness.js';

/** v1 created the stack, v2 went live, v3 signalled FAILURE and rolled back: v2 is live. */
export async function threeReleases(): Promise<World> {
  const w = world();
  expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v1'])).code).toBe(ExitCode.ok);
  expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
  w.cloud.scriptInstances([
    { signal: 'FAILURE', afterSeconds: 200 },
    { signal: 'SUCCESS', afterSeconds: 210 },
  ]);
  expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v3'])).code).toBe(ExitCode.deployRolledBack);
  return w;
}

export interface ReleasesJson {
  stackName: string;
  live: number | null;
  releases: Release[];
  unreadable: string[];
}

export async function releasesJson(w: World): Promise<ReleasesJson> {
  const run = await w.run(['releases', '--env', 'test', '--json']);
  expect(run.code).toBe(ExitCode.ok);
  return JSON.parse(run.stdout) as ReleasesJson;
}

export async function stackParameter(w: World, key: string): Promise<string | undefined> {
  const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!;
  return stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
}

/** Writes a version of one of the history parameters as someone other than shipper would. */
export async function writeHistoryVersion(w: World, which: 'releases' | 'outcomes', value: string): Promise<number> {
  const out = await w.cloud.ssm.putParameter({ Name: `/shipper/hello/test/${which}`, Value: value, Type: 'String', Overwrite: true });
  return out.Version!;
}

/**
 * `shipper status` in the simulated cloud: the stack, the live release, the group and its
 * instances, an operation in progress (and how to follow it), and cleanup leftovers, as plain
 * text, coloured for a terminal, and JSON.
 */
import { describe, expect, it } from '@jest/globals';
import type { Clock } from '../../src/aws/api.js';
import { ExitCode } from '../../src/errors.js';
import type { StatusView } from '../../src/status/gather.js';
import type { CliRun } from '../helpers/cli.js';
import { STACK, world, type World } from '../deploy/harness.js';

const TERMINAL_ENV = { PATH: process.env.PATH, USER: 'alice', TERM: 'xterm-256color' };
const INSTANCE_ROW = /^\s+i-[0-9a-f]{17}\s+InService\s+Healthy\s+launch template v2\s+eu-west-1[ab]$/;

const status = (w: World, ...flags: string[]) => w.run(['status', '--env', 'test', ...flags]);
const statusJson = async (w: World) => JSON.parse((await status(w, '--json')).stdout) as StatusView & { lastUpdated: string };

/** v1 seeded, v2 deployed by shipper, cleanup finished: release #1 is live. */
async function afterOneDeploy(): Promise<World> {
  const w = world({ live: true });
  expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
  w.cloud.clock.runUntilIdle();
  return w;
}

describe('shipper status of a live service', () => {
  it('plain: the stack, the live release, the group and each instance with lifecycle, health and launch template version', async () => {
    const w = await afterOneDeploy();
    const run = await status(w);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toMatch(/\u001b/);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^hello-test {2}UPDATE_COMPLETE \(updated .* ago, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)$/);
    expect(lines[1]).toMatch(/^Live release: #1 v2 2{12}, deployed .* ago \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\) by alice/);
    expect(lines[2]).toMatch(/^Group: hello-test-AutoScalingGroup-\w+ {2}desired 2 \(min 1, max 4\), launch template v2$/);
    expect(lines.slice(3)).toHaveLength(2);
    for (const row of lines.slice(3)) expect(row).toMatch(INSTANCE_ROW);
    expect(run.stdout).not.toMatch(/in progress|Cleanup left/);
  });

  it('coloured on a terminal, plain again with NO_COLOR or in CI', async () => {
    const w = await afterOneDeploy();
    const tty = await w.run(['status', '--env', 'test'], { isTTY: true, env: TERMINAL_ENV });
    expect(tty.code).toBe(ExitCode.ok);
    expect(tty.stdout).toContain('\u001b[1mhello-test\u001b[22m');
    expect(tty.stdout).toContain('\u001b[32mUPDATE_COMPLETE\u001b[39m');
    expect(tty.stdout).toContain('Live release: \u001b[32m#1\u001b[39m v2');
    expect(tty.stdout.match(/\u001b\[32mInService\u001b\[39m/g)).toHaveLength(2);
    // Without the escapes it says exactly what the plain view says.
    expect(tty.stdout.replace(/\u001b\[\d+m/g, '')).toBe((await status(w)).stdout);

    for (const env of [{ ...TERMINAL_ENV, NO_COLOR: '1' }, { ...TERMINAL_ENV, CI: 'true' }]) {
      expect((await w.run(['status', '--env', 'test'], { isTTY: true, env })).stdout).not.toMatch(/\u001b/);
    }
  });

  it('--json: one document with the same facts', async () => {
    const w = await afterOneDeploy();
    const view = await statusJson(w);
    expect(view).toMatchObject({
      stackName: STACK,
      env: 'test',
      exists: true,
      stackStatus: 'UPDATE_COMPLETE',
      image: { tag: 'v2', digest: `sha256:${'2'.repeat(64)}` },
      live: { number: 1, imageTag: 'v2', outcome: 'live' },
      group: { desired: 2, min: 1, max: 4, launchTemplateVersion: '2' },
      leftovers: [],
      warnings: [],
    });
    expect(view.inProgress).toBeUndefined();
    expect(view.group!.instances).toHaveLength(2);
    for (const i of view.group!.instances) expect(i).toMatchObject({ lifecycleState: 'InService', healthStatus: 'Healthy', launchTemplateVersion: '2' });
    expect(Number.isNaN(Date.parse(view.lastUpdated))).toBe(false);
  });
});

describe('shipper status while a deploy is running', () => {
  /**
   * Runs `shipper deploy --image-tag v2` and, once the new group's instances are in service but
   * have not signalled yet, `shipper status` as a second terminal would (the deploy waits).
   */
  async function statusDuringDeploy(): Promise<{ plain: CliRun; json: CliRun; deploy: CliRun }> {
    const w = world({ live: true });
    let during: Promise<[CliRun, CliRun]> | undefined;
    const newGroupInService = () =>
      [...w.cloud.autoScaling.groups.values()].some((g) => g.name !== w.oldGroup && g.instances.length > 0 && g.instances.every((i) => i.LifecycleState === 'InService'));
    const clock: Clock = {
      now: () => w.cloud.clock.now(),
      async sleep(ms, signal) {
        if (!during && newGroupInService()) during = Promise.all([status(w), status(w, '--json')]);
        if (during) await during;
        return w.cloud.clock.sleep(ms, signal);
      },
    };
    const deploy = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { deps: { clock } });
    expect(during).toBeDefined();
    const [plain, json] = await during!;
    return { plain, json, deploy };
  }

  it('says an operation is in progress and how to follow it, with the new instances', async () => {
    const { plain, json, deploy } = await statusDuringDeploy();
    expect(deploy.code).toBe(ExitCode.ok);
    expect(plain.code).toBe(ExitCode.ok);
    expect(plain.stdout).toMatch(/^hello-test {2}UPDATE_IN_PROGRESS /);
    expect(plain.stdout).toContain('An operation is in progress (UPDATE_IN_PROGRESS). Follow it with: shipper watch --env test');
    // The stack already names v2, but v2 is not serving until the new group is live.
    expect(plain.stdout).toContain('Deploying: v2 222222222222 (not live yet)');
    expect(plain.stdout).not.toMatch(/Live release: #\d+ v2/);
    expect(plain.stdout.split('\n').filter((l) => INSTANCE_ROW.test(l))).toHaveLength(2);

    const view = JSON.parse(json.stdout) as StatusView;
    expect(view.inProgress).toEqual({ status: 'UPDATE_IN_PROGRESS', attach: 'shipper watch --env test' });
    expect(view.deploying).toEqual({ tag: 'v2', digest: `sha256:${'2'.repeat(64)}` });
    expect(view.stackStatus).toBe('UPDATE_IN_PROGRESS');
  });
});

describe('shipper status after a cleanup that could not delete something', () => {
  it('lists the leftovers with the reason, to delete by hand', async () => {
    const w = world({ live: true });
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'])).code).toBe(ExitCode.ok);
    // The simulated cloud's cleanup always succeeds, so the test writes the event CloudFormation
    // records when deleting the old group fails during UPDATE_COMPLETE_CLEANUP_IN_PROGRESS.
    const reason = 'You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.';
    w.cloud.cloudFormation.findStack(STACK)!.eventFor('AutoScalingGroup', 'AWS::AutoScaling::AutoScalingGroup', w.oldGroup!, 'DELETE_FAILED', reason);

    const run = await status(w);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain('Cleanup left 1 resource(s) behind; delete them by hand:');
    expect(run.stdout).toContain(`  AutoScalingGroup ${w.oldGroup}: ${reason}`);
    expect((await statusJson(w)).leftovers).toEqual([{ logicalId: 'AutoScalingGroup', physicalId: w.oldGroup, reason }]);
  });
});

describe('shipper status before the first deploy', () => {
  it('says the service is not deployed yet and how to deploy it', async () => {
    const run = await status(world());
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe('hello-test: not deployed yet.\nDeploy it with: shipper deploy --env test --image-tag TAG\n');
  });
});

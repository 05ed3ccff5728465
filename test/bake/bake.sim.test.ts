/**
 * A bake from the descriptor to the change set, in the simulated cloud: which alarms preflight
 * finds (a missing declared one refuses the deploy before any change; a default one that does
 * not exist yet guards only the next deploy), the RollbackConfiguration CreateChangeSet carries
 * (an empty one without a bake, so a previous bake never lingers on the stack), --no-bake's rule
 * on protected environments and its record in the release history.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import type { CreateChangeSetCommandInput } from '@aws-sdk/client-cloudformation';
import type { AwsClients } from '../../src/aws/api.js';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir } from '../helpers/paths.js';
import type { SimCloudWatch } from '../sim/alarms.js';
import { touchesOf, world, type World } from '../deploy/harness.js';

const DEFAULT_ALARMS = ['hello-test-bake-target-5xx', 'hello-test-bake-unhealthy-hosts'];

/** The example with this bake (and overlay lines) in its test environment. */
function bakedExample(bake: string, overlay = ''): string {
  return editedExample(exampleDir, (text) => text.replace('  test:\n', `  test:\n    bake: ${bake}\n${overlay}`));
}

interface BakeWorld extends World {
  alarms: SimCloudWatch;
  changeSets: CreateChangeSetCommandInput[];
  deploy(...flags: string[]): ReturnType<World['run']>;
}

function bakeWorld(dir: string | undefined): BakeWorld {
  const w = world({ live: true, ...(dir ? { descriptor: path.join(dir, 'shipper.yml') } : {}) });
  // The account's CloudWatch, the one the simulated CloudFormation's rollback triggers watch too.
  const alarms = w.cloud.cloudWatch;
  const changeSets: CreateChangeSetCommandInput[] = [];
  const clients = async (): Promise<AwsClients> => {
    const sim = w.cloud.clients();
    const createChangeSet = sim.cloudFormation.createChangeSet.bind(sim.cloudFormation);
    sim.cloudFormation.createChangeSet = async (input) => {
      changeSets.push(structuredClone(input));
      return createChangeSet(input);
    };
    return sim;
  };
  const run: World['run'] = (args, o = {}) => w.run(args, { ...o, cwd: o.cwd ?? dir ?? exampleDir, deps: { clients, ...o.deps } });
  return { ...w, run, alarms, changeSets, deploy: (...flags) => run(['deploy', '--env', 'test', '--image-tag', 'v2', ...flags]) };
}

describe('a bake in the change set', () => {
  it('refuses a declared alarm that does not exist, naming it, before any change set (exit 3)', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10, alarms: [hello-latency-p99, "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-errors"]}'));
    w.alarms.put('hello-latency-p99');

    const run = await w.deploy();

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/bake\.alarms: alarm arn:aws:cloudwatch:eu-west-1:123456789012:alarm:hello-errors does not exist in eu-west-1/);
    expect(run.stderr).not.toMatch(/hello-latency-p99/);
    expect(w.changeSets).toEqual([]);
    expect(w.cloud.calls.count('createChangeSet')).toBe(0);
  });

  it('sends the declared alarms as triggers and says the default ones guard only the next deploy when they do not exist yet', async () => {
    const w = bakeWorld(bakedExample('{minutes: 12, alarms: [hello-latency-p99]}'));
    w.alarms.put('hello-latency-p99', { state: 'OK' });

    const run = await w.deploy();

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(w.changeSets.map((c) => c.RollbackConfiguration)).toEqual([
      { MonitoringTimeInMinutes: 12, RollbackTriggers: [{ Arn: w.alarms.arnOf('hello-latency-p99'), Type: 'AWS::CloudWatch::Alarm' }] },
    ]);
    expect(run.stdout).toMatch(/ok\s+bake: 12 min, guarded by hello-latency-p99; hello-test-bake-target-5xx, hello-test-bake-unhealthy-hosts are created by this deploy and guard the next one/);
    expect(run.stdout).toMatch(/Bake: 12 minutes once the new group is in service, with the old group kept; an ALARM from hello-latency-p99 rolls the deploy back\./);
    expect(run.stdout).toMatch(/Not guarding this deploy: hello-test-bake-target-5xx, hello-test-bake-unhealthy-hosts are created by it/);
  });

  it('uses the default alarms as triggers once they exist, composite alarms with their own type', async () => {
    const w = bakeWorld(bakedExample('{alarms: [hello-slo]}'));
    for (const name of DEFAULT_ALARMS) w.alarms.put(name, { state: 'OK' });
    w.alarms.put('hello-slo', { composite: true, state: 'INSUFFICIENT_DATA' });

    const run = await w.deploy();

    expect(run.code).toBe(0);
    expect(w.changeSets[0]?.RollbackConfiguration).toEqual({
      MonitoringTimeInMinutes: 10,
      RollbackTriggers: [
        { Arn: w.alarms.arnOf('hello-slo'), Type: 'AWS::CloudWatch::CompositeAlarm' },
        ...DEFAULT_ALARMS.map((name) => ({ Arn: w.alarms.arnOf(name), Type: 'AWS::CloudWatch::Alarm' })),
      ],
    });
    expect(run.stdout).not.toMatch(/Not guarding/);
  });

  it('refuses to start while a trigger is already in ALARM, pointing at --no-bake for a fix', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10}'));
    w.alarms.put(DEFAULT_ALARMS[0]!, { state: 'ALARM' }).put(DEFAULT_ALARMS[1]!, { state: 'OK' });

    const run = await w.deploy();

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/alarm hello-test-bake-target-5xx is in ALARM now/);
    expect(run.stderr).toMatch(/--no-bake/);
    expect(w.changeSets).toEqual([]);
  });

  it('sends an empty configuration without a bake, so triggers a previous deploy set do not stay on the stack', async () => {
    const w = bakeWorld(undefined);

    const run = await w.deploy();

    expect(run.code).toBe(0);
    expect(w.changeSets.map((c) => c.RollbackConfiguration)).toEqual([{ MonitoringTimeInMinutes: 0, RollbackTriggers: [] }]);
    expect(w.alarms.calls).toEqual([]);
    expect(run.stdout).not.toMatch(/Bake:/);
  });
});

describe('--no-bake', () => {
  it('is refused on a protected environment without --yes, before any AWS call (exit 2)', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10}', '    protected: true\n'));

    const run = await w.deploy('--no-bake');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/environment "test" is protected: skipping its bake needs --yes/);
    expect(w.cloud.calls.total()).toBe(0);
    const rollback = await w.run(['rollback', '--env', 'test', '--no-bake']);
    expect(rollback.code).toBe(2);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('with --yes goes live without triggers or monitoring time, and the history records it as skipped', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10}', '    protected: true\n'));
    for (const name of DEFAULT_ALARMS) w.alarms.put(name, { state: 'ALARM' });

    const run = await w.deploy('--no-bake', '--yes');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(w.changeSets.map((c) => c.RollbackConfiguration)).toEqual([{ MonitoringTimeInMinutes: 0, RollbackTriggers: [] }]);
    expect(run.stdout).toMatch(/bake: skipped \(--no-bake\)/);
    expect(run.stdout).toMatch(/Bake: SKIPPED \(--no-bake\): the old group is deleted as soon as the new one is live/);
    const history = JSON.parse((await w.run(['releases', '--env', 'test', '--json'])).stdout) as { releases: Array<{ bake?: unknown }> };
    expect(history.releases[0]?.bake).toBe('skipped');
    const table = await w.run(['releases', '--env', 'test']);
    expect(table.stdout).toMatch(/BAKE/);
    expect(table.stdout).toMatch(/skipped\s+LIVE/);
  });

  it('records the bake a release ran: its minutes and alarms', async () => {
    const w = bakeWorld(bakedExample('{minutes: 7, alarms: [hello-latency-p99]}'));
    w.alarms.put('hello-latency-p99', { state: 'OK' });

    expect((await w.deploy()).code).toBe(0);

    const history = JSON.parse((await w.run(['releases', '--env', 'test', '--json'])).stdout) as { releases: Array<{ bake?: unknown }> };
    expect(history.releases[0]?.bake).toEqual({ minutes: 7, alarms: ['hello-latency-p99'] });
  });
});

describe('shipper plan with a bake', () => {
  it('says how long the bake is, which alarms guard it and which guard only the next deploy, in text and JSON', async () => {
    const w = bakeWorld(bakedExample('{minutes: 15, alarms: [hello-latency-p99]}'));
    w.alarms.put('hello-latency-p99', { state: 'OK' });

    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Bake: 15 minutes once the new group is in service, with the old group kept; an ALARM from hello-latency-p99 rolls the deploy back\./);
    expect(run.stdout).toMatch(/Not guarding this deploy: hello-test-bake-target-5xx, hello-test-bake-unhealthy-hosts are created by it/);
    const json = JSON.parse((await w.run(['plan', '--env', 'test', '--image-tag', 'v2', '--json'])).stdout) as { bake?: unknown };
    expect(json.bake).toEqual({
      minutes: 15,
      alarms: [{ name: 'hello-latency-p99', origin: 'declared' }],
      notYetGuarding: ['hello-test-bake-target-5xx', 'hello-test-bake-unhealthy-hosts'],
      skipped: false,
    });
    const skipped = await w.run(['plan', '--env', 'test', '--image-tag', 'v2', '--no-bake']);
    expect(skipped.stdout).toMatch(/Bake: SKIPPED \(--no-bake\)/);
  });
});

describe('a bake from the descriptor, end to end', () => {
  const BREACH = 'Threshold Crossed: 2 out of the last 3 datapoints [14.2 (23/11/26 06:37:00), 9.6 (23/11/26 06:36:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).';

  it('the default alarms guard the deploy; live is announced only after the bake, with the old group kept until then', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10}'));
    for (const name of DEFAULT_ALARMS) w.alarms.put(name, { state: 'OK' });
    const start = w.cloud.clock.now().getTime();

    const run = await w.deploy('--wait-cleanup');

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/hello-test-bake-target-5xx/);
    // Ten minutes of bake come on top of the rollout of about four: live only after both.
    expect(w.cloud.clock.now().getTime() - start).toBeGreaterThan(13 * 60_000);
    const oldGroupDeleted = touchesOf(w.cloud, w.oldGroup).find((m) => m.action === 'delete-group-started');
    expect(oldGroupDeleted!.time.getTime() - start).toBeGreaterThan(13 * 60_000);
  });

  it('a default alarm going to ALARM mid-bake rolls back: the alarm and CloudWatch\'s reason are the root cause, the old group serves on untouched', async () => {
    const w = bakeWorld(bakedExample('{minutes: 10}'));
    for (const name of DEFAULT_ALARMS) w.alarms.put(name, { state: 'OK' });
    // The rollout takes about four minutes on the trace's timings; eight minutes in is mid-bake.
    w.alarms.setAlarmStateAfter(8 * 60, { AlarmName: 'hello-test-bake-target-5xx', StateValue: 'ALARM', StateReason: BREACH });

    const run = await w.deploy();

    expect(run.code).toBe(4);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/hello-test-bake-target-5xx/);
    expect(output).toContain(BREACH);
    expect(output).not.toMatch(/is live/);
    expect(output).toMatch(/UPDATE_ROLLBACK_COMPLETE/);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });
});

/**
 * A deploy with a bake, in the simulated cloud: CloudFormation keeps the update open after the
 * new group is in service (old group kept), shipper shows it, goes live only when it ends, and
 * explains a breach as the root cause with the old group untouched.
 */
import { describe, expect, it } from '@jest/globals';
import { DeployRolledBackError, DetachedError, ExitCode } from '../../src/errors.js';
import type { StatusView } from '../../src/status/gather.js';
import type { FailureReport, ShipperEvent } from '../../src/report/events.js';
import { formatFailureReport } from '../../src/report/failure.js';
import { PlainReporter } from '../../src/report/plain.js';
import { touchesOf } from './harness.js';
import { NotifyingReporter } from '../../src/notify/notifier.js';
import type { DeployNote } from '../../src/notify/channel.js';
import { slackPayload } from '../../src/notify/webhook.js';
import { OutcomeRecorder } from '../../src/ci/outcome.js';
import { buildkiteCalls } from '../../src/ci/buildkite.js';
import { RecordingReporter } from '../../src/report/events.js';
import { BREACH_REASON, bakeWorld, deployWithBake, indexOf, timeOf, type BakeRun } from './bake-harness.js';

const ALARM = 'hello-test-target-5xx';
const UNHEALTHY = 'hello-test-unhealthy-hosts';

const of = <T extends ShipperEvent['type']>(run: BakeRun, type: T) => run.reporter.of(type);
const failure = (run: BakeRun): FailureReport => of(run, 'deploy.failed')[0]!.report;

/** What the plain (CI) renderer prints for the run. */
function plain(run: BakeRun): string {
  let out = '';
  const reporter = new PlainReporter({ write: (t: string) => (out += t) }, { buildkite: false, color: false });
  for (const e of run.reporter.events) reporter.emit(e);
  return out;
}

describe('a deploy with a bake', () => {
  it('polls slowly while it bakes and sees the live status at its end as quickly as without a bake', async () => {
    const { w, plan } = bakeWorld(10, [ALARM]);
    const run = await deployWithBake(w, plan);

    expect(run.error).toBeUndefined();
    const bakeStart = timeOf(run, 'bake.started')!.getTime();
    const bakeEnd = of(run, 'bake.started')[0]!.endsAt.getTime();
    // Between the bake's first minute and its last, the events are read every few seconds, not every second.
    const reads = w.cloud.calls.log('describeStackEvents').map((c) => c.atMs).filter((t) => t > bakeStart + 60_000 && t < bakeEnd - 60_000);
    const gaps = reads.slice(1).map((t, i) => t - reads[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4000);
    expect(reads.length).toBeLessThanOrEqual(8 * 60 / 4);
    // Live within a second of CloudFormation ending the bake (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS).
    const cleanup = w.cloud.cloudFormation.findStack('hello-test')!.events.find((e) => e.LogicalResourceId === 'hello-test' && (e.ResourceStatus as string) === 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS')!;
    const liveAt = timeOf(run, 'deploy.live')!.getTime();
    expect(liveAt - cleanup.Timestamp!.getTime()).toBeLessThanOrEqual(1000);
    expect(liveAt).toBeGreaterThanOrEqual(cleanup.Timestamp!.getTime());
  });

  it('bakes with the old group kept, shows each alarm and the time left, and goes live only when the bake ends', async () => {
    const { w, plan } = bakeWorld(10, [ALARM, UNHEALTHY]);
    const run = await deployWithBake(w, plan);

    expect(run.error).toBeUndefined();
    const started = of(run, 'bake.started')[0]!;
    expect(started).toMatchObject({ minutes: 10, alarms: [{ name: ALARM, state: 'OK' }, { name: UNHEALTHY, state: 'OK' }] });
    const progress = of(run, 'bake.progress');
    expect(progress.length).toBeGreaterThanOrEqual(10);
    expect(progress[0]).toMatchObject({ oldGroupName: w.oldGroup, alarms: [{ name: ALARM, state: 'OK' }, { name: UNHEALTHY, state: 'OK' }] });
    expect(progress[0]!.newGroupName).toMatch(/.+/);
    expect(progress[0]!.newGroupName).not.toBe(w.oldGroup);
    const left = progress.map((p) => p.secondsLeft);
    expect(left).toEqual([...left].sort((a, b) => b - a));
    // Live after the bake, never before: the bake ends, then live is announced.
    expect(indexOf(run, 'bake.started')).toBeLessThan(indexOf(run, 'bake.ended'));
    expect(indexOf(run, 'bake.ended')).toBeLessThan(indexOf(run, 'deploy.live'));
    const liveAt = timeOf(run, 'deploy.live')!.getTime();
    expect(liveAt).toBeGreaterThanOrEqual(started.endsAt.getTime());
    expect(liveAt - timeOf(run, 'bake.started')!.getTime()).toBeGreaterThanOrEqual(9 * 60_000);
    // The old group was kept through the bake: CloudFormation deletes it in the cleanup after live.
    const deletion = touchesOf(w.cloud, w.oldGroup).find((m) => m.action === 'delete-group-started');
    expect(deletion === undefined || deletion.time.getTime() >= liveAt).toBe(true);

    const text = plain(run);
    expect(text).toMatch(/Baking for 10m00s: the new group serves, the old group is kept until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(text).toMatch(new RegExp(`Guarded by: ${ALARM} OK, ${UNHEALTHY} OK`));
    expect(text).toMatch(new RegExp(`Baking: \\d+m\\d\\ds left; new group \\S+ serves, old group ${w.oldGroup} kept; ${ALARM} OK`));
    expect(text).toMatch(/Bake of 10m00s ended with no alarm; CloudFormation now deletes the old group\./);
  });

  it('rolls back on a breach mid-bake, with the alarm as root cause and the old group never touched', async () => {
    const { w, plan } = bakeWorld(10, [ALARM, UNHEALTHY]);
    const run = await deployWithBake(w, plan, {
      onEvent: (e) => {
        if (e.type === 'bake.started') w.cloud.cloudWatch.setAlarmStateAfter(180, { AlarmName: ALARM, StateValue: 'ALARM', StateReason: BREACH_REASON });
      },
    });

    expect(run.error).toBeInstanceOf(DeployRolledBackError);
    expect((run.error as Error).message).toContain(`alarm ${ALARM} went to ALARM at`);
    expect(of(run, 'deploy.live')).toEqual([]);
    const report = failure(run);
    expect(report.finalStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(report.bakeBreach).toMatchObject({ kind: 'alarm', alarmName: ALARM, stateReason: BREACH_REASON, during: 'bake' });
    const firedAt = w.cloud.cloudWatch.alarms.get(ALARM)!.updatedAt;
    expect(report.bakeBreach!.firedAt).toEqual(firedAt);
    expect(report.previousReleaseLive).toBe(true);
    expect(report.previousGroupName).toBe(w.oldGroup);
    // The audit log: CloudFormation never changed the old group.
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);

    const screen = formatFailureReport(report).join('\n');
    expect(screen).toContain('Deploy failed and was rolled back. The previous release is still live.');
    expect(screen).toContain(`CloudWatch alarm ${ALARM} went to ALARM during the bake, at ${firedAt.toISOString().slice(0, 10)} ${firedAt.toISOString().slice(11, 19)} UTC.`);
    expect(screen).toContain(BREACH_REASON);
    expect(screen).toContain(`The old group ${w.oldGroup} was kept, never deleted, and serves again.`);
    expect(plain(run)).toMatch(new RegExp(`Alarm ${ALARM} went to ALARM at .* UTC: Threshold Crossed.*transition\\)\\.\n`));
  });

  it('rolls back a breach while the new group is still being created, naming the alarm', async () => {
    const { w, plan } = bakeWorld(10, [ALARM]);
    w.cloud.cloudWatch.setAlarmStateAfter(90, { AlarmName: ALARM, StateValue: 'ALARM', StateReason: BREACH_REASON });
    const run = await deployWithBake(w, plan);

    expect(run.error).toBeInstanceOf(DeployRolledBackError);
    expect(of(run, 'bake.started')).toEqual([]);
    const report = failure(run);
    expect(report.bakeBreach).toMatchObject({ kind: 'alarm', alarmName: ALARM, stateReason: BREACH_REASON, during: 'rollout' });
    expect(report.previousReleaseLive).toBe(true);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
    expect(formatFailureReport(report).join('\n')).toContain(`CloudWatch alarm ${ALARM} went to ALARM while the new group was being created`);
  });

  it('fails on a rollback trigger alarm that does not exist, and says which', async () => {
    const { w, plan } = bakeWorld(10, [ALARM, 'hello-test-never-created'], { existing: [ALARM] });
    const run = await deployWithBake(w, plan);

    expect(run.error).toBeInstanceOf(DeployRolledBackError);
    expect((run.error as Error).message).toContain('rollback trigger alarm hello-test-never-created does not exist');
    const report = failure(run);
    expect(report.bakeBreach).toMatchObject({ kind: 'missing', alarmName: 'hello-test-never-created' });
    expect(report.nextSteps[0]).toMatch(/does not exist \(in this region\), so CloudFormation failed the update\. Create it, or leave it out of bake\.alarms/);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });

  it('explains a breach from CloudFormation\'s reason when the alarms cannot be read', async () => {
    const { w, plan } = bakeWorld(10, [ALARM]);
    const run = await deployWithBake(w, plan, {
      cloudWatch: false,
      onEvent: (e) => {
        if (e.type === 'bake.started') w.cloud.cloudWatch.setAlarmStateAfter(60, { AlarmName: ALARM, StateValue: 'ALARM', StateReason: BREACH_REASON });
      },
    });
    expect(of(run, 'bake.started')[0]!.alarms).toEqual([{ name: ALARM, state: 'unknown' }]);
    expect(failure(run).bakeBreach).toMatchObject({ kind: 'alarm', alarmName: ALARM, during: 'bake' });
  });

  it('Ctrl-C mid-bake cancels the update and rolls back like any other cancel', async () => {
    const { w, plan } = bakeWorld(10, [ALARM]);
    const run = await deployWithBake(w, plan, {
      onEvent: (e, { interrupt }) => {
        if (e.type === 'bake.progress') interrupt.abort('SIGINT');
      },
    });

    expect(run.error).toBeInstanceOf(DeployRolledBackError);
    expect((run.error as Error).message).toMatch(/^deploy cancelled by Ctrl-C and rolled back \(UPDATE_ROLLBACK_COMPLETE\)/);
    expect(of(run, 'operation.cancelling')).toHaveLength(1);
    expect(indexOf(run, 'bake.started')).toBeLessThan(indexOf(run, 'operation.cancelling'));
    const report = failure(run);
    expect(report.cancelled).toEqual({ by: 'signal', signal: 'SIGINT' });
    expect(report.bakeBreach).toBeUndefined();
    expect(report.previousReleaseLive).toBe(true);
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
    expect(of(run, 'deploy.live')).toEqual([]);
  });

  it('--timeout bounds the time to get in service, not the declared bake on top of it', async () => {
    const { w, plan } = bakeWorld(30, [ALARM]);
    const run = await deployWithBake(w, plan, { timeoutMs: 10 * 60_000 });
    expect(run.error).toBeUndefined();
    expect(of(run, 'operation.cancelling')).toEqual([]);
    expect(indexOf(run, 'bake.ended')).toBeLessThan(indexOf(run, 'deploy.live'));

    // Without a group in service by then, it still cancels.
    const slow = bakeWorld(30, [ALARM]);
    const late = await deployWithBake(slow.w, slow.plan, { timeoutMs: 2 * 60_000 });
    expect(of(late, 'operation.cancelling')).toHaveLength(1);
    expect(of(late, 'bake.started')).toEqual([]);
  });

  it('shipper status shows a bake in progress: the time left, the old group kept and each alarm', async () => {
    const { w, plan } = bakeWorld(10, [ALARM, UNHEALTHY]);
    // The deploying CLI stops following at the bake's first progress; CloudFormation bakes on.
    const run = await deployWithBake(w, plan, {
      onEvent: (e, { detach }) => {
        if (e.type === 'bake.progress') detach.abort();
      },
    });
    expect(run.error).toBeInstanceOf(DetachedError);
    w.cloud.cloudWatch.setAlarmState({ AlarmName: UNHEALTHY, StateValue: 'INSUFFICIENT_DATA', StateReason: 'Insufficient Data: 1 datapoint was unknown.' });

    const status = await w.run(['status', '--env', 'test']);
    expect(status.code).toBe(ExitCode.ok);
    expect(status.stdout).toMatch(/An operation is in progress \(UPDATE_IN_PROGRESS\)/);
    expect(status.stdout).toMatch(new RegExp(`Baking: 9m\\d\\ds left of 10m00s \\(ends \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\); the new group serves, old group ${w.oldGroup} kept\\.`));
    expect(status.stdout).toContain(`Alarms: ${ALARM} OK, ${UNHEALTHY} INSUFFICIENT_DATA`);
    const json = JSON.parse((await w.run(['status', '--env', 'test', '--json'])).stdout) as StatusView;
    expect(json.bake).toMatchObject({ minutes: 10, oldGroupName: w.oldGroup, alarms: [{ name: ALARM, state: 'OK' }, { name: UNHEALTHY, state: 'INSUFFICIENT_DATA' }] });

    // `shipper watch` re-attaches to the bake as the stack remembers it, and sees it go live at its end.
    const watch = await w.run(['watch', '--env', 'test']);
    expect(watch.code).toBe(ExitCode.ok);
    expect(watch.stdout).toMatch(new RegExp(`Baking: \\d+m\\d\\ds left; new group \\S+ serves, old group ${w.oldGroup} kept; ${ALARM} OK, ${UNHEALTHY} INSUFFICIENT_DATA`));
    expect(watch.stdout).toContain('Bake of 10m00s ended with no alarm');
    expect(watch.stdout.indexOf('Bake of 10m00s ended with no alarm')).toBeLessThan(watch.stdout.search(/hello-test is live/));
    expect(watch.stdout).toMatch(/hello-test is live/);
    // Once the bake is over, status says nothing of it.
    w.cloud.clock.runUntilIdle();
    expect((await w.run(['status', '--env', 'test'])).stdout).not.toMatch(/Baking/);
  });

  it('tells notifications it is baking, then live; a breach is the failed note\'s root cause; Buildkite annotations say both', async () => {
    const notes = async (run: BakeRun) => {
      const sent: DeployNote[] = [];
      const notifier = new NotifyingReporter(new RecordingReporter(), [{ label: 'hook', wants: () => true, send: async (n) => void sent.push(n) }], { service: 'hello', environment: 'test' });
      for (const e of run.reporter.events) notifier.emit(e);
      await notifier.flush();
      return sent;
    };
    const annotation = (run: BakeRun, failure?: { exitCode: number; message: string }) => {
      const recorder = new OutcomeRecorder(new RecordingReporter());
      for (const e of run.reporter.events) recorder.emit(e);
      return buildkiteCalls({ service: 'hello', env: 'test' }, recorder.outcome(failure))[0]!.stdin!;
    };

    const clean = bakeWorld(10, [ALARM]);
    const baked = await deployWithBake(clean.w, clean.plan);
    const cleanNotes = await notes(baked);
    expect(cleanNotes.map((n) => n.kind)).toEqual(['started', 'baking', 'live']);
    expect(cleanNotes[1]!.bake).toMatchObject({ minutes: 10, alarms: [ALARM] });
    expect(slackPayload(cleanNotes[1]!).text).toContain(`is baking in test (hello-test) for 10 min, guarded by ${ALARM}; the old group is kept until it ends`);
    expect(annotation(baked)).toContain(`Baked 10 min with the old group kept, guarded by \`${ALARM}\`: no alarm fired.`);

    const breached = bakeWorld(10, [ALARM]);
    const broken = await deployWithBake(breached.w, breached.plan, {
      onEvent: (e) => {
        if (e.type === 'bake.started') breached.w.cloud.cloudWatch.setAlarmStateAfter(60, { AlarmName: ALARM, StateValue: 'ALARM', StateReason: BREACH_REASON });
      },
    });
    const brokenNotes = await notes(broken);
    expect(brokenNotes.map((n) => n.kind)).toEqual(['started', 'baking', 'failed']);
    expect(brokenNotes[2]!.rootCause).toMatch(new RegExp(`^alarm ${ALARM} went to ALARM at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: Threshold Crossed`));
    expect(brokenNotes[2]!.stillServing).toBeDefined();
    const markdown = annotation(broken, { exitCode: 4, message: (broken.error as Error).message });
    expect(markdown).toContain(`CloudWatch alarm \`${ALARM}\` went to \`ALARM\` at `);
    expect(markdown).toContain(BREACH_REASON);
    expect(markdown).toContain('was kept, never deleted, and serves again.');
  });
});

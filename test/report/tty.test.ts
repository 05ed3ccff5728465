import { describe, expect, it } from '@jest/globals';
import type { ShipperEvent } from '../../src/report/events.js';
import { createReporter } from '../../src/report/factory.js';
import { TtyReporter } from '../../src/report/tty.js';
import { CapturingStream, TerminalStream, at, failedDeploy, successfulDeploy } from './scenarios.js';

function render(events: ShipperEvent[], color: boolean): CapturingStream {
  const out = new CapturingStream({ isTTY: true });
  const reporter = new TtyReporter(out, { color, spinner: false });
  for (const e of events) reporter.emit(e);
  reporter.close();
  return out;
}

const GREEN = '\u001b[32m';
const RED = '\u001b[31m';
const YELLOW = '\u001b[33m';

describe('TtyReporter with the spinner disabled', () => {
  it('colours statuses: green when complete, yellow in progress, red failed or rolling back', () => {
    const ok = render(successfulDeploy(), true).text;
    expect(ok).toContain(`${GREEN}UPDATE_COMPLETE\u001b[39m`);
    expect(ok).toContain(`${YELLOW}UPDATE_IN_PROGRESS`);
    expect(ok).toContain(`${GREEN}UPDATE_COMPLETE_CLEANUP_IN_PROGRESS`);
    const failed = render(failedDeploy(), true).text;
    expect(failed).toContain(`${RED}UPDATE_FAILED`);
    expect(failed).toContain(`${RED}UPDATE_ROLLBACK_IN_PROGRESS`);
    expect(failed).toContain(`${RED}UPDATE_ROLLBACK_COMPLETE\u001b[39m`);
  });

  it('writes no escape sequences at all when colour is off (NO_COLOR)', async () => {
    expect(render(failedDeploy(), false).text).not.toContain('\u001b');
    // The same through the factory, as the CLI builds it on a terminal with NO_COLOR set.
    const out = new CapturingStream({ isTTY: true });
    // (A stream without cursor control gets no animation: nothing but text is written.)
    const reporter = await createReporter({ json: false, stream: out, isTTY: true, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(reporter).toBeInstanceOf(TtyReporter);
    for (const e of successfulDeploy()) reporter.emit(e);
    reporter.close();
    expect(out.text).toContain('UPDATE_COMPLETE');
    expect(out.text).not.toContain('\u001b');
  });

  it('prints progress changes once each, and the live summary', () => {
    const lines = render(successfulDeploy(), false).lines;
    expect(lines.filter((l) => l.includes('  new group  '))).toHaveLength(3);
    expect(lines).toContain('✔ charge-central-test is live after 3m56s.');
  });

  it('ends a failed deploy with the one-screen failure report', () => {
    const text = render(failedDeploy(), false).text;
    expect(text).toContain('✖ Deploy failed');
    expect(text).toContain('Deploy failed and was rolled back. The previous release is still live.');
    expect(text).toContain('Received 1 FAILURE signal(s) out of 2.');
  });
});

/** What the stream received while `act` ran. */
function writtenDuring(stream: CapturingStream, act: () => void): string {
  const before = stream.chunks.length;
  act();
  return stream.chunks.slice(before).join('');
}

describe('TtyReporter with the spinner on a terminal', () => {
  it('prints events above the live line and redraws it with phase, elapsed, signals and instances', () => {
    const out = new TerminalStream();
    let now = at('06:25:38');
    const reporter = new TtyReporter(out, { color: false, spinner: true, now: () => now });
    try {
      reporter.emit({ type: 'operation.started', stackName: 's', operation: 'UPDATE', startedAt: at('06:25:38') });
      reporter.emit({ type: 'phase', phase: 'rollout', title: 'Rolling out the new group' });
      now = at('06:27:00');
      reporter.emit({
        type: 'group.progress',
        groupName: 'g',
        instances: [
          { instanceId: 'i-1', lifecycleState: 'InService' },
          { instanceId: 'i-2', lifecycleState: 'Pending' },
        ],
        signalsReceived: 1,
        signalsExpected: 2,
        elapsedSeconds: 82,
      });
      const before = out.chunks.length;
      reporter.emit({
        type: 'stack.event',
        eventId: 'e1',
        timestamp: at('06:27:01'),
        elapsedSeconds: 83,
        logicalId: 'autoScalingGroup',
        resourceType: 'AWS::AutoScaling::AutoScalingGroup',
        status: 'UPDATE_IN_PROGRESS',
        reason: 'Received SUCCESS signal with UniqueId i-1',
        isStack: false,
      });
      const after = out.chunks.slice(before).join('');
      const lineAt = after.indexOf('Received SUCCESS signal');
      const frameAt = after.lastIndexOf('Rolling out the new group 1m23s · signals 1/2; instances 1 Pending, 1 InService');
      expect(lineAt).toBeGreaterThan(-1);
      // The spinner line is erased before the event line and drawn again after it.
      expect(after.slice(0, lineAt)).toContain('\u001b[');
      expect(frameAt).toBeGreaterThan(lineAt);
      // Between events the elapsed time keeps ticking from the last one reported.
      now = at('06:27:10');
      expect(writtenDuring(out, () => reporter.emit({ type: 'info', message: 'still going' }))).toContain('1m33s · signals 1/2');
    } finally {
      reporter.close();
    }
    // Closing stops the animation and gives the cursor back.
    expect(out.text.endsWith('\u001b[?25h')).toBe(true);
  });

  it('leaves a final live line in place of the spinner', () => {
    const out = new TerminalStream();
    const reporter = new TtyReporter(out, { color: false, spinner: true });
    try {
      reporter.emit({ type: 'phase', phase: 'rollout', title: 'Rolling out' });
      reporter.emit({ type: 'deploy.live', stackName: 's', elapsedSeconds: 59, outputs: {}, cleanup: 'none' });
      expect(out.text).toContain('✔ s is live after 59s.\n');
    } finally {
      reporter.close();
    }
  });
});

describe('TtyReporter around a confirmation prompt', () => {
  it('stops animating after the plan, so a prompt is not overwritten, and resumes with the next event', async () => {
    const out = new TerminalStream();
    const reporter = new TtyReporter(out, { color: false, spinner: true });
    try {
      reporter.emit({ type: 'phase', phase: 'plan', title: 'Plan for s' });
      expect(out.text).toContain('\u001b[?25l');
      const plan = successfulDeploy().find((e) => e.type === 'plan.summary')!;
      const duringPlan = writtenDuring(out, () => reporter.emit(plan));
      // The live line is erased (clear-line after its last frame) and the cursor comes back.
      expect(duringPlan.endsWith('\u001b[?25h')).toBe(true);
      expect(duringPlan.lastIndexOf('\u001b[0K')).toBeGreaterThan(duringPlan.lastIndexOf('Plan for s'));
      // No frame is drawn while the operator would be typing (ora redraws every 80 ms when spinning).
      const quiet = out.chunks.length;
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(out.chunks.length).toBe(quiet);
      const resumed = writtenDuring(out, () => reporter.emit({ type: 'phase', phase: 'rollout', title: 'Rolling out' }));
      expect(resumed).toContain('Rolling out');
      expect(resumed).toContain('\u001b[?25l');
    } finally {
      reporter.close();
    }
  });

  it('can be paused explicitly by whoever asks the question', () => {
    const out = new TerminalStream();
    const reporter = new TtyReporter(out, { color: false, spinner: true });
    try {
      reporter.emit({ type: 'phase', phase: 'preflight', title: 'Preflight' });
      expect(writtenDuring(out, () => reporter.pause()).endsWith('\u001b[?25h')).toBe(true);
    } finally {
      reporter.close();
    }
  });
});

describe('TtyReporter on a stream that cannot move the cursor', () => {
  it('falls back to lines instead of failing', () => {
    const out = new CapturingStream({ isTTY: true });
    const reporter = new TtyReporter(out, { color: false, spinner: true });
    for (const e of successfulDeploy()) reporter.emit(e);
    reporter.close();
    expect(out.lines.filter((l) => l.includes('  new group  '))).toHaveLength(3);
  });
});

describe('TtyReporter while an update is cancelled and rolled back', () => {
  const stackEvent = (status: string, seconds: number): ShipperEvent => ({
    type: 'stack.event',
    eventId: `e${seconds}`,
    timestamp: new Date(at('06:25:38').getTime() + seconds * 1000),
    elapsedSeconds: seconds,
    logicalId: 's',
    resourceType: 'AWS::CloudFormation::Stack',
    status,
    isStack: true,
  });

  it('the live line says it is rolling back, the notice says what cancelled it once, and the end says cancelled', () => {
    const out = new TerminalStream();
    const reporter = new TtyReporter(out, { color: false, spinner: true });
    try {
      reporter.emit({ type: 'phase', phase: 'rollout', title: 'Rolling out v2 to s' });
      const cancelling = writtenDuring(out, () =>
        reporter.emit({ type: 'operation.cancelling', reason: 'interrupted', cancellation: { by: 'signal', signal: 'SIGINT' } }),
      );
      expect(cancelling).toContain('Cancelling the update (Ctrl-C); CloudFormation rolls back to the previous release (Ctrl-C again to leave it to finish alone).');
      // Said once: not "Cancelling the update: interrupted: cancelling the update".
      expect(cancelling.match(/cancelling the update\b[^;]*cancelling the update/gi)).toBeNull();
      const rollingBack = writtenDuring(out, () => reporter.emit(stackEvent('UPDATE_ROLLBACK_IN_PROGRESS', 60)));
      expect(rollingBack.slice(rollingBack.lastIndexOf('UPDATE_ROLLBACK_IN_PROGRESS'))).toContain('Rolling back s to the previous release');
      expect(rollingBack.slice(rollingBack.lastIndexOf('UPDATE_ROLLBACK_IN_PROGRESS'))).not.toContain('Rolling out v2');
      const end = writtenDuring(out, () =>
        reporter.emit({
          type: 'deploy.failed',
          report: { stackName: 's', finalStatus: 'UPDATE_ROLLBACK_COMPLETE', groupActivities: [], failedInstances: [], previousReleaseLive: true, previousGroupName: 'g-old', nextSteps: [], elapsedSeconds: 90, cancelled: { by: 'signal', signal: 'SIGINT' } },
        }),
      );
      expect(end).toContain('✖ Deploy cancelled');
      expect(end).not.toContain('Deploy failed');
    } finally {
      reporter.close();
    }
  });
});

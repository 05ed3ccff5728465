import { describe, expect, it } from '@jest/globals';
import type { ShipperEvent } from '../../src/report/events.js';
import { PlainReporter } from '../../src/report/plain.js';
import { STATUS_WIDTH } from '../../src/report/stack-line.js';
import { CapturingStream, failedDeploy, successfulDeploy } from './scenarios.js';

function render(events: ShipperEvent[], opts: { buildkite?: boolean; color?: boolean } = {}): CapturingStream {
  const out = new CapturingStream();
  const reporter = new PlainReporter(out, { buildkite: opts.buildkite ?? false, color: opts.color ?? false });
  for (const e of events) reporter.emit(e);
  reporter.close();
  return out;
}

const STACK_LINE = /^\d\d:\d\d:\d\dZ  +\+\S+  /;

describe('PlainReporter', () => {
  it('writes no escape sequences at all without colour', () => {
    expect(render(successfulDeploy()).text).not.toContain('\u001b');
    expect(render(failedDeploy(), { buildkite: true }).text).not.toContain('\u001b');
  });

  it('prints every stack event of the recorded deploy as one line, in order', () => {
    const events = successfulDeploy().filter((e) => e.type === 'stack.event');
    const lines = render(successfulDeploy()).lines.filter((l) => STACK_LINE.test(l) && !l.includes('new group'));
    expect(lines).toHaveLength(events.length);
    expect(lines[0]).toBe(`06:25:38Z      +0s  charge-central-test      ${'UPDATE_IN_PROGRESS'.padEnd(STATUS_WIDTH)}  User Initiated`);
    expect(lines.at(-1)).toBe('06:29:34Z   +3m56s  charge-central-test      UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
  });

  it('aligns the status and reason columns across stack events', () => {
    const STATUS = /\b[A-Z]+_[A-Z_]*(IN_PROGRESS|COMPLETE|FAILED)\b/;
    for (const events of [successfulDeploy(), failedDeploy()]) {
      const rows = render(events)
        .lines.filter((l) => STACK_LINE.test(l) && !l.includes('new group'))
        .map((line) => {
          const status = STATUS.exec(line)!;
          const rest = line.slice(status.index + status[0].length);
          const reason = rest.trimStart();
          return { statusAt: status.index, reasonAt: reason ? line.length - reason.length : undefined };
        });
      expect(new Set(rows.map((r) => r.statusAt)).size).toBe(1);
      const reasoned = rows.filter((r) => r.reasonAt !== undefined);
      expect(reasoned.length).toBeGreaterThan(3);
      expect(new Set(reasoned.map((r) => r.reasonAt)).size).toBe(1);
    }
  });

  it('prints Buildkite group headers for phases only on Buildkite', () => {
    const onBuildkite = render(successfulDeploy(), { buildkite: true }).lines;
    expect(onBuildkite.filter((l) => l.startsWith('--- '))).toEqual([
      '--- Preflight',
      '--- Plan',
      '--- Execute change set',
      '--- Rolling out the new group',
    ]);
    const elsewhere = render(successfulDeploy()).lines;
    expect(elsewhere.some((l) => l.startsWith('--- ') || l.startsWith('+++ ') || l.startsWith('^^^'))).toBe(false);
    expect(elsewhere).toContain('==> Rolling out the new group');
  });

  it('expands the group holding the failure on Buildkite with ^^^ +++, then opens the summary', () => {
    const lines = render(failedDeploy(), { buildkite: true }).lines;
    const expand = lines.indexOf('^^^ +++');
    // Right after the rollback's last event: that group is the one Buildkite re-opens.
    expect(lines[expand - 1]).toMatch(/charge-central-test +UPDATE_ROLLBACK_COMPLETE$/);
    expect(lines[expand + 1]).toBe('+++ charge-central-test did not go live');
    expect(lines).not.toContain('--- charge-central-test did not go live');
    expect(lines[expand + 2]).toBe('Deploy failed and was rolled back. The previous release is still live.');
    expect(render(successfulDeploy(), { buildkite: true }).lines).not.toContain('^^^ +++');
    expect(render(failedDeploy()).lines).not.toContain('^^^ +++');
  });

  it('opens a "Deploy failed" group when the failure comes inside a phase that already printed', () => {
    const lines = render(failedDeploy().filter((e) => e.type !== 'phase' || e.phase !== 'outcome'), { buildkite: true }).lines;
    expect(lines.slice(lines.indexOf('^^^ +++'), lines.indexOf('^^^ +++') + 2)).toEqual(['^^^ +++', '+++ Deploy failed']);
  });

  it('prints each progress report of the new group on the operation\'s timeline', () => {
    const events = successfulDeploy();
    const lines = render(events).lines.filter((l) => l.includes('  new group  '));
    expect(lines.map((l) => l.replace(/^.*new group\s+/, ''))).toEqual([
      'signals 0/1; no instances yet',
      'signals 0/1; instances 1 Pending',
      'signals 1/1; instances 1 InService',
    ]);
    // Placed on the operation's timeline, like the stack events around it.
    expect(lines[2]).toMatch(/^06:29:18Z   \+3m40s  new group/);
  });

  it('shows failed scaling activities in the timeline and the failure summary at the end', () => {
    const text = render(failedDeploy()).text;
    expect(text).toMatch(/06:27:10Z   \+1m32s  new group +scaling activity failed: Instance i-0aaa1111bbbb2222c failed the app health check/);
    expect(text).toContain('Root cause');
    expect(text).toContain('Next steps');
  });

  it('prints the plan and the live outputs', () => {
    const text = render(successfulDeploy()).text;
    expect(text).toContain('The Auto Scaling group is REPLACED');
    expect(text).toContain('charge-central-test is live after 3m56s.');
    expect(text).toMatch(/ServiceUrl +https:\/\/charge-central\.test\.example\.com/);
  });

  it('says a busy stack once per status, however often it is polled', () => {
    const busy = (status: string, waitedSeconds: number): ShipperEvent => ({ type: 'stack.busy', stackName: 's', status, waitedSeconds });
    const lines = render([busy('UPDATE_IN_PROGRESS', 5), busy('UPDATE_IN_PROGRESS', 10), busy('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 15)]).lines;
    expect(lines).toHaveLength(2);
  });

  it('colours statuses with plain ANSI when asked (Buildkite renders them)', () => {
    const text = render(successfulDeploy(), { buildkite: true, color: true }).text;
    expect(text).toContain('\u001b[32mUPDATE_COMPLETE\u001b[39m');
    expect(text).toContain('\u001b[33mUPDATE_IN_PROGRESS');
    expect(text).toContain('--- Plan\n');
  });
});

/**
 * The renderers and the exit-code rule of a command over many services, fed events directly.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import type { ServiceResult } from '../../src/fleet/events.js';
import { fleetExitCode } from '../../src/fleet/outcome.js';
import { TtyFleetReporter } from '../../src/report/fleet-tty.js';

const result = (service: string, outcome: ServiceResult['outcome'], exitCode: number, extra: Partial<ServiceResult> = {}): ServiceResult => ({ service, env: 'test', stackName: `${service}-test`, outcome, exitCode, ...extra });

describe('the exit code of many services', () => {
  it('is 0 when all succeeded, the shared code when all failed alike, 8 when they differ, 130 when left to CloudFormation', () => {
    expect(fleetExitCode([result('a', 'live', 0), result('b', 'no-changes', 0)])).toBe(ExitCode.ok);
    expect(fleetExitCode([result('a', 'live', 0), result('b', 'failed', 4), result('c', 'cancelled', 4)])).toBe(ExitCode.deployRolledBack);
    expect(fleetExitCode([result('a', 'refused', 3), result('b', 'live', 0)])).toBe(ExitCode.preflightRefused);
    expect(fleetExitCode([result('a', 'refused', 3), result('b', 'failed', 4)])).toBe(ExitCode.servicesFailed);
    expect(fleetExitCode([result('a', 'detached', 130), result('b', 'failed', 4)])).toBe(ExitCode.detached);
  });
});

/** A terminal that records what is written and how the cursor moves. */
function terminal() {
  const calls: string[] = [];
  let screen = '';
  return {
    calls,
    text: () => screen,
    stream: {
      isTTY: true,
      columns: 100,
      rows: 40,
      write: (s: string) => {
        screen += s;
        calls.push(`write ${JSON.stringify(s)}`);
      },
      cursorTo: (x: number) => calls.push(`cursorTo ${x}`),
      moveCursor: (dx: number, dy: number) => calls.push(`moveCursor ${dx} ${dy}`),
      clearLine: (dir: number) => calls.push(`clearLine ${dir}`),
    },
  };
}

describe('the terminal view of many services', () => {
  it('redraws one line per service in place: phase, signals k/N, elapsed; then failures and the summary', () => {
    const t = terminal();
    let now = Date.parse('2026-11-23T06:00:00Z');
    const r = new TtyFleetReporter(t.stream, { color: false, verb: 'Deploying', now: () => new Date(now) });
    r.emit({ type: 'fleet.started', env: 'test', services: ['alpha', 'beta'], concurrency: 2 });
    r.emit({ type: 'fleet.service-started', service: 'alpha', env: 'test', running: 1, waiting: 1 });
    const alpha = r.lane('alpha');
    alpha.emit({ type: 'phase', phase: 'rollout', title: 'Rolling out v2 to alpha-test' });
    now += 75_000;
    alpha.emit({ type: 'group.progress', groupName: 'g', instances: [], signalsReceived: 1, signalsExpected: 2, elapsedSeconds: 75 });

    // Every redraw goes back up over the two lines of the block and writes them again.
    expect(t.calls.filter((c) => c === 'moveCursor 0 -2').length).toBeGreaterThanOrEqual(3);
    const lastBlock = t.text().split('\n').slice(-3, -1);
    expect(lastBlock[0]).toMatch(/^. alpha {2}Rolling out v2 to alpha-test · signals 1\/2 · 1m15s$/);
    expect(lastBlock[1]).toBe('· beta   waiting');

    const beta = r.lane('beta');
    beta.emit({ type: 'warning', message: 'beta said something' });
    r.emit({ type: 'fleet.service-ended', result: result('beta', 'refused', 3, { message: 'image tag "v2" does not exist', rootCause: 'image tag "v2" does not exist' }), done: 1, total: 2 });
    r.emit({ type: 'fleet.service-ended', result: result('alpha', 'live', 0, { release: 7, elapsedSeconds: 200 }), done: 2, total: 2 });
    r.emit({ type: 'fleet.summary', env: 'test', exitCode: 3, results: [result('alpha', 'live', 0, { release: 7, elapsedSeconds: 200 }), result('beta', 'refused', 3, { rootCause: 'image tag "v2" does not exist' })] });
    r.close();

    const end = t.text();
    expect(end).toContain('✔ alpha  live · release #7 · 3m20s');
    expect(end).toContain('✖ beta   refused · image tag "v2" does not exist');
    expect(end).toContain('── beta: refused ──\nWarning: beta said something\nerror: image tag "v2" does not exist');
    expect(end).toMatch(/alpha\s+#7\s+live\s+3m20s/);
  });

  it('prints a line per change when the stream cannot move the cursor', () => {
    let out = '';
    const r = new TtyFleetReporter({ isTTY: true, write: (s: string) => (out += s) }, { color: false, verb: 'Deploying' });
    r.emit({ type: 'fleet.started', env: 'test', services: ['alpha'], concurrency: 1 });
    r.emit({ type: 'fleet.service-started', service: 'alpha', env: 'test', running: 1, waiting: 0 });
    const alpha = r.lane('alpha');
    alpha.emit({ type: 'group.progress', groupName: 'g', instances: [], signalsReceived: 0, signalsExpected: 2, elapsedSeconds: 5 });
    alpha.emit({ type: 'group.progress', groupName: 'g', instances: [], signalsReceived: 0, signalsExpected: 2, elapsedSeconds: 9 });
    alpha.emit({ type: 'group.progress', groupName: 'g', instances: [], signalsReceived: 2, signalsExpected: 2, elapsedSeconds: 200 });
    r.close();
    expect(out.split('\n').slice(1, -1)).toEqual(['› alpha  starting', '› alpha  starting · signals 0/2', '› alpha  starting · signals 2/2']);
  });
});

/**
 * `shipper deploy` over many services in the simulated cloud: concurrent deploys, one failing
 * while the others go live, Ctrl-C across the fleet, the concurrency limit, and output that keeps
 * services apart (CI groups, --json tags).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { startReceiver } from '../notify/receiver.js';
import type { ProgramCall } from '../../src/ci/run-program.js';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V1, DIGEST_V2, touchesOf } from '../deploy/harness.js';
import { fleetWorld, filesOf, type FleetWorld } from './fleet-world.js';

const NAMES = ['alpha', 'beta', 'gamma'];

async function parameter(w: FleetWorld, stackName: string, key: string): Promise<string | undefined> {
  const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: stackName })).Stacks![0]!;
  return stack.Parameters?.find((p) => p.ParameterKey === key)?.ParameterValue;
}

async function releaseOutcomes(w: FleetWorld, name: string): Promise<Array<[number, string | undefined]>> {
  const run = await w.run(['releases', '--env', 'test', '-f', w.descriptors[name]!, '--json']);
  return (JSON.parse(run.stdout) as { releases: Array<{ number: number; outcome?: string }> }).releases.map((r) => [r.number, r.outcome]);
}

/** Calls every simulated API call's observer with the call's name (after it is counted). */
function onEveryCall(w: FleetWorld, observe: (call: string) => void): void {
  const record = w.cloud.calls.record.bind(w.cloud.calls);
  w.cloud.calls.record = (call: string) => {
    record(call);
    observe(call);
  };
}

function stacksUpdating(w: FleetWorld): number {
  return w.cloud.cloudFormation.stacks.filter((s) => s.status === 'UPDATE_IN_PROGRESS').length;
}

describe('shipper deploy --all', () => {
  it('deploys every service of the workspace concurrently, sharing one set of clients, and all go live', async () => {
    const w = fleetWorld(NAMES, { live: true });
    let clientsMade = 0;
    let mostAtOnce = 0;
    onEveryCall(w, () => (mostAtOnce = Math.max(mostAtOnce, stacksUpdating(w))));

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all'], {
      deps: {
        clients: async () => {
          clientsMade++;
          return w.cloud.clients();
        },
      },
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    // One region, one profile, no role: one set of clients for all three.
    expect(clientsMade).toBe(1);
    // All three updates ran at the same time (the default concurrency is 4).
    expect(mostAtOnce).toBe(3);
    for (const name of NAMES) {
      expect(await parameter(w, `${name}-test`, 'ImageDigest')).toBe(DIGEST_V2);
      expect(await releaseOutcomes(w, name)).toEqual([[1, 'live']]);
    }
    const summary = run.stdout.slice(run.stdout.indexOf('==> Summary'));
    expect(summary).toContain('3 services in test: 3 live');
    for (const name of NAMES) expect(summary).toMatch(new RegExp(`${name}\\s+#1\\s+live\\s+\\d+m\\d\\ds`));
  });

  it('keeps deploying the others when one fails: they go live, it rolls back, and the summary names its root cause', async () => {
    const w = fleetWorld(NAMES, { live: true });
    // beta's new instances never signal: its CreationPolicy times out (PT15M) and it rolls back.
    w.cloud.scriptInstancesOf('beta-test', [
      { signal: 'NONE', afterSeconds: 0 },
      { signal: 'NONE', afterSeconds: 0 },
    ]);

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all']);

    expect(run.code).toBe(ExitCode.deployRolledBack);
    expect(run.stderr).toContain('error: 1 of 3 services did not succeed: beta (failed)');
    expect(await parameter(w, 'alpha-test', 'ImageDigest')).toBe(DIGEST_V2);
    expect(await parameter(w, 'gamma-test', 'ImageDigest')).toBe(DIGEST_V2);
    expect(await parameter(w, 'beta-test', 'ImageDigest')).toBe(DIGEST_V1);
    // beta's old group never stopped serving; the others' releases are theirs alone.
    expect(touchesOf(w.cloud, w.oldGroups.beta)).toEqual([]);
    expect(await releaseOutcomes(w, 'beta')).toEqual([[1, 'rolled-back']]);
    expect(await releaseOutcomes(w, 'alpha')).toEqual([[1, 'live']]);

    const summary = run.stdout.slice(run.stdout.indexOf('==> Summary'));
    expect(summary).toContain('3 services in test: 2 live, 1 failed');
    expect(summary).toMatch(/beta\s+#1\s+failed\s+\S+\s+AutoScalingGroup: Failed to receive 2 resource signal\(s\) within the specified duration/);
    expect(summary).toMatch(/alpha\s+#1\s+live/);
  });

  it('on Ctrl-C cancels the updates in progress, follows their rollbacks, starts no other, and every old group still serves', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta'];
    const w = fleetWorld(names, { live: true });
    let executed = 0;
    onEveryCall(w, (call) => {
      // Once two updates run (the limit), Ctrl-C a minute later, while their instances boot.
      if (call === 'cloudFormation.executeChangeSet' && ++executed === 2) w.cloud.clock.schedule(60_000, () => process.emit('SIGINT', 'SIGINT'));
    });

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '--concurrency', '2', '--json']);

    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = events.find((e) => e.type === 'fleet.summary') as { services: Array<{ service: string; outcome: string; rootCause?: string }> };
    expect(summary.services.map((s) => [s.service, s.outcome])).toEqual([
      ['alpha', 'cancelled'],
      ['beta', 'cancelled'],
      ['gamma', 'not-started'],
      ['delta', 'not-started'],
    ]);
    expect(summary.services[0]!.rootCause).toBe('cancelled by Ctrl-C');
    expect(executed).toBe(2);
    // Each cancelled update was followed to the end of its rollback.
    for (const service of ['alpha', 'beta']) {
      expect(events.filter((e) => e.service === service && e.type === 'stack.event' && e.isStack).map((e) => e.status)).toContain('UPDATE_ROLLBACK_COMPLETE');
    }
    for (const name of names) {
      expect(touchesOf(w.cloud, w.oldGroups[name])).toEqual([]);
      expect(await parameter(w, `${name}-test`, 'ImageDigest')).toBe(DIGEST_V1);
    }
    // Rolled back (4) and never started (130): not the same way, so 8.
    expect(run.code).toBe(ExitCode.servicesFailed);
    expect(events.at(-1)).toMatchObject({ type: 'error', exitCode: 8, kind: 'services-failed' });
  });

  it('never runs more updates at once than --concurrency', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
    const w = fleetWorld(names, { live: true });
    let mostAtOnce = 0;
    onEveryCall(w, () => (mostAtOnce = Math.max(mostAtOnce, stacksUpdating(w))));

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '--concurrency', '2']);

    expect(run.code).toBe(ExitCode.ok);
    expect(mostAtOnce).toBe(2);
    for (const name of names) expect(await parameter(w, `${name}-test`, 'ImageDigest')).toBe(DIGEST_V2);
  });
});

describe('each service on its own', () => {
  it('sends each service\'s notifications to its own receivers, about itself only', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    const receivers = { alpha: await startReceiver(), beta: await startReceiver() };
    try {
      for (const name of ['alpha', 'beta'] as const) {
        const text = readFileSync(w.descriptors[name]!, 'utf8').replace('environments:\n', `notifications:\n  webhooks:\n    - url: ${receivers[name].url}\n      format: json\nenvironments:\n`);
        writeFileSync(w.descriptors[name]!, text);
      }
      w.cloud.scriptInstancesOf('beta-test', [{ signal: 'FAILURE', afterSeconds: 100 }]);

      const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all'], { deps: { notifyBoundMs: 2000 } });

      expect(run.code).toBe(ExitCode.deployRolledBack);
      const said = (name: 'alpha' | 'beta') => receivers[name].requests.map((r) => [(r.body as { event: string }).event, (r.body as { service: string }).service]);
      expect(said('alpha')).toEqual([
        ['deploy.started', 'alpha'],
        ['deploy.live', 'alpha'],
      ]);
      expect(said('beta')).toEqual([
        ['deploy.started', 'beta'],
        ['deploy.failed', 'beta'],
      ]);
    } finally {
      await Promise.all([receivers.alpha.close(), receivers.beta.close()]);
    }
  });

  it('a second Ctrl-C leaves every update in progress to CloudFormation and exits 130', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    let executed = 0;
    onEveryCall(w, (call) => {
      if (call === 'cloudFormation.executeChangeSet' && ++executed === 2) {
        w.cloud.clock.schedule(30_000, () => process.emit('SIGINT', 'SIGINT'));
        w.cloud.clock.schedule(31_000, () => process.emit('SIGINT', 'SIGINT'));
      }
    });

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all']);

    expect(run.code).toBe(ExitCode.detached);
    expect(run.stderr).toContain('SIGINT again: leaving now; CloudFormation finishes the operation by itself');
    const summary = run.stdout.slice(run.stdout.indexOf('==> Summary'));
    expect(summary).toMatch(/alpha\s+#1\s+left to CloudFormation/);
    expect(summary).toMatch(/beta\s+#1\s+left to CloudFormation/);
  });
});

describe('many services in a CI log', () => {
  it('prints each service as one Buildkite group, never interleaved, and annotates each in its own context', async () => {
    const w = fleetWorld(NAMES, { live: true });
    w.cloud.scriptInstancesOf('gamma-test', [{ signal: 'FAILURE', afterSeconds: 120 }]);
    const agent: ProgramCall[] = [];

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', ...filesOf(w, ...NAMES)], {
      env: { PATH: process.env.PATH, USER: 'alice', BUILDKITE: 'true', BUILDKITE_BUILD_URL: 'https://buildkite.com/acme/b/builds/1' },
      deps: {
        ci: {
          run: async (call) => {
            agent.push(call);
            return { kind: 'ok', stdout: '', stderr: '' };
          },
        },
      },
    });

    expect(run.code).toBe(ExitCode.deployRolledBack);
    // Split the log into groups at every Buildkite header.
    const groups: Array<{ header: string; lines: string[] }> = [];
    // eslint-disable-next-line no-control-regex
    for (const line of run.stdout.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) {
      if (/^(---|\+\+\+) /.test(line)) groups.push({ header: line, lines: [] });
      else groups.at(-1)?.lines.push(line);
    }
    for (const name of NAMES) {
      const own = groups.filter((g) => g.header.includes(`:rocket: ${name}:`));
      expect(own).toHaveLength(1);
      // Everything this service's deploy printed is in its group, and nothing of another's.
      expect(own[0]!.lines.join('\n')).toContain(name === 'gamma' ? 'gamma-test did not go live' : `${name}-test is live`);
      for (const g of groups) {
        const mentions = g.lines.some((l) => l.includes(`${name}-test`));
        if (g !== own[0]) expect(mentions).toBe(false);
      }
    }
    expect(groups.find((g) => g.header.includes(':rocket: gamma:'))!.header).toMatch(/^\+\+\+ :rocket: gamma: failed/);
    expect(groups.find((g) => g.header.includes(':rocket: alpha:'))!.header).toMatch(/^--- :rocket: alpha: live, \S+, release #1$/);
    expect(groups.at(-1)!.header).toBe('+++ Summary');
    expect(groups.filter((g) => /^--- \w+ started \(/.test(g.header))).toHaveLength(3);

    const contexts = agent.filter((c) => c.args[0] === 'annotate').map((c) => `${c.args[2]} ${c.args[4]}`);
    expect(contexts.sort()).toEqual(['error shipper-gamma-test', 'success shipper-alpha-test', 'success shipper-beta-test']);
    const keys = agent.filter((c) => c.args[0] === 'meta-data').map((c) => c.args[2]);
    expect(keys).toEqual(expect.arrayContaining(['shipper:alpha:test:release', 'shipper:beta:test:image-digest']));
    expect(keys.some((k) => k!.startsWith('shipper:test:'))).toBe(false);
  });

  it('--json tags every event of a service with the service and the environment', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', ...filesOf(w, 'alpha', 'beta'), '--json']);

    expect(run.code).toBe(ExitCode.ok);
    const events = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const ofServices = events.filter((e) => e.type !== 'fleet.started' && e.type !== 'fleet.summary');
    expect(ofServices.length).toBeGreaterThan(40);
    for (const e of ofServices) {
      expect(Object.keys(e).slice(0, 3)).toEqual(['type', 'service', 'env']);
      expect(e.env).toBe('test');
      const other = e.service === 'alpha' ? 'beta' : 'alpha';
      expect(JSON.stringify(e)).not.toContain(`${other}-test`);
    }
    expect(events.filter((e) => e.type === 'deploy.live').map((e) => [e.service, e.stackName]).sort()).toEqual([
      ['alpha', 'alpha-test'],
      ['beta', 'beta-test'],
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'fleet.summary', env: 'test', exitCode: 0 });
  });
});

describe('shipper deploy --all --instance', () => {
  it('deploys the same short-lived instance of every service, each next to its main stack with its own tags', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    for (const file of Object.values(w.descriptors)) {
      writeFileSync(file, readFileSync(file, 'utf8').replace('    region: eu-west-1\n', '    region: eu-west-1\n    instances:\n      ttl: 2d\n'));
    }

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '--instance', 'pr-9', '--branch', 'feature/x']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    for (const name of ['alpha', 'beta']) {
      const stack = (await w.cloud.clients().cloudFormation.describeStacks({ StackName: `${name}-test-pr-9` })).Stacks![0]!;
      const tags = Object.fromEntries((stack.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({ 'shipper:service': name, 'shipper:instance': 'pr-9', 'shipper:branch': 'feature/x', 'shipper:owner': expect.stringMatching(/alice/) });
      expect(await parameter(w, `${name}-test-pr-9`, 'ImageDigest')).toBe(DIGEST_V2);
      // The main stack still serves v1, its group untouched.
      expect(await parameter(w, `${name}-test`, 'ImageDigest')).toBe(DIGEST_V1);
      expect(touchesOf(w.cloud, w.oldGroups[name])).toEqual([]);
    }
  });

  it('refuses the instance before any AWS call when one selected service does not allow instances', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    const alpha = w.descriptors.alpha!;
    writeFileSync(alpha, readFileSync(alpha, 'utf8').replace('    region: eu-west-1\n', '    region: eu-west-1\n    instances:\n      ttl: 2d\n'));
    w.cloud.calls.reset();

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '--instance', 'pr-9']);

    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/does not allow short-lived instances/);
    expect(w.cloud.calls.total()).toBe(0);
  });
});

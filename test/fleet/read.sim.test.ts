/**
 * `plan`, `status` and `releases` over many services: each service's section in selection
 * order (plans made concurrently), one JSON object per service with --json, and a failure of
 * one reported without hiding the others.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { DIGEST_V2 } from '../deploy/harness.js';
import path from 'node:path';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { SimCloud } from '../sim/cloud.js';
import { SimPublicRegistry } from '../sim/registry.js';
import { cli } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { fleetWorld, filesOf } from './fleet-world.js';

describe('plan over many services', () => {
  it('plans each concurrently and shows them in selection order; nothing is executed', async () => {
    const w = fleetWorld(['alpha', 'beta', 'gamma'], { live: true });

    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v2', ...filesOf(w, 'gamma', 'alpha', 'beta')]);

    expect(run.code).toBe(ExitCode.ok);
    const at = (name: string) => run.stdout.indexOf(`==> ${name}: changes planned`);
    expect(at('gamma')).toBeGreaterThan(-1);
    expect(at('gamma')).toBeLessThan(at('alpha'));
    expect(at('alpha')).toBeLessThan(at('beta'));
    // Each section holds its own plan and nothing of another's.
    const alpha = run.stdout.slice(at('alpha'), at('beta'));
    expect(alpha).toContain('Plan for alpha-test');
    expect(alpha).not.toContain('beta-test');
    expect(run.stdout).toMatch(/3 services in test: 3 changes planned/);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(3);
  });

  it('--json prints one plan per line with its service, and an error object for a service that was refused', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    w.cloud.ecr.addImage('alpha', 'v9', DIGEST_V2);

    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v9', ...filesOf(w, 'alpha', 'beta'), '--json']);

    expect(run.code).toBe(ExitCode.preflightRefused);
    const [alpha, beta, error] = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    expect(alpha).toMatchObject({ service: 'alpha', env: 'test', plan: { stackName: 'alpha-test', changes: true, groupReplaced: true } });
    expect(beta).toMatchObject({ service: 'beta', env: 'test', error: { exitCode: 3, kind: 'preflight-refused', message: expect.stringContaining('image tag "v9" does not exist') } });
    expect(error).toMatchObject({ type: 'error', exitCode: 3, message: '1 of 2 services did not succeed: beta (refused)' });
    // The text went to stderr, with the summary.
    expect(run.stderr).toMatch(/2 services in test: 1 changes planned, 1 refused/);
  });
});

describe('status and releases over many services', () => {
  it('status shows each service in selection order, and --json one object per service', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });

    const text = await w.run(['status', '--env', 'test', '--all']);
    expect(text.code).toBe(ExitCode.ok);
    expect(text.stdout.indexOf('==> alpha\n')).toBeGreaterThan(-1);
    expect(text.stdout.indexOf('==> alpha\n')).toBeLessThan(text.stdout.indexOf('==> beta\n'));
    expect(text.stdout.slice(text.stdout.indexOf('==> beta'))).toContain('beta-test');

    const json = await w.run(['status', '--env', 'test', '--all', '--json']);
    expect(json.code).toBe(ExitCode.ok);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.service, l.env, l.stackName, l.exists])).toEqual([
      ['alpha', 'test', 'alpha-test', true],
      ['beta', 'test', 'beta-test', true],
    ]);
  });

  it('releases lists each service\'s own history after a fleet deploy', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    w.cloud.scriptInstancesOf('beta-test', [{ signal: 'FAILURE', afterSeconds: 100 }]);
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all'])).code).toBe(ExitCode.deployRolledBack);

    const run = await w.run(['releases', '--env', 'test', '--all', '--json']);

    expect(run.code).toBe(ExitCode.ok);
    const [alpha, beta] = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; live: number | null; releases: Array<{ number: number; outcome: string; service: string }> });
    expect(alpha).toMatchObject({ service: 'alpha', live: 1 });
    expect(alpha!.releases.map((r) => [r.number, r.outcome, r.service])).toEqual([[1, 'live', 'alpha']]);
    expect(beta!.releases.map((r) => [r.number, r.outcome, r.service])).toEqual([[1, 'rolled-back', 'beta']]);
  });
});

describe('the example workspace', () => {
  it('plans both of its services with --all from a directory below it', async () => {
    const dir = path.join(repoRoot, 'examples/workspace');
    const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z' });
    cloud.ecr.addImage('hello', 'v1', DIGEST_V2).addImage('greeter', 'v1', DIGEST_V2);
    const services = ['../hello/shipper.yml', 'greeter/shipper.yml'].map((f) => loadServiceEnvironment({ file: path.join(dir, f), env: 'test' }).service);
    const registry = SimPublicRegistry.serving(...services);

    const run = await cli(['plan', '--env', 'test', '--image-tag', 'v1', '--all'], {
      cwd: path.join(dir, 'greeter'),
      env: { PATH: process.env.PATH },
      deps: { clients: async () => cloud.clients(), clock: cloud.clock, exitNow: () => undefined, registryFetch: registry.fetch, lint: async () => ({ available: true, findings: [] }) },
    });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/2 services in test: 2 changes planned/);
    expect(run.stdout.indexOf('==> hello: changes planned')).toBeLessThan(run.stdout.indexOf('==> greeter: changes planned'));
  });
});

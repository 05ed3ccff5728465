/**
 * deploy and rollback run every offline check (fragment, composed template, cfn-lint when
 * installed) before their first AWS call: a typo is exit 2 with no AWS call, whatever the
 * credentials, and cfn-lint's verdict is as short as any other bad input.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TemplateLinter } from '../../src/compose/cfn-lint.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { exampleDir, repoRoot } from '../helpers/paths.js';
import { world } from './harness.js';

/** The bundled example in a temp directory, with one of its files edited. */
function exampleWith(file: 'shipper.yml' | 'cloudformation.yml', edit: (text: string) => string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'shipper-offline-'));
  cpSync(exampleDir, dir, { recursive: true });
  writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

const REF_TYPO = (text: string) => text.replace('Roles: [!Ref InstanceRole]', 'Roles: [!Ref InstanceRol]');
const BAD_INSTANCE_TYPE = (text: string) => text.replace('type: t3.small', 'type: t3.huge2');

describe('offline checks come before the first AWS call', () => {
  it('deploy: a !Ref typo in the fragment is exit 2 with its line, and no AWS call', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { cwd: exampleWith('cloudformation.yml', REF_TYPO) });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/cloudformation\.yml:20:\d+ .*InstanceRol\b/);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('plan: the same, before preflight', async () => {
    const w = world({ live: true });
    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v2'], { cwd: exampleWith('cloudformation.yml', REF_TYPO) });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/cloudformation\.yml:20:\d+ .*InstanceRol\b/);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('rollback: the same, before reading the release history', async () => {
    const w = world({ live: true });
    const run = await w.run(['rollback', '--env', 'test', '--to', 'v1'], { cwd: exampleWith('cloudformation.yml', REF_TYPO) });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/cloudformation\.yml:20:\d+ .*InstanceRol\b/);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('deploy refuses an instance type cfn-lint rejects, in one short message naming the value, the key and the line', async () => {
    const dir = exampleWith('shipper.yml', BAD_INSTANCE_TYPE);
    const w = world({ live: true });
    // The installed cfn-lint, as the CLI runs it.
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { cwd: dir, deps: { lint: undefined } });
    expect(run.code).toBe(ExitCode.badInput);
    expect(w.cloud.calls.total()).toBe(0);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'error: invalid input (nothing was changed)',
      `  ${path.join(dir, 'shipper.yml')}:12:3 instance.type: "t3.huge2" is not an EC2 instance type cfn-lint knows in eu-west-1 (cfn-lint E3030 at Resources.LaunchTemplate.Properties.LaunchTemplateData.InstanceType)`,
      expect.stringMatching(/^ {4}hint: check instance\.type; the t3 family has t3\.2xlarge, .*t3\.small/),
    ]);
    expect(run.stderr.length).toBeLessThan(600);
    // validate says exactly the same.
    const validate = await cli(['validate', '--env', 'test'], { cwd: dir });
    expect(validate.stderr).toBe(run.stderr);
  });

  it('suggests the nearest instance types for a typo', async () => {
    const dir = exampleWith('shipper.yml', (t) => t.replace('type: t3.small', 'type: t3.smal'));
    const run = await cli(['validate', '--env', 'test'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/hint: check instance\.type; did you mean t3\.small, /);
  });

  it('lints once per deploy and once per rollback (not again after preflight)', async () => {
    let runs = 0;
    const counting: TemplateLinter = async () => (runs++, { available: true, findings: [] });
    const w = world({ live: true });
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { deps: { lint: counting } })).code).toBe(ExitCode.ok);
    expect(runs).toBe(1);
    expect((await w.run(['deploy', '--env', 'test', '--image-tag', 'v3'], { deps: { lint: counting } })).code).toBe(ExitCode.ok);
    expect(runs).toBe(2);
    const rollback = await w.run(['rollback', '--env', 'test'], { deps: { lint: counting } });
    expect(rollback.stdout).toMatch(/rolling back to release #1: v2/);
    expect(rollback.code).toBe(ExitCode.ok);
    expect(runs).toBe(3);
  });

  it('says so when cfn-lint is not installed, and deploys on shipper\'s own checks', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { env: { PATH: '/nonexistent', USER: 'alice' }, deps: { lint: undefined } });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/cfn-lint is not installed \(pip install cfn-lint\): the template was checked by shipper's own rules only/);
  });
});

describe('with credentials that cannot work', () => {
  function shipper(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/shipper'), ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it('a fragment typo is still reported as the typo (exit 2), not as an AWS failure', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const env = { PATH: process.env.PATH, HOME: mkdtempSync(path.join(tmpdir(), 'shipper-home-')), AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`, AWS_ACCESS_KEY_ID: 'broken', AWS_SECRET_ACCESS_KEY: 'broken' };

    const typo = await shipper(['deploy', '--env', 'test', '--image-tag', 'v2'], exampleWith('cloudformation.yml', REF_TYPO), env);
    expect(typo.stderr).toMatch(/^error: invalid input \(nothing was changed\)\n.*cloudformation\.yml:20:\d+ .*InstanceRol\b/);
    expect(typo.code).toBe(ExitCode.badInput);

    // The same deploy without the typo does reach for AWS, and fails there.
    const clean = await shipper(['deploy', '--env', 'test', '--image-tag', 'v2'], exampleDir, env);
    expect(clean.code).toBe(ExitCode.aws);
  });
});

/**
 * Broken input, as a user meets it on the command line: exit 2, one short message naming the
 * file, the line and the culprit, and (for deploy) not one AWS call.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { cli, type CliRun } from '../helpers/cli.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';
import { world } from '../deploy/harness.js';

const lines = (run: CliRun) => run.stderr.trimEnd().split('\n');

/** render (offline) and deploy (against the simulated cloud) must say the same, and deploy must call nothing. */
async function refusedEverywhere(dir: string, args: string[] = ['--env', 'test']): Promise<CliRun> {
  const render = await cli(['render', ...args], { cwd: dir });
  const w = world();
  const deploy = await w.run(['deploy', ...args, '--image-tag', 'v1'], { cwd: dir });
  expect(deploy.code).toBe(ExitCode.badInput);
  expect(deploy.stderr).toBe(render.stderr);
  expect(w.cloud.calls.total()).toBe(0);
  expect(render.code).toBe(ExitCode.badInput);
  expect(render.stdout).toBe('');
  return render;
}

const ALIAS_BOMB = `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
`;

describe('YAML that cannot become data', () => {
  it('refuses an alias bomb as bad input, naming the line where the expansion runs away', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}${ALIAS_BOMB}`);
    const run = await refusedEverywhere(dir);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toMatch(/shipper\.yml:14:\d+: YAML aliases expand to more than 100 copies from here \(\*c\)/);
    expect(run.stderr).not.toMatch(/unexpected failure|resource exhaustion/);
  });

  it('names an alias without an anchor', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR.replace('repository: svc', 'repository: *repo'));
    const run = await refusedEverywhere(dir);
    expect(run.stderr).toMatch(/shipper\.yml:3:15: alias \*repo refers to no anchor/);
  });

  it('names a duplicate key and where it was first written, with a hint about duplicates', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR.replace('image:\n', 'port: 8080\nimage:\n').replace('network:\n', 'port: 9090\nnetwork:\n'));
    const run = await refusedEverywhere(dir);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toMatch(/shipper\.yml:5:1: duplicate key "port" \(first written on line 2\)/);
    expect(run.stderr).toMatch(/hint: a key may appear only once in a mapping/);
    expect(run.stderr).not.toMatch(/indentation|tabs/);
  });

  it('keeps the indentation hint for what is an indentation problem', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR.replace('  repository: svc', '\trepository: svc'));
    const run = await cli(['render', '--env', 'test'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/shipper\.yml:3:1: malformed YAML: Tabs are not allowed/);
    expect(run.stderr).toMatch(/hint: indent with spaces/);
  });
});

describe('--env names an environment of the descriptor, never a JavaScript property', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('--env %s is an unknown environment', async (env) => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR);
    const run = await refusedEverywhere(dir, ['--env', env]);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toContain(`environments: unknown environment "${env}" (expected one of: test)`);
  });

  it('an environment really called constructor works', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}  constructor:\n    account: "123456789012"\n    region: eu-west-1\n`);
    const run = await cli(['render', '--env', 'constructor'], { cwd: dir });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toContain('svc-constructor');
  });
});

describe('files that are not what -f or fragment: should name', () => {
  it('-f a directory says so, with a hint, instead of EISDIR', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR);
    const run = await refusedEverywhere(dir, ['--env', 'test', '-f', '.']);
    expect(run.stderr).toMatch(/: the descriptor path is a directory, not a file\n\s+hint: .*-f PATH\/TO\/shipper\.yml/);
    expect(run.stderr).not.toMatch(/EISDIR/);
  });

  it('fragment: naming the descriptor itself is one message at the fragment key', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR.replace('environments:', 'fragment: shipper.yml\nenvironments:')}`);
    const run = await refusedEverywhere(dir);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toMatch(/shipper\.yml:7:1 fragment: names the descriptor itself, not a CloudFormation fragment/);
  });

  it('fragment: naming a YAML file that is no CloudFormation fragment is one message', async () => {
    const compose = 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\nvolumes: {}\nnetworks: {}\nconfigs: {}\nsecrets: {}\n';
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}fragment: docker-compose.yml\n`, { 'docker-compose.yml': compose });
    const run = await refusedEverywhere(dir);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toMatch(/docker-compose\.yml:1: not a CloudFormation fragment: none of its top-level keys \(services, volumes, networks, configs, …\) is a template section/);
    expect(run.stderr).toMatch(/hint: is fragment \(.*shipper\.yml:11\) the right file\?/);
  });

  it('fragment: naming a directory says so and points back at the descriptor line', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}fragment: cfn\n`);
    mkdirSync(path.join(dir, 'cfn'));
    const run = await refusedEverywhere(dir);
    expect(run.stderr).toMatch(/cfn: the CloudFormation fragment path is a directory, not a file\n\s+hint: fix fragment \(.*shipper\.yml:11\)/);
  });
});

describe('size limits', () => {
  it('refuses a descriptor over 1 MiB with its size', async () => {
    const { dir, file } = tempService('');
    writeFileSync(file, `${MINIMAL_DESCRIPTOR}# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const run = await refusedEverywhere(dir);
    expect(lines(run)).toHaveLength(3);
    expect(run.stderr).toMatch(/shipper\.yml: the descriptor is 2\.0 MiB; shipper reads at most 1 MiB/);
  });

  it('refuses a fragment over 1 MiB with its size', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}fragment: big.yml\n`, { 'big.yml': `Resources: {}\n# ${'x'.repeat(1536 * 1024)}\n` });
    const run = await refusedEverywhere(dir);
    expect(run.stderr).toMatch(/big\.yml: the CloudFormation fragment is 1\.5 MiB; shipper reads at most 1 MiB/);
  });

  it('reads an endless file only up to the limit', async () => {
    const run = await cli(['render', '--env', 'test', '-f', '/dev/zero']);
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/\/dev\/zero: the descriptor is more than 1 MiB/);
  });
});

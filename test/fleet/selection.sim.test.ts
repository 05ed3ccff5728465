/**
 * Choosing many services: repeated -f and the workspace file. Every descriptor is loaded and
 * checked before the first AWS call, so one bad one (or a bad workspace file) refuses the whole
 * command with exit 2, naming its file and line, and nothing in AWS is touched.
 */
import { describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { fleetWorld, filesOf, tempDir } from './fleet-world.js';

describe('a bad descriptor among many', () => {
  it('refuses the whole command with exit 2 naming its file and line, before any AWS call', async () => {
    const w = fleetWorld(['alpha', 'beta', 'gamma']);
    writeFileSync(w.descriptors.beta!, `${'# beta\n'}service: beta\nimage:\n  repositry: beta\n`);
    let clientsMade = 0;

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', ...filesOf(w, 'alpha', 'beta', 'gamma')], {
      deps: {
        clients: async () => {
          clientsMade++;
          return w.cloud.clients();
        },
      },
    });

    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toContain(`${w.descriptors.beta}:4:3 image.repositry: unknown key "repositry"`);
    expect(run.stderr).not.toContain(w.descriptors.alpha!);
    expect(run.stdout).toBe('');
    expect(clientsMade).toBe(0);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('refuses a template problem (the offline checks) in one of them before any AWS call', async () => {
    const w = fleetWorld(['alpha', 'beta']);
    // A fragment that references a resource that does not exist: found by composing, offline.
    writeFileSync(path.join(path.dirname(w.descriptors.beta!), 'cloudformation.yml'), 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Ref Nowhere\n');

    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all']);

    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toContain(path.join(path.dirname(w.descriptors.beta!), 'cloudformation.yml'));
    expect(run.stderr).toContain('Nowhere');
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('refuses two descriptors that deploy the same stack', async () => {
    const w = fleetWorld(['alpha', 'beta']);
    const twice = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', ...filesOf(w, 'alpha', 'beta', 'alpha')]);
    expect(twice.code).toBe(ExitCode.badInput);
    expect(twice.stderr).toContain(`${w.descriptors.alpha} stackName: selected twice: both deploy stack alpha-test`);

    // Copied from alpha and not renamed: the same service name, so the same stack.
    writeFileSync(w.descriptors.beta!, readFileSync(w.descriptors.beta!, 'utf8').replace('service: beta', 'service: alpha'));
    const same = await w.run(['status', '--env', 'test', ...filesOf(w, 'alpha', 'beta')]);
    expect(same.code).toBe(ExitCode.badInput);
    expect(same.stderr).toContain(`${w.descriptors.beta} stackName: deploys stack alpha-test in 123456789012/eu-west-1, as ${w.descriptors.alpha} does`);
    expect(w.cloud.calls.total()).toBe(0);
  });

  it('asks for --yes once for a protected environment, and without a terminal refuses before any AWS call', async () => {
    const w = fleetWorld(['alpha', 'beta']);
    const run = await w.run(['deploy', '--env', 'prod', '--image-tag', 'v2', '--all']);
    expect(run.code).toBe(ExitCode.aborted);
    expect(run.stderr).toContain('error: environment "prod" is protected (alpha, beta) and nobody can confirm here');
    expect(w.cloud.calls.total()).toBe(0);

    const asked: string[] = [];
    const declined = await w.run(['deploy', '--env', 'prod', '--image-tag', 'v2', '--all'], { deps: { confirm: async (q) => (asked.push(q), false) } });
    expect(declined.code).toBe(ExitCode.aborted);
    expect(asked).toEqual(['Deploy v2 to prod for all 2 services?']);
    expect(w.cloud.calls.total()).toBe(0);
  });
});

describe('the workspace file', () => {
  it('is found in a parent directory, and --all selects its services in the order listed', async () => {
    const w = fleetWorld(['alpha', 'beta'], { live: true });
    writeFileSync(path.join(w.root, 'shipper.workspace.yml'), '# the services of this repository\nservices:\n  - services/beta\n  - services/alpha/shipper.yml\n');

    const run = await w.run(['status', '--env', 'test', '--all'], { cwd: path.join(w.root, 'services', 'alpha') });

    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout.indexOf('==> beta')).toBeGreaterThan(-1);
    expect(run.stdout.indexOf('==> beta')).toBeLessThan(run.stdout.indexOf('==> alpha'));
  });

  it('reports an unknown key with its line and the key it probably meant', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'shipper.workspace.yml'), '# workspace\nservice:\n  - a\n');
    const run = await fleetWorld(['alpha']).run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toContain(`${path.join(dir, 'shipper.workspace.yml')}:2:1 service: unknown key "service" (expected one of: services)`);
    expect(run.stderr).toContain('did you mean "services"?');
  });

  it('names the line of a service directory that does not exist, or has no shipper.yml, or is listed twice', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'empty'));
    mkdirSync(path.join(dir, 'svc'));
    writeFileSync(path.join(dir, 'svc', 'shipper.yml'), 'service: svc\n');
    writeFileSync(path.join(dir, 'shipper.workspace.yml'), 'services:\n  - svc\n  - missing\n  - empty\n  - ./svc\n');
    const w = fleetWorld(['alpha']);

    const run = await w.run(['plan', '--env', 'test', '--image-tag', 'v2', '--all'], { cwd: dir });

    expect(run.code).toBe(ExitCode.badInput);
    const file = path.join(dir, 'shipper.workspace.yml');
    expect(run.stderr).toContain(`${file}:3:5 services[1]: ${path.join(dir, 'missing')} does not exist`);
    expect(run.stderr).toContain(`${file}:4:5 services[2]: no shipper.yml in ${path.join(dir, 'empty')}`);
    expect(run.stderr).toContain(`${file}:5:5 services[3]: "./svc" is listed twice (first as services[0])`);
    expect(w.cloud.calls.total()).toBe(0);

    writeFileSync(file, 'services:\n  - svc\n  - 42\n');
    const typed = await w.run(['plan', '--env', 'test', '--image-tag', 'v2', '--all'], { cwd: dir });
    expect(typed.stderr).toContain(`${file}:3:5 services[1]: wrong type (expected a string)`);
  });

  it('says where it looked when there is none, and refuses --all together with -f', async () => {
    const dir = tempDir();
    const w = fleetWorld(['alpha']);
    const none = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all'], { cwd: dir });
    expect(none.code).toBe(ExitCode.badInput);
    expect(none.stderr).toContain(`--all: no shipper.workspace.yml in ${dir} or any directory above it`);

    const both = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '-f', w.descriptors.alpha!]);
    expect(both.code).toBe(ExitCode.badInput);
    expect(both.stderr).toContain('-f cannot be combined with it');

    const concurrency = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--all', '--concurrency', '0']);
    expect(concurrency.code).toBe(ExitCode.badInput);
    expect(concurrency.stderr).toContain('--concurrency: "0" is not a number of services (expected a whole number from 1 to 100)');
    expect(w.cloud.calls.total()).toBe(0);
  });
});

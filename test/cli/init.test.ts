/**
 * `shipper init` scaffolds a service that passes `shipper validate` (with the real cfn-lint) in
 * both environments, and a Buildkite pipeline whose steps run in the documented order. It never
 * overwrites a file, never asks without a terminal, and a Ctrl-C at a question writes nothing.
 * The interactive run goes through a real readline terminal interface, as in confirm.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parse } from 'yaml';
import { terminalAsker } from '../../src/cli/ask.js';
import { initCommand } from '../../src/cli/commands/init.js';
import { reportError } from '../../src/cli/errors-to-exit.js';
import type { CliIo } from '../../src/cli/io.js';
import { cli } from '../helpers/cli.js';

const FLAGS = ['--service', 'billing', '--repository', 'payments/billing', '--port', '3000', '--test-account', '123456789012', '--test-region', 'eu-west-1', '--prod-account', '210987654321', '--prod-region', 'eu-central-1'];

function emptyDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'shipper-init-'));
}

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

interface PipelineStep {
  label?: string;
  block?: string;
  command?: string | string[];
  wait?: unknown;
}

function pipelineSteps(dir: string): Array<PipelineStep | 'wait'> {
  return (parse(readFileSync(path.join(dir, '.buildkite/pipeline.yml'), 'utf8')) as { steps: Array<PipelineStep | 'wait'> }).steps;
}

describe('shipper init with flags (no terminal)', () => {
  it('writes the descriptor with the schema modeline, the schema, a fragment stub and the pipeline; both environments validate with cfn-lint', async () => {
    const dir = emptyDir();
    const run = await cli(['init', ...FLAGS], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(filesIn(dir)).toEqual(['.buildkite/pipeline.yml', 'cloudformation.yml', 'shipper.schema.json', 'shipper.yml']);
    for (const file of ['shipper.yml', 'shipper.schema.json', 'cloudformation.yml', '.buildkite/pipeline.yml']) expect(run.stdout).toContain(`wrote ${file}\n`);

    const descriptor = readFileSync(path.join(dir, 'shipper.yml'), 'utf8');
    expect(descriptor.split('\n')[0]).toBe('# yaml-language-server: $schema=./shipper.schema.json');
    const schema = await cli(['schema']);
    expect(readFileSync(path.join(dir, 'shipper.schema.json'), 'utf8')).toBe(schema.stdout);
    expect(parse(descriptor)).toMatchObject({
      service: 'billing',
      image: { repository: 'payments/billing' },
      port: 3000,
      fragment: 'cloudformation.yml',
      environments: { test: { account: '123456789012', region: 'eu-west-1' }, prod: { account: '210987654321', region: 'eu-central-1', protected: true } },
    });

    for (const env of ['test', 'prod']) {
      const validated = await cli(['validate', '--env', env], { cwd: dir });
      expect(validated.code).toBe(0);
      expect(validated.stdout).toContain(`ok   descriptor ${path.join(dir, 'shipper.yml')} (environment ${env}, stack billing-${env})`);
      expect(validated.stdout).toContain(`ok   fragment ${path.join(dir, 'cloudformation.yml')} merged`);
      // The real cfn-lint ran (not skipped) and found nothing.
      expect(validated.stdout).toMatch(/^ok {3}cfn-lint$/m);
    }
  }, 120_000);

  it('writes a pipeline that builds and pushes the commit, plans and deploys test, blocks, then deploys prod with --yes', async () => {
    const dir = emptyDir();
    expect((await cli(['init', ...FLAGS], { cwd: dir })).code).toBe(0);
    const steps = pipelineSteps(dir);
    const shape = steps.map((s) => (s === 'wait' ? 'wait' : s.block ? 'block' : s.label));
    expect(shape).toEqual([':docker: Build and push billing', 'wait', ':mag: Plan test', 'wait', ':rocket: Deploy to test', 'block', ':rocket: Deploy to prod']);
    const [build, , plan, , deployTest, , deployProd] = steps as PipelineStep[];

    // One build tagged with the commit, pushed to the repository in each environment's account and region.
    const testImage = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/payments/billing:$BUILDKITE_COMMIT';
    const prodImage = '210987654321.dkr.ecr.eu-central-1.amazonaws.com/payments/billing:$BUILDKITE_COMMIT';
    expect(build!.command).toEqual([
      'docker build --tag "billing:$BUILDKITE_COMMIT" .',
      'aws ecr get-login-password --region eu-west-1 | docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      `docker tag "billing:$BUILDKITE_COMMIT" "${testImage}"`,
      `docker push "${testImage}"`,
      'aws ecr get-login-password --region eu-central-1 | docker login --username AWS --password-stdin 210987654321.dkr.ecr.eu-central-1.amazonaws.com',
      `docker tag "billing:$BUILDKITE_COMMIT" "${prodImage}"`,
      `docker push "${prodImage}"`,
    ]);
    expect(plan!.command).toBe('shipper plan --env test --image-tag "$BUILDKITE_COMMIT"');
    expect(deployTest!.command).toBe('shipper deploy --env test --image-tag "$BUILDKITE_COMMIT"');
    expect(deployProd!.command).toBe('shipper deploy --env prod --image-tag "$BUILDKITE_COMMIT" --yes');
  });

  it('needs only --service: the rest are defaults, and the placeholders it leaves are named', async () => {
    const dir = emptyDir();
    const run = await cli(['init', '--service', 'hello'], { cwd: dir, env: { PATH: process.env.PATH, AWS_REGION: 'ap-southeast-2' } });
    expect(run.code).toBe(0);
    const descriptor = parse(readFileSync(path.join(dir, 'shipper.yml'), 'utf8'));
    expect(descriptor).toMatchObject({
      image: { repository: 'hello' },
      port: 8080,
      network: { vpcId: 'vpc-0123456789abcdef0', subnets: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'] },
      environments: { test: { account: '111111111111', region: 'ap-southeast-2' }, prod: { account: '222222222222', region: 'ap-southeast-2' } },
    });
    expect(run.stdout).toContain('Replace these placeholders in shipper.yml before the first deploy:\n  environments.test.account (111111111111)\n  environments.prod.account (222222222222)\n  network.vpcId and network.subnets');
    // Same account and region twice would be one registry: here the two placeholder accounts are two.
    expect((pipelineSteps(dir)[0] as PipelineStep).command).toHaveLength(7);
  });

  it('uses the given network and names no placeholder when everything is given', async () => {
    const dir = emptyDir();
    const run = await cli(['init', ...FLAGS, '--vpc-id', 'vpc-0a1b2c3d', '--subnets', 'subnet-0a1b2c3d, subnet-1a2b3c4d'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(parse(readFileSync(path.join(dir, 'shipper.yml'), 'utf8')).network).toEqual({ vpcId: 'vpc-0a1b2c3d', subnets: ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'] });
    expect(run.stdout).not.toContain('placeholder');
  });

  it('without a terminal, a missing --service is exit 2 naming the flag, and nothing is written', async () => {
    const dir = emptyDir();
    const run = await cli(['init', '--repository', 'team/x'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('missing --service (standard input is not a terminal, so shipper init does not ask)');
    expect(filesIn(dir)).toEqual([]);
  });

  it('refuses an invalid flag with what was expected, and writes nothing', async () => {
    const dir = emptyDir();
    const run = await cli(['init', '--service', 'Billing', '--test-account', '1234'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--service: "Billing" is not valid (expected lowercase letters, digits and dashes');
    expect(run.stderr).toContain('--test-account: "1234" is not valid (expected a 12-digit AWS account id)');
    expect(filesIn(dir)).toEqual([]);
  });

  it('never overwrites: with any of its files present it writes nothing and names the ones that exist', async () => {
    const dir = emptyDir();
    mkdirSync(path.join(dir, '.buildkite'));
    writeFileSync(path.join(dir, '.buildkite/pipeline.yml'), 'steps: [mine]\n');
    writeFileSync(path.join(dir, 'cloudformation.yml'), 'Resources: {}\n# mine\n');
    const run = await cli(['init', ...FLAGS], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`shipper init writes nothing because these files exist in ${dir}: cloudformation.yml, .buildkite/pipeline.yml`);
    expect(run.stderr).toContain('hint: shipper init never overwrites a file');
    expect(filesIn(dir)).toEqual(['.buildkite/pipeline.yml', 'cloudformation.yml']);
    expect(readFileSync(path.join(dir, '.buildkite/pipeline.yml'), 'utf8')).toBe('steps: [mine]\n');
    expect(readFileSync(path.join(dir, 'cloudformation.yml'), 'utf8')).toBe('Resources: {}\n# mine\n');
  });
});

/** A terminal that answers each prompt (a line ending in ": ") with the next scripted answer. */
function scriptedTerminal(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => {
    shown += chunk.toString();
    if (/: $/.test(chunk.toString()) && answers.length > 0) {
      const next = answers.shift()!;
      setImmediate(() => input.write(next));
    }
  });
  const { ask, close } = terminalAsker({ input, output, terminal: true });
  return { terminal: { ask, close, say: (line: string) => output.write(`${line}\n`) }, shown: () => shown };
}

function io(dir: string): CliIo & { out: () => string } {
  let stdout = '';
  return { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: { AWS_REGION: 'eu-west-1' }, cwd: dir, stdinIsTTY: true, out: () => stdout };
}

describe('shipper init --help', () => {
  it('lists every flag and an example for CI', async () => {
    const run = await cli(['init', '--help']);
    expect(run.code).toBe(0);
    for (const flag of ['--service', '--repository', '--port', '--test-account', '--test-region', '--prod-account', '--prod-region', '--vpc-id', '--subnets']) expect(run.stdout).toContain(flag);
    expect(run.stdout).toContain('never overwrites a file');
    expect(run.stdout).toMatch(/Examples:\n {2}shipper init {2,}# asks/);
  });
});

describe('shipper init in a terminal', () => {
  it('asks each question with its default, takes Enter as the default, asks again after an invalid answer', async () => {
    const dir = emptyDir();
    const t = scriptedTerminal(['shop\r', '\r', '80x\r', '9090\r', '123456789012\r', '\r', '210987654321\r', 'eu-central-1\r', '\r', '\r']);
    const target = io(dir);
    await expect(initCommand({}, target, { terminal: t.terminal })).resolves.toBe(0);
    expect(t.shown()).toContain('Service name: ');
    expect(t.shown()).toContain('ECR repository [shop]: ');
    expect(t.shown()).toContain('Port the app listens on [8080]: ');
    expect(t.shown()).toContain('"80x" is not valid: expected a port number from 1 to 65535');
    expect(t.shown()).toContain('AWS region of test [eu-west-1]: ');
    expect(t.shown()).toContain('AWS region of prod [eu-west-1]: ');
    expect(t.shown()).toContain('VPC id (empty: a placeholder to replace): ');
    expect(parse(readFileSync(path.join(dir, 'shipper.yml'), 'utf8'))).toMatchObject({
      service: 'shop',
      image: { repository: 'shop' },
      port: 9090,
      network: { vpcId: 'vpc-0123456789abcdef0' },
      environments: { test: { account: '123456789012', region: 'eu-west-1' }, prod: { account: '210987654321', region: 'eu-central-1' } },
    });
    expect(target.out()).toContain('network.vpcId and network.subnets');
    expect(target.out()).not.toContain('environments.test.account');
  });

  it('Ctrl-C at a question exits 130 and writes nothing', async () => {
    const dir = emptyDir();
    const t = scriptedTerminal(['shop\r', '\u0003']);
    const error = await initCommand({}, io(dir), { terminal: t.terminal }).catch((err: unknown) => err);
    let stderr = '';
    expect(reportError(error, { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {}, cwd: dir, stdinIsTTY: true })).toBe(130);
    expect(stderr).toBe('error: interrupted (Ctrl-C) at the prompt: no file was written\n');
    expect(filesIn(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'shipper.yml'))).toBe(false);
  });

  it('asks only what no flag answered', async () => {
    const dir = emptyDir();
    const t = scriptedTerminal(['\r', '\r', '\r', '\r', '\r', '\r', '\r']);
    await expect(initCommand({ service: 'shop', repository: 'team/shop' }, io(dir), { terminal: t.terminal })).resolves.toBe(0);
    expect(t.shown()).not.toContain('Service name');
    expect(t.shown()).not.toContain('ECR repository');
    expect(t.shown()).toContain('Port the app listens on [8080]: ');
  });
});

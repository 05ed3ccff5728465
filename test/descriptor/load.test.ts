import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { BadInputError, ExitCode } from '../../src/errors.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

function loadError(descriptor: string, env = 'test', files: Record<string, string> = {}): BadInputError {
  const { file } = tempService(descriptor, files);
  try {
    loadServiceEnvironment({ file, env });
  } catch (err) {
    expect(err).toBeInstanceOf(BadInputError);
    return err as BadInputError;
  }
  throw new Error('expected the descriptor to be rejected');
}

describe('loading the bundled example', () => {
  it('applies the prod overlay over the base', () => {
    const prod = loadServiceEnvironment({ file: exampleDescriptor, env: 'prod' });
    expect(prod.stackName).toBe('hello-prod');
    expect(prod.service.capacity).toEqual({ min: 2, desired: 3, max: 8 });
    expect(prod.service.protected).toBe(true);
    expect(prod.service.account).toBe('210987654321');
    // Lists replace rather than append: prod must never inherit test subnets.
    expect(prod.service.network.subnets).toEqual(['subnet-0f0e0d0c', 'subnet-1f1e1d1c', 'subnet-2f2e2d2c']);
    // Keys the overlay does not touch come from the base.
    expect(prod.service.healthCheck.path).toBe('/health');
    expect(prod.service.environment.GREETING).toBe('Hello, "world" & $friends; `uname`');
  });

  it('fills defaults where the descriptor is silent and parses the fragment with short tags', () => {
    const test = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });
    expect(test.service.protected).toBe(false);
    expect(test.service.instance.ami).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    expect(test.service.sidecars['reverse-proxy'].enabled).toBe(true);
    expect(test.service.sidecars['log-router'].output).toBe('cloudwatch');
    const queue = (test.fragment?.template.Resources as Record<string, { Properties: Record<string, unknown> }>).JobsQueue!;
    expect(queue.Properties.QueueName).toEqual({ 'Fn::Sub': '${AWS::StackName}-jobs' });
    expect(queue.Properties.VisibilityTimeout).toEqual({ 'Fn::If': ['IsProd', 120, 30] });
  });
});

describe('bad descriptors get one clear message with file, line and key path', () => {
  it('reports malformed YAML with its line', () => {
    const err = loadError(`service: svc\nimage:\n  repository: [unclosed\nnetwork: {}\n`);
    expect(err.exitCode).toBe(ExitCode.badInput);
    expect(err.problems[0]!.message).toMatch(/malformed YAML/);
    expect(err.problems[0]!.location?.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a roleArn that is not an IAM role ARN, at its line, and takes one from any partition', () => {
    const err = loadError(MINIMAL_DESCRIPTOR.replace('    region: eu-west-1\n', '    region: eu-west-1\n    roleArn: arn:aws:iam::123456789012:user/deployer\n'));
    const problem = err.problems.find((p) => p.path === 'environments.test.roleArn')!;
    expect(problem.message).toContain('must be an IAM role ARN');
    expect(problem.location).toMatchObject({ line: 11 });
    const { file } = tempService(MINIMAL_DESCRIPTOR.replace('    region: eu-west-1\n', '    region: cn-north-1\n    roleArn: arn:aws-cn:iam::123456789012:role/ci/shipper-deployer\n'));
    expect(loadServiceEnvironment({ file, env: 'test' }).service.roleArn).toBe('arn:aws-cn:iam::123456789012:role/ci/shipper-deployer');
  });

  it('suggests the closest key for a typo, at the typo\'s line', () => {
    const err = loadError(MINIMAL_DESCRIPTOR.replace('image:', 'imagee:'));
    const problem = err.problems.find((p) => p.path === 'imagee')!;
    expect(problem.message).toBe('unknown key "imagee"');
    expect(problem.hint).toBe('did you mean "image"?');
    expect(problem.location).toMatchObject({ line: 2 });
  });

  it('suggests nested keys too', () => {
    const err = loadError(`${MINIMAL_DESCRIPTOR}healthCheck:\n  pth: /ready\n`);
    expect(err.message).toContain('healthCheck.pth: unknown key "pth"');
    expect(err.problems[0]!.hint).toBe('did you mean "path"?');
    expect(err.problems[0]!.location?.line).toBe(12);
  });

  it('points a wrong type in an overlay at the overlay line', () => {
    const err = loadError(`${MINIMAL_DESCRIPTOR}    capacity:\n      max: lots\n`);
    const problem = err.problems[0]!;
    expect(problem.path).toBe('environments.test.capacity.max');
    expect(problem.location?.line).toBe(12);
    expect(problem.message).toBe('wrong type');
    expect(problem.expected).toBe('a number');
  });

  it('names the missing required key and where it belongs', () => {
    const err = loadError(MINIMAL_DESCRIPTOR.replace('    region: eu-west-1\n', ''));
    expect(err.problems.map((p) => p.path)).toEqual(['environments.test.region']);
    expect(err.problems[0]!.message).toBe('required key is missing');
  });

  it('refuses an unknown environment and lists the known ones', () => {
    const err = loadError(MINIMAL_DESCRIPTOR, 'tset');
    expect(err.problems[0]!.message).toBe('unknown environment "tset"');
    expect(err.problems[0]!.expected).toBe('one of: test');
    expect(err.problems[0]!.hint).toBe('did you mean --env test?');
  });

  it('says so when the descriptor file is missing', () => {
    expect(() => loadServiceEnvironment({ file: '/nonexistent/shipper.yml', env: 'test' })).toThrow(/descriptor not found/);
  });

  it('rejects a capacity out of order, an invalid cron and a bad secret reference together', () => {
    const err = loadError(
      `${MINIMAL_DESCRIPTOR}capacity: {min: 3, desired: 2, max: 4}\nscheduledActions:\n  - name: nightly\n    recurrence: "0 25 * * *"\n    desiredCapacity: 1\nsecrets:\n  DB_PASSWORD: {vault: secret/db}\n`,
    );
    const byPath = Object.fromEntries(err.problems.map((p) => [p.path, p]));
    expect(byPath['capacity']!.message).toMatch(/min <= desired <= max/);
    expect(byPath['scheduledActions[0].recurrence']!.message).toMatch(/invalid cron: hour "25"/);
    expect(byPath['secrets.DB_PASSWORD']!.expected).toMatch(/ssm: .* or \{ secretsManager/);
  });

  it('requires sidecar images to name a tag or a digest', () => {
    for (const image of ['nginx', 'nginx@sha256:abc', 'Nginx:1', 'nginx:1 2']) {
      const err = loadError(`${MINIMAL_DESCRIPTOR}sidecars:\n  reverse-proxy:\n    image: "${image}"\n`);
      expect(err.problems[0]!.path).toBe('sidecars.reverse-proxy.image');
      expect(err.problems[0]!.message).toMatch(/must be an image reference REPO:TAG, REPO@sha256:<64 hex> or REPO:TAG@sha256:<64 hex>/);
    }
  });

  it('reports a missing fragment file by name', () => {
    const err = loadError(`${MINIMAL_DESCRIPTOR}fragment: extra.yml\n`);
    expect(err.problems[0]!.location?.file).toMatch(/extra\.yml$/);
    expect(err.problems[0]!.message).toBe('CloudFormation fragment not found');
  });

  it('rejects a fragment resource without a Type at its line', () => {
    const err = loadError(`${MINIMAL_DESCRIPTOR}fragment: extra.yml\n`, 'test', {
      'extra.yml': 'Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n  Queue:\n    Properties: {}\n',
    });
    expect(err.problems[0]).toMatchObject({ path: 'Resources.Queue', message: 'resource "Queue" has no Type' });
    expect(err.problems[0]!.location?.line).toBe(4);
  });

  it('refuses an ECR repository in another region than the environment deploys to', () => {
    const err = loadError(MINIMAL_DESCRIPTOR.replace('repository: svc', 'repository: 123456789012.dkr.ecr.us-east-1.amazonaws.com/svc'));
    expect(err.problems[0]).toMatchObject({ path: 'image.repository', message: 'the repository is in us-east-1, but environment "test" deploys to eu-west-1' });
    expect(err.problems[0]!.location?.line).toBe(3);
  });
});

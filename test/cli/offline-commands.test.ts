import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCfnYamlDocument } from '../../src/descriptor/cfn-yaml.js';
import { ExitCode } from '../../src/errors.js';
import { cli } from '../helpers/cli.js';
import { exampleDir } from '../helpers/paths.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('shipper render', () => {
  it('prints the template as YAML with the image pinned', async () => {
    const run = await cli(['render', '--env', 'test', '--image-tag', 'v7', '--image-digest', DIGEST], { cwd: exampleDir });
    expect(run.code).toBe(ExitCode.ok);
    const template = parseCfnYamlDocument(run.stdout).toJS();
    expect(template.Parameters.ImageDigest.Default).toBe(DIGEST);
    expect(template.Parameters.ImageTag.Default).toBe('v7');
    // Offline, the sidecars' tags are not resolved: one plain line per image says so, and the
    // template carries the tag (a deploy always pins digests).
    const notes = run.stderr.trim().split('\n');
    expect(notes).toHaveLength(3);
    for (const sidecar of ['log-router', 'reverse-proxy', 'metrics-collector']) {
      expect(notes).toContainEqual(expect.stringMatching(new RegExp(`^note: sidecar ${sidecar} image public\\.ecr\\.aws/\\S+:\\S+ is unresolved \\(tag only\\)`)));
    }
    expect(run.stdout).toContain('public.ecr.aws/nginx/nginx:');
  });

  it('writes JSON to a file with -o', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR);
    const run = await cli(['render', '--env', 'test', '--format', 'json', '-o', 'out.json'], { cwd: dir });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/wrote out\.json \(svc-test, \d+ resources\)/);
    expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8')).Resources.AutoScalingGroup.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
  });

  it('rejects bad input with one located message, exit code 2, and no output', async () => {
    const { dir } = tempService(MINIMAL_DESCRIPTOR.replace('subnets:', 'subnet:'));
    const run = await cli(['render', '--env', 'test'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/shipper\.yml:6:3 network\.subnet: unknown key "subnet"/);
    expect(run.stderr).toMatch(/did you mean "subnets"\?/);
    expect(run.stderr).toMatch(/nothing was changed/);
  });

  it('rejects a malformed digest and an unknown flag as bad input', async () => {
    expect((await cli(['render', '--env', 'test', '--image-digest', 'latest'], { cwd: exampleDir })).code).toBe(ExitCode.badInput);
    const unknown = await cli(['render', '--env', 'test', '--imag-tag', 'x'], { cwd: exampleDir });
    expect(unknown.code).toBe(ExitCode.badInput);
    expect(unknown.stderr).toMatch(/unknown option '--imag-tag'/);
  });

  it('requires --env', async () => {
    const run = await cli(['render'], { cwd: exampleDir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/--env <name>/);
  });
});

describe('shipper validate', () => {
  it('checks the example completely, cfn-lint included', async () => {
    const run = await cli(['validate', '--env', 'prod'], { cwd: exampleDir });
    expect(run.stderr).toMatch(/^note: sidecar log-router image \S+ is unresolved/m);
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/^ok +descriptor .*environment prod, stack hello-prod/m);
    expect(run.stdout).toMatch(/^ok +fragment .*cloudformation\.yml merged \(2 resources\)/m);
    expect(run.stdout).toMatch(/^ok +cfn-lint/m);
  });

  it('turns a cfn-lint error in the fragment into bad input', async () => {
    const { dir } = tempService(`${MINIMAL_DESCRIPTOR}fragment: extra.yml\n`, {
      'extra.yml': 'Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: forever\n',
    });
    const run = await cli(['validate', '--env', 'test'], { cwd: dir });
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(/Resources\.Queue\.Properties\.VisibilityTimeout: cfn-lint E\d+/);
  });

  it('says plainly when cfn-lint is not installed rather than passing silently', async () => {
    const run = await cli(['validate', '--env', 'test'], { cwd: exampleDir, env: { PATH: '/nonexistent' } });
    expect(run.code).toBe(ExitCode.ok);
    expect(run.stdout).toMatch(/^skip cfn-lint is not installed/m);
  });
});

describe('shipper schema', () => {
  it('prints a JSON Schema an editor can use, with overlays and defaults', async () => {
    const run = await cli(['schema']);
    expect(run.code).toBe(ExitCode.ok);
    const schema = JSON.parse(run.stdout);
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(schema.properties.capacity.properties.desired.default).toBe(1);
    expect(schema.properties.environments.additionalProperties.properties.account).toBeDefined();
    expect(schema.additionalProperties).toBe(false);
  });
});

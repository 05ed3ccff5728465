import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { renderUserData, resolveUserData, userDataProperty } from '../../src/compose/user-data.js';
import { dockerRunOptions, encodeContainerSpec } from '../../src/compose/boot-containers.js';
import { BadInputError } from '../../src/errors.js';
import { DIGEST, TARGET_GROUP_ARN, examplePlan, sidecars } from './plan-fixture.js';
import { inlineBootScript } from './boot-run.js';

const values = { ImageDigest: DIGEST, TargetGroup: TARGET_GROUP_ARN };

/** The NUL-separated key/value pairs of a spec blob. */
function decodeSpec(blob: string): Array<[string, string]> {
  const tokens = gunzipSync(Buffer.from(blob, 'base64')).toString('utf8').split('\0').slice(0, -1);
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < tokens.length; i += 2) pairs.push([tokens[i], tokens[i + 1]]);
  return pairs;
}

/** The value assigned to a configuration variable in the resolved script. */
function assignment(script: string, name: string): string {
  const line = script.split('\n').find((l) => l.startsWith(`${name}=`));
  if (!line) throw new Error(`${name} is not assigned`);
  return line.slice(name.length + 1);
}

describe('renderUserData', () => {
  it('keeps the digest and the target group as intrinsics between literal quotes', () => {
    const parts = renderUserData(examplePlan());
    expect(parts).toContainEqual({ Ref: 'ImageDigest' });
    expect(parts).toContainEqual({ Ref: 'TargetGroup' });
    const digestAt = parts.findIndex((p) => typeof p === 'object' && (p as { Ref?: string }).Ref === 'ImageDigest');
    expect(parts[digestAt - 1]).toMatch(/ '123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/hello@$/);
    expect(parts[digestAt + 1]).toMatch(/^' /);
    // adjacent literals are merged: strings and intrinsics alternate
    parts.forEach((p, i) => {
      if (i > 0) expect(typeof p === 'string' && typeof parts[i - 1] === 'string').toBe(false);
    });
  });

  it('changes with the digest, so a new release is a new launch template version', () => {
    const a = resolveUserData(renderUserData(examplePlan()), values);
    const b = resolveUserData(renderUserData(examplePlan()), { ...values, ImageDigest: `sha256:${'cd34'.repeat(16)}` });
    expect(a).not.toBe(b);
    expect(a).toContain(`/hello@${DIGEST}'`);
  });

  it('starts with the shebang and the configuration, then the boot script without its comments', () => {
    const script = resolveUserData(renderUserData(examplePlan()), values);
    const lines = script.split('\n');
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines.slice(1, 12).map((l) => l.split('=')[0])).toEqual([
      'STACK_NAME', 'REGION', 'RESOURCE_ID', 'HEALTH_PATH', 'PROXY_PORT', 'HEALTH_INTERVAL', 'HEALTHY_THRESHOLD', 'BOOT_BUDGET', 'LAUNCH_HOOK', 'LOG_GROUP', 'TARGET_GROUP_ARN',
    ]);
    expect(assignment(script, 'BOOT_BUDGET')).toBe("'780'");
    expect(assignment(script, 'LOG_GROUP')).toBe("'/shipper/hello/test'");
    expect(assignment(script, 'STACK_NAME')).toBe("'hello-test'");
    expect(assignment(script, 'TARGET_GROUP_ARN')).toBe(`'${TARGET_GROUP_ARN}'`);
    expect(assignment(script, 'CONTAINER_NAMES')).toBe("('log-router' 'app' 'reverse-proxy' 'metrics-collector')");
    expect(lines.slice(1).some((l) => l.trimStart().startsWith('#'))).toBe(false);
    // the script travels gzipped and is sourced by the last line, in the same shell
    expect(lines.at(-2)).toBe('source <(printf %s "$BOOT_SCRIPT" | base64 -d | gunzip)');
    const inlined = inlineBootScript(script);
    expect(inlined).toContain('\nset -Eeuo pipefail\n');
    expect(inlined.split('\n').slice(1).some((l) => l.trimStart().startsWith('#'))).toBe(false);
    const body = readFileSync(new URL('../../templates/boot.sh', import.meta.url), 'utf8');
    expect(inlined.endsWith(`${body.trimEnd().split('\n').at(-1)}\n`)).toBe(true);
  });

  it('keeps the whole user data well inside 16 KB, with the example\'s sidecar configuration', () => {
    const script = resolveUserData(renderUserData(examplePlan()), values);
    expect(Buffer.byteLength(script)).toBeLessThan(12 * 1024);
  });

  it('assigns an empty target group when the service has none', () => {
    const script = resolveUserData(renderUserData(examplePlan({ targetGroupArn: undefined })), values);
    expect(assignment(script, 'TARGET_GROUP_ARN')).toBe("''");
  });

  it('accepts a literal target group ARN and a literal digest', () => {
    const parts = renderUserData(examplePlan({ targetGroupArn: TARGET_GROUP_ARN, app: { ...examplePlan().app, digest: DIGEST } }));
    expect(parts).toHaveLength(1);
    expect(resolveUserData(parts, {})).toContain(`TARGET_GROUP_ARN='${TARGET_GROUP_ARN}'`);
  });

  it('stays under the 16 KB EC2 user data limit for the example', () => {
    const script = resolveUserData(renderUserData(examplePlan()), values);
    expect(Buffer.byteLength(script, 'utf8')).toBeLessThan(16 * 1024);
  });

  it('refuses a plan whose user data EC2 would reject', () => {
    const [proxy, ...rest] = sidecars();
    const huge = { ...proxy, files: [{ hostPath: '/etc/shipper/reverse-proxy/nginx.conf', content: randomBytes(9000).toString('hex') }] };
    expect(() => renderUserData(examplePlan({ sidecars: [huge, ...rest] }))).toThrow(/user data would be about \d+ bytes; EC2 accepts at most 16384/);
  });

  it('names secrets by reference only', () => {
    const json = JSON.stringify(userDataProperty(examplePlan()));
    const script = resolveUserData(renderUserData(examplePlan()), values);
    const specs = [...script.matchAll(/'(H4sI[A-Za-z0-9+/=]+)'/g)].map((m) => decodeSpec(m[1])); // gzip blobs
    expect(specs.flat()).toContainEqual(['secret', 'DATABASE_PASSWORD=ssm:/hello/database-password']);
    expect(json).not.toMatch(/S3cr3t/);
  });

  it('carries each container spec as arguments, command, environment and files', () => {
    const spec = sidecars()[0];
    const pairs = decodeSpec(encodeContainerSpec({ ...spec, command: ['nginx', '-g', 'daemon off;'], environment: { A: "x'y\nz" } }));
    expect(pairs.filter(([k]) => k === 'arg').map(([, v]) => v)).toEqual(dockerRunOptions(spec));
    expect(pairs.filter(([k]) => k === 'cmd').map(([, v]) => v)).toEqual(['nginx', '-g', 'daemon off;']);
    expect(pairs).toContainEqual(['env', "A=x'y\nz"]);
    expect(pairs).toContainEqual(['file', `/etc/shipper/reverse-proxy/nginx.conf\n${spec.files[0].content}`]);
    // Deterministic: the same spec is the same bytes (a changed blob would replace the group).
    expect(encodeContainerSpec(spec)).toBe(encodeContainerSpec(structuredClone(spec)));
    expect(Buffer.from(encodeContainerSpec(spec), 'base64').subarray(4, 8)).toEqual(Buffer.alloc(4));
  });

  it('wraps the parts for a launch template', () => {
    const plan = examplePlan();
    expect(userDataProperty(plan)).toEqual({ 'Fn::Base64': { 'Fn::Join': ['', renderUserData(plan)] } });
  });

  describe('refuses what the instance could not run', () => {
    const bad: Array<[string, () => unknown]> = [
      ['a sidecar image not pinned by digest', () => renderUserData(examplePlan({ sidecars: [{ ...sidecars()[0], image: 'nginx:latest' }] }))],
      ['two containers with one name', () => renderUserData(examplePlan({ sidecars: [sidecars()[0], sidecars()[0]] }))],
      ['a sidecar named app', () => renderUserData(examplePlan({ sidecars: [{ ...sidecars()[0], name: 'app' }] }))],
      ['an invalid variable name', () => renderUserData(examplePlan({ app: { ...examplePlan().app, environment: { 'A-B': 'x' } } }))],
      ['a NUL in a value', () => renderUserData(examplePlan({ app: { ...examplePlan().app, environment: { A: 'x\0y' } } }))],
      ['a variable that is both plain and secret', () => renderUserData(examplePlan({ app: { ...examplePlan().app, environment: { DATABASE_PASSWORD: 'x' } } }))],
      ['a relative file path', () => renderUserData(examplePlan({ sidecars: [{ ...sidecars()[0], files: [{ hostPath: 'etc/x', content: '' }] }] }))],
      ['a file path escaping with ..', () => renderUserData(examplePlan({ sidecars: [{ ...sidecars()[0], files: [{ hostPath: '/etc/shipper/../x', content: '' }] }] }))],
      ['a zero health threshold', () => renderUserData(examplePlan({ health: { ...examplePlan().health, healthyThreshold: 0 } }))],
    ];
    it.each(bad)('%s', (_, render) => {
      expect(render).toThrow(BadInputError);
    });
  });
});

describe('resolveUserData', () => {
  it('substitutes Ref, Fn::GetAtt and Fn::Sub', () => {
    const parts = ['a=', { Ref: 'X' }, ' b=', { 'Fn::GetAtt': ['Res', 'Arn'] }, ' c=', { 'Fn::Sub': '${X}-${!Literal}' }];
    expect(resolveUserData(parts, { X: '1', 'Res.Arn': 'arn:2' })).toBe('a=1 b=arn:2 c=1-${Literal}');
  });

  it('refuses a missing value or an unknown intrinsic', () => {
    expect(() => resolveUserData([{ Ref: 'ImageDigest' }], {})).toThrow(/ImageDigest/);
    expect(() => resolveUserData([{ 'Fn::ImportValue': 'x' }], {})).toThrow(BadInputError);
  });
});

describe('the app container without the reverse proxy', () => {
  const appArgs = (plan: ReturnType<typeof examplePlan>) => {
    const script = resolveUserData(renderUserData(plan), values);
    const names = /^CONTAINER_NAMES=\((.*)\)$/m.exec(script)![1]!.split(' ');
    const specs = [...script.matchAll(/'(H4sI[A-Za-z0-9+/=]+)'/g)].map((m) => decodeSpec(m[1]!));
    return specs[names.indexOf("'app'")]!.filter(([k]) => k === 'arg').map(([, v]) => v);
  };

  it('is published on its own port, since the load balancer and the health check reach it directly', () => {
    const plan = examplePlan({ sidecars: sidecars().filter((s) => s.name !== 'reverse-proxy') });
    expect(appArgs({ ...plan, health: { ...plan.health, proxyPort: plan.app.port } })).toEqual(expect.arrayContaining(['--publish', `${plan.app.port}:${plan.app.port}`]));
  });

  it('is not published behind the proxy', () => {
    expect(appArgs(examplePlan())).not.toContain('--publish');
  });
});

import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadInputError } from '../../src/errors.js';
import type { IamStatement, SidecarContribution } from '../../src/compose/containers.js';
import { composeSidecars } from '../../src/compose/sidecars/index.js';
import { DEFAULT_SIDECARS_DIR } from '../../src/compose/sidecars/files.js';
import { DIGEST_A, DIGEST_B, input, service } from './fixtures.js';


const names = (contributions: SidecarContribution[]) => contributions.map((c) => c.container.name);
const allStatements = (contributions: SidecarContribution[]): IamStatement[] => contributions.flatMap((c) => c.iamStatements);

const custom = {
  name: 'otel-agent',
  image: `registry.example.com/otel/agent@${DIGEST_A}`,
  command: ['--config', '/etc/otel.yml'],
  environment: { OTEL_LOG_LEVEL: 'info' },
  ports: [4317],
};

const everything = () =>
  service({
    sidecars: {
      'metrics-collector': { prometheus: {} },
      'log-router': { output: 'splunk', splunk: { host: 'hec.example.com', token: { ssm: '/hello/hec' } } },
      custom: [custom],
    },
  });

describe('composeSidecars', () => {
  it('finds the shipped sidecars directory from the module', () => {
    expect(existsSync(join(DEFAULT_SIDECARS_DIR, 'reverse-proxy', 'nginx.conf.tmpl'))).toBe(true);
  });

  it('returns the built-in sidecars in start order, log router first', () => {
    expect(names(composeSidecars(input()))).toEqual(['log-router', 'reverse-proxy', 'metrics-collector']);
  });

  it('adds custom sidecars last, as declared', () => {
    const contributions = composeSidecars(input(service({ sidecars: { custom: [custom] } })));
    expect(names(contributions)).toEqual(['log-router', 'reverse-proxy', 'metrics-collector', 'otel-agent']);
    expect(contributions[3]).toEqual({
      container: {
        name: 'otel-agent',
        image: custom.image,
        files: [],
        mounts: [],
        publish: [[4317, 4317]],
        environment: { OTEL_LOG_LEVEL: 'info' },
        command: ['--config', '/etc/otel.yml'],
        memory: { limitMiB: 256 },
        logsToRouter: true,
      },
      iamStatements: [],
      resources: {},
    });
  });

  it('omits disabled sidecars and what they would add to the stack', () => {
    const svc = service({ sidecars: { 'reverse-proxy': { enabled: false }, 'metrics-collector': { enabled: false } } });
    const contributions = composeSidecars(input(svc));
    expect(names(contributions)).toEqual(['log-router']);
    expect(allStatements(contributions).some((s) => s.Action.includes('cloudwatch:PutMetricData'))).toBe(false);
  });

  it('stops sending logs to the router when the router is disabled', () => {
    const svc = service({ sidecars: { 'log-router': { enabled: false }, custom: [custom] } });
    const contributions = composeSidecars(input(svc));
    expect(names(contributions)).toEqual(['reverse-proxy', 'metrics-collector', 'otel-agent']);
    expect(contributions.map((c) => c.container.logsToRouter)).toEqual([false, false, false]);
    expect(contributions.flatMap((c) => Object.keys(c.resources))).not.toContain('AppLogGroup');
  });

  it('uses image overrides as written; the defaults name a tag that deploys resolve', () => {
    const proxyImage = `registry.example.com/nginx:1.27@${DIGEST_B}`;
    const contributions = composeSidecars(input(service({ sidecars: { 'reverse-proxy': { image: proxyImage }, custom: [custom] } })));
    expect(contributions.find((c) => c.container.name === 'reverse-proxy')!.container.image).toBe(proxyImage);
    // A digest written in defaults.yml was never checked against its registry: the defaults name tags.
    for (const c of composeSidecars(input())) expect(c.container.image).toMatch(/^public\.ecr\.aws\/[a-z0-9/_.-]+:[\w.-]+$/);
  });

  it('grants least privilege: no wildcard actions, log writes scoped to their groups', () => {
    for (const svc of [service({ sidecars: { 'metrics-collector': { prometheus: {} } } }), everything()]) {
      const contributions = composeSidecars(input(svc));
      const resources = Object.assign({}, ...contributions.map((c) => c.resources)) as Record<string, { Type: string }>;
      for (const statement of allStatements(contributions)) {
        expect(statement.Effect).toBe('Allow');
        for (const action of statement.Action) expect(action).toMatch(/^[a-z0-9]+:[A-Za-z]+$/);
        if (statement.Action.some((a) => a.startsWith('logs:'))) {
          const [logicalId, attribute] = (statement.Resource as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
          expect(attribute).toBe('Arn');
          expect(resources[logicalId]?.Type).toBe('AWS::Logs::LogGroup');
        }
        if (statement.Resource === '*') {
          // Only actions without resource-level permissions, and metrics only within a namespace.
          expect(statement.Action.every((a) => ['cloudwatch:PutMetricData', 'ec2:DescribeTags'].includes(a))).toBe(true);
          if (statement.Action.includes('cloudwatch:PutMetricData')) expect(statement.Condition).toBeDefined();
        }
      }
    }
  });

  it('refuses a custom sidecar that takes a built-in name or a published port', () => {
    const named = service({ sidecars: { custom: [{ ...custom, name: 'reverse-proxy' }] } });
    expect(() => composeSidecars(input(named))).toThrow(BadInputError);
    const clash = service({ sidecars: { custom: [{ ...custom, ports: [80] }] } });
    expect(() => composeSidecars(input(clash))).toThrow(/host port 80 is already published by reverse-proxy/);
    const twice = service({ sidecars: { custom: [custom, { ...custom, ports: [] }] } });
    expect(() => composeSidecars(input(twice))).toThrow(/"otel-agent" already runs/);
    // Moving the proxy frees port 80.
    const moved = service({ sidecars: { 'reverse-proxy': { listenPort: 8081 }, custom: [{ ...custom, ports: [80] }] } });
    expect(names(composeSidecars(input(moved)))).toContain('otel-agent');
  });

  it('reads defaults from another sidecars directory and rejects a default image that is not a tag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shipper-sidecars-'));
    try {
      cpSync(DEFAULT_SIDECARS_DIR, dir, { recursive: true });
      const defaults = join(dir, 'metrics-collector', 'defaults.yml');
      writeFileSync(defaults, readFileSync(defaults, 'utf8').replace(/^image: .*$/m, `image: public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1@${DIGEST_B}`));
      expect(() => composeSidecars(input(service(), { sidecarsDir: dir }))).toThrow(/metrics-collector\/defaults\.yml: image must name a tag/);
      // A bad default is harmless when the sidecar is off.
      const off = service({ sidecars: { 'metrics-collector': { enabled: false } } });
      expect(names(composeSidecars(input(off, { sidecarsDir: dir })))).toEqual(['log-router', 'reverse-proxy']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is a pure function of its input', () => {
    expect(composeSidecars(input(everything()))).toEqual(composeSidecars(input(everything())));
  });
});

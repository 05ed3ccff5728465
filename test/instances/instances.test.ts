/**
 * Instances offline: the descriptor's opt-in, the rendered template (cfn-lint), the priority
 * band, the owner tag, and the deployer policy of an environment with instances.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { candidatePriorities, pickFreePriority, priorityInUse } from '../../src/instances/listener-priority.js';
import { ownerTag } from '../../src/instances/stack-settings.js';
import { parseTtl } from '../../src/instances/ttl.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { resolveTarget } from '../../src/instances/resolve.js';
import { logSources } from '../../src/logs/query.js';
import { cli } from '../helpers/cli.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir } from '../helpers/paths.js';

const withInstances = (block = '    instances:\n      ttl: 3d\n') => editedExample(exampleDir, (text) => text.replace('    region: eu-west-1\n', `    region: eu-west-1\n${block}`));

async function render(dir: string, ...flags: string[]) {
  const run = await cli(['render', '--env', 'test', '--format', 'json', ...flags], { cwd: dir });
  return { ...run, template: run.code === 0 ? JSON.parse(run.stdout) : undefined };
}

describe('render --instance (offline)', () => {
  it("renders the instance's stack: its host on the rule, the priority left to deploy, its own log groups, no schedules, one instance; cfn-lint passes", async () => {
    const { code, template, stderr } = await render(withInstances(), '--instance', 'pr-123', '--image-digest', `sha256:${'2'.repeat(64)}`);
    expect(code).toBe(ExitCode.ok);
    expect(stderr).toMatch(/hello-test-pr-123|unresolved/);
    const rule = template.Resources.ListenerRule.Properties;
    expect(rule.Priority).toEqual({ Ref: 'ListenerRulePriority' });
    expect(template.Parameters.ListenerRulePriority).toMatchObject({ Type: 'Number', MinValue: 1, MaxValue: 50000 });
    expect(template.Parameters.ListenerRulePriority.Default).toBeUndefined();
    expect(rule.Conditions).toEqual([{ Field: 'host-header', HostHeaderConfig: { Values: ['pr-123.hello.test.example.com'] } }]);
    expect(template.Resources.DnsRecord.Properties.Name).toBe('pr-123.hello.test.example.com');
    expect(template.Resources.AppLogGroup.Properties.LogGroupName).toBe('/shipper/hello/test/instances/pr-123');
    expect(template.Resources.PrometheusLogGroup.Properties.LogGroupName).toBe('/shipper/hello/test/instances/pr-123/prometheus');
    expect(Object.values(template.Resources).filter((r) => (r as { Type: string }).Type === 'AWS::AutoScaling::ScheduledAction')).toEqual([]);
    expect(template.Parameters.DesiredCapacity).toMatchObject({ Default: 1, MinValue: 1, MaxValue: 2 });
    expect(template.Outputs.InstanceUrl.Value).toBe('https://pr-123.hello.test.example.com/');
    expect(template.Resources.AutoScalingGroup.Properties.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: 'shipper:instance', Value: 'pr-123' })]));
    expect(await cfnLintErrors(template)).toBe('');
  }, 60_000);

  it('takes the host pattern and the capacity an environment declares for its instances', async () => {
    const dir = withInstances('    instances:\n      dnsName: "{instance}.preview.example.com"\n      capacity: {min: 1, desired: 2, max: 3}\n');
    const { template } = await render(dir, '--instance', 'pr-7');
    expect(template.Resources.ListenerRule.Properties.Conditions[0].HostHeaderConfig.Values).toEqual(['pr-7.preview.example.com']);
    expect(template.Resources.DnsRecord.Properties.Name).toBe('pr-7.preview.example.com');
    expect(template.Parameters.DesiredCapacity).toMatchObject({ Default: 2, MinValue: 1, MaxValue: 3 });
  });

  it('the main stack renders as before: no priority parameter, no instance output', async () => {
    const { template } = await render(withInstances());
    expect(template.Resources.ListenerRule.Properties.Priority).toBe(120);
    expect(template.Parameters.ListenerRulePriority).toBeUndefined();
    expect(template.Outputs.InstanceUrl).toBeUndefined();
  });

  it.each([
    ['    instances:\n      ttl: forever\n', /environments\.test\.instances\.ttl: "forever" is not a time to live/],
    ['    instances:\n      dnsName: preview.example.com\n', /environments\.test\.instances\.dnsName: must be a host name with \{instance\}/],
    ['    instances:\n      ttls: 3d\n', /unknown key "ttls".*did you mean "ttl"/s],
  ])('a bad instances block is refused at its line (%#)', async (block, message) => {
    const run = await render(withInstances(block), '--instance', 'pr-1');
    expect(run.code).toBe(ExitCode.badInput);
    expect(run.stderr).toMatch(message);
  });
});

describe('logs of an instance', () => {
  it("reads the instance's own log group, never the main stack's", () => {
    const dir = withInstances();
    const main = loadServiceEnvironment({ env: 'test', cwd: dir });
    const instance = resolveTarget(main, { instance: 'pr-123' });
    expect(logSources(main, {}).query.logGroupName).toBe('/shipper/hello/test');
    expect(logSources(instance, {}).query.logGroupName).toBe('/shipper/hello/test/instances/pr-123');
  });
});

describe('the priority of an instance rule', () => {
  it('above the main rule when it matches a host (order does not matter), below it when it matches any host', () => {
    expect(candidatePriorities({ mainPriority: 120, mainHasHostHeader: true }).slice(0, 3)).toEqual([121, 122, 123]);
    expect(candidatePriorities({ mainPriority: 120, mainHasHostHeader: false }).slice(0, 3)).toEqual([119, 118, 117]);
    expect(candidatePriorities({ mainPriority: 1, mainHasHostHeader: false })).toEqual([]);
    expect(candidatePriorities({ mainPriority: 49_999, mainHasHostHeader: true })).toEqual([50_000]);
  });

  it('skips taken priorities and the one that just lost a race', () => {
    const req = { listenerArn: 'l', mainPriority: 120, mainHasHostHeader: true, avoid: [123] };
    expect(pickFreePriority(req, new Set([120, 121, 122]))).toBe(124);
  });

  it("reads CloudFormation's PriorityInUse reason", () => {
    expect(priorityInUse("Priority '26' is currently in use (Service: AmazonElasticLoadBalancingV2; Status Code: 400; Error Code: PriorityInUse; Request ID: x)")).toBe(26);
    expect(priorityInUse('Resource handler returned message: "The security group does not exist"')).toBeUndefined();
  });
});

describe('instance tags and time to live', () => {
  it('owner: the person behind a CI build, else the deployer; only characters every tagged resource accepts', () => {
    expect(ownerTag('buildkite (Jane Doe)')).toBe('Jane Doe');
    expect(ownerTag('alice@laptop')).toBe('alice@laptop');
    expect(ownerTag('github-actions (octo-cat)')).toBe('octo-cat');
    expect(ownerTag('bob (deployer)@host')).toBe('bob -deployer-@host');
  });

  it('ttl: days, hours, minutes; never zero, never more than 90 days', () => {
    expect(parseTtl('3d')).toEqual({ ms: 3 * 86_400_000 });
    expect(parseTtl('1d12h')).toEqual({ ms: 36 * 3_600_000 });
    expect(parseTtl('90m')).toEqual({ ms: 90 * 60_000 });
    expect(parseTtl('0d')).toHaveProperty('problem');
    expect(parseTtl('91d')).toHaveProperty('problem');
    expect(parseTtl('3 days')).toHaveProperty('problem');
  });
});

describe('the deployer policy of an environment with instances', () => {
  it("also covers every instance's stack, history and log groups, and reading the listener's rules; prod's stays as it was", async () => {
    const dir = withInstances();
    const test = JSON.parse((await cli(['policy', '--env', 'test'], { cwd: dir })).stdout);
    const resources = test.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
    const actions = test.Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(resources).toEqual(
      expect.arrayContaining([
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-test/*',
        'arn:aws:cloudformation:eu-west-1:123456789012:stack/hello-test-*/*',
        'arn:aws:ssm:eu-west-1:123456789012:parameter/shipper/hello/test/instances/*',
        'arn:aws:logs:eu-west-1:123456789012:log-group:/shipper/hello/test/instances/*',
      ]),
    );
    expect(actions).toContain('elasticloadbalancing:DescribeRules');
    const prod = JSON.parse((await cli(['policy', '--env', 'prod'], { cwd: dir })).stdout);
    expect(prod.Statement.flatMap((s: { Action: string[] }) => s.Action)).not.toContain('elasticloadbalancing:DescribeRules');
    expect(JSON.stringify(prod)).not.toMatch(/instances|hello-prod-\*/);
  });
});

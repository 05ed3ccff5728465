/**
 * What the rendered template does to live traffic during a replacement: separate, additive
 * ingress rules; a target group that ramps new instances up and drains leaving ones for at least
 * the proxy's read timeout; partition-aware ARNs; bounded sidecar memory. cfn-lint checks each.
 */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { composeStack } from '../../src/compose/stack.js';
import { templateProblems } from '../../src/compose/checks.js';
import { composeSidecars } from '../../src/compose/sidecars/index.js';
import { dockerRunOptions } from '../../src/compose/boot-containers.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DIGEST = `sha256:${'a'.repeat(64)}`;
const example = (env = 'test') => loadServiceEnvironment({ file: exampleDescriptor, env });
const render = (target = example()) => composeStack(target, { imageTag: 'v1', imageDigest: DIGEST }) as Any;

describe('security group ingress', () => {
  it('is a separate rule resource per port and source, never inline on the group', async () => {
    const { file } = tempService(MINIMAL_DESCRIPTOR.replace('  subnets: [subnet-0a1b2c3d]\n', '  subnets: [subnet-0a1b2c3d]\n  ingressCidrs: [10.0.0.0/8]\n'));
    const template = render(loadServiceEnvironment({ file, env: 'test' }));
    expect(template.Resources.InstanceSecurityGroup.Properties.SecurityGroupIngress).toBeUndefined();
    expect(template.Resources.IngressTcp80From10d0d0d0s8).toEqual({
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { 'Fn::GetAtt': ['InstanceSecurityGroup', 'GroupId'] }, IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '10.0.0.0/8', Description: 'declared ingress to reverse proxy' },
    });
    expect(await cfnLintErrors(template)).toBe('');
  });

  it('gets a new logical id when the port changes, so the old rule is removed only in cleanup', () => {
    const before = Object.keys(render().Resources).filter((id) => id.startsWith('Ingress'));
    const target = example();
    target.service.sidecars['reverse-proxy'].listenPort = 8081;
    const after = Object.keys(render(target).Resources).filter((id) => id.startsWith('Ingress'));
    expect(before).toEqual(['IngressTcp80FromSg0123456789abcdef0']);
    expect(after).toEqual(['IngressTcp8081FromSg0123456789abcdef0']);
  });
});

describe('the target group during the overlap', () => {
  it('ramps new instances up (slow start) and drains leaving ones for the proxy read timeout plus a margin', () => {
    const tg = render().Resources.TargetGroup.Properties;
    expect(tg.TargetGroupAttributes).toEqual([
      { Key: 'deregistration_delay.timeout_seconds', Value: '70' },
      { Key: 'slow_start.duration_seconds', Value: '60' },
    ]);
    expect(tg).toMatchObject({ HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 5, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2 });
  });

  it('follows a longer proxy read timeout, and a derived health-check timeout stays below a 5 s interval', async () => {
    const target = example();
    target.service.sidecars['reverse-proxy'].proxyReadTimeoutSeconds = 300;
    target.service.healthCheck.intervalSeconds = 5;
    const template = render(target);
    expect(template.Resources.TargetGroup.Properties.TargetGroupAttributes[0].Value).toBe('310');
    expect(template.Resources.TargetGroup.Properties.HealthCheckTimeoutSeconds).toBe(4);
    expect(await cfnLintErrors(template)).toBe('');
  });
});

describe('scheduled actions', () => {
  it('render per environment with their time zone; prod has none', async () => {
    const test = render();
    expect(test.Resources.ScheduledActionScaleInAtNight.Properties).toMatchObject({ Recurrence: '0 20 * * *', TimeZone: 'Europe/Dublin', DesiredCapacity: 1 });
    expect(Object.keys(render(example('prod')).Resources).filter((id) => id.startsWith('ScheduledAction'))).toEqual([]);
    expect(await cfnLintErrors(test)).toBe('');
  });
});

describe('partitions', () => {
  it('builds no ARN with a fixed partition, and passes cfn-lint in a China region', async () => {
    const { file } = tempService(MINIMAL_DESCRIPTOR.replace('region: eu-west-1', 'region: cn-north-1'));
    const target = loadServiceEnvironment({ file, env: 'test' });
    const template = render(target);
    expect(JSON.stringify(template)).not.toMatch(/arn:aws[:-]/);
    expect(JSON.stringify(template)).toContain('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/svc');
    expect(template.Resources.InstanceRole.Properties.Policies[0].PolicyDocument.Statement.find((s: Any) => s.Sid === 'EcrPull').Resource).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ecr:cn-north-1:123456789012:repository/svc' },
    ]);
    expect(await cfnLintErrors(template, 'cn-north-1')).toBe('');
    expect(templateProblems(composeStack(target))).toEqual([]);
  });
});

describe('sidecar memory', () => {
  const target = example();
  const sidecars = composeSidecars({ service: target.service, env: 'test', stackName: 'hello-test', region: 'eu-west-1', accountId: '123456789012' });
  const memoryArgs = (name: string) => {
    const args = dockerRunOptions(sidecars.find((s) => s.container.name === name)!.container);
    return [args[args.indexOf('--memory') + 1], args[args.indexOf('--memory-reservation') + 1]];
  };

  it('limits every sidecar container with defaults from its defaults.yml', () => {
    expect(memoryArgs('reverse-proxy')).toEqual(['128m', '32m']);
    expect(memoryArgs('log-router')).toEqual(['256m', '64m']);
    expect(memoryArgs('metrics-collector')).toEqual(['256m', '64m']);
  });

  it('takes a per-sidecar override, and bounds Fluent Bit\'s input buffer by its container limit', () => {
    const t = example();
    t.service.sidecars['log-router'].memoryMiB = 512;
    const router = composeSidecars({ service: t.service, env: 'test', stackName: 'hello-test', region: 'eu-west-1', accountId: '123456789012' }).find((s) => s.container.name === 'log-router')!;
    const args = dockerRunOptions(router.container);
    expect(args.slice(args.indexOf('--memory'), args.indexOf('--memory') + 2)).toEqual(['--memory', '512m']);
    expect(router.container.files[0]!.content).toMatch(/^\s+Mem_Buf_Limit\s+128MB$/m);
    const defaults = sidecars.find((s) => s.container.name === 'log-router')!;
    expect(defaults.container.files[0]!.content).toMatch(/^\s+Mem_Buf_Limit\s+64MB$/m);
  });

  it('never limits the app container', () => {
    const app = { name: 'app', image: 'x', files: [], mounts: [], publish: [], environment: {}, logsToRouter: true };
    expect(dockerRunOptions(app)).not.toContain('--memory');
  });
});

describe('template checks on resources a fragment could add', () => {
  it('refuses a target group whose timeout is not below its interval, and a scheduled action with an unknown time zone', () => {
    const template = render();
    template.Resources.FragmentTargetGroup = { Type: 'AWS::ElasticLoadBalancingV2::TargetGroup', Properties: { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 } };
    template.Resources.FragmentSchedule = { Type: 'AWS::AutoScaling::ScheduledAction', Properties: { Recurrence: '0 1 * * *', TimeZone: 'Mars/Olympus' } };
    const paths = templateProblems(template as never).map((p) => p.path);
    expect(paths).toEqual(['Resources.FragmentSchedule.Properties.TimeZone', 'Resources.FragmentTargetGroup.Properties.HealthCheckTimeoutSeconds']);
  });
});

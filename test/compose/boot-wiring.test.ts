/**
 * How the composed stack and the boot script fit together: the group's launch hook, the boot
 * budget and the signal timeout, the instance role's permissions for the hook, the signal guard
 * and the boot log, and the log group the boot log goes to whatever the log router's output.
 */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { composeStack } from '../../src/compose/stack.js';
import { templateProblems } from '../../src/compose/checks.js';
import type { CfnTemplate } from '../../src/compose/template.js';
import { resolveUserData, type CfnValue } from '../../src/compose/user-data.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const DIGEST = `sha256:${'a'.repeat(64)}`;

function compose(extra = '', file?: string): Any {
  const descriptor = file ?? tempService(MINIMAL_DESCRIPTOR + extra).file;
  return composeStack(loadServiceEnvironment({ file: descriptor, env: 'test' }), { imageDigest: DIGEST }) as Any;
}

function script(template: Any): string {
  const parts: CfnValue[] = template.Resources.LaunchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
  return resolveUserData(parts, { ImageDigest: DIGEST, TargetGroup: 'arn:tg' });
}

const setting = (text: string, name: string) => text.split('\n').find((l) => l.startsWith(`${name}=`))?.slice(name.length + 1);
const statements = (template: Any): Any => Object.fromEntries(template.Resources.InstanceRole.Properties.Policies[0].PolicyDocument.Statement.map((s: Any) => [s.Sid, s]));

describe('boot budget and launch hook', () => {
  it('holds new instances in Pending:Wait until the boot script says CONTINUE, abandoning them if it never does', () => {
    const asg = compose(`signalTimeout: PT20M\n`).Resources.AutoScalingGroup;
    expect(asg.Properties.LifecycleHookSpecificationList).toEqual([
      { LifecycleHookName: 'shipper-boot', LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', HeartbeatTimeout: 1200, DefaultResult: 'ABANDON' },
    ]);
    expect(asg.Properties.HealthCheckGracePeriod).toBe(300);
  });

  it('gives the boot script the signal timeout less the margin, counted from its own start', () => {
    const text = script(compose(`signalTimeout: PT20M\n`));
    expect(setting(text, 'BOOT_BUDGET')).toBe("'1080'");
    expect(setting(text, 'LAUNCH_HOOK')).toBe("'shipper-boot'");
  });

  it.each([
    ['PT4M', /boot budget of 120s/],
    ['PT3H', /longer than the 7200s a launch lifecycle hook can hold an instance/],
  ])('refuses a signal timeout of %s, which no boot could keep', (timeout, message) => {
    const problems = templateProblems(compose(`signalTimeout: ${timeout}\n`) as CfnTemplate);
    expect(problems).toEqual([expect.objectContaining({ path: 'Resources.AutoScalingGroup.CreationPolicy.ResourceSignal.Timeout', message: expect.stringMatching(message) })]);
  });

  it.each(['PT5M', 'PT2H'])('accepts %s', (timeout) => {
    expect(templateProblems(compose(`signalTimeout: ${timeout}\n`) as CfnTemplate)).toEqual([]);
  });

  it('refuses a fragment that shortens the hook below the boot budget', () => {
    const template = compose(`signalTimeout: PT20M\n`);
    template.Resources.AutoScalingGroup.Properties.LifecycleHookSpecificationList[0].HeartbeatTimeout = 600;
    expect(templateProblems(template as CfnTemplate).map((p) => p.path)).toEqual(['Resources.AutoScalingGroup.Properties.LifecycleHookSpecificationList[shipper-boot].HeartbeatTimeout']);
  });
});

describe('instance role for the boot script', () => {
  it('may complete the launch hook of this stack\'s groups only, find its own group, and read its stack resource', () => {
    const bySid = statements(compose());
    expect(bySid.BootCompletesLaunchHook).toEqual({
      Sid: 'BootCompletesLaunchHook',
      Effect: 'Allow',
      Action: ['autoscaling:CompleteLifecycleAction'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:autoscaling:${AWS::Region}:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/${AWS::StackName}-AutoScalingGroup-*' },
    });
    expect(bySid.BootFindsItsGroup).toMatchObject({ Action: ['autoscaling:DescribeAutoScalingInstances'], Resource: '*' });
    expect(bySid.BootReadsItsStackResource).toMatchObject({ Action: ['cloudformation:DescribeStackResource'], Resource: { Ref: 'AWS::StackId' } });
  });

  it('may write only boot/ streams of the app log group for the boot log', () => {
    const bySid = statements(compose());
    expect(bySid.BootLeavesItsLogOnFailure).toEqual({
      Sid: 'BootLeavesItsLogOnFailure',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/shipper/svc/test:log-stream:boot/*' },
    });
  });
});

describe('the boot log group', () => {
  it('is the app log group the log router writes to, named in the user data', async () => {
    const template = compose(`sidecars:\n  log-router:\n    logGroup: /teams/svc/app\n`);
    expect(setting(script(template), 'LOG_GROUP')).toBe("'/teams/svc/app'");
    expect(template.Resources.AppLogGroup.Properties.LogGroupName).toBe('/teams/svc/app');
    expect(await cfnLintErrors(template)).toBe('');
  });

  it('exists even when the log router ships to Splunk, so a failed boot can still leave its log', async () => {
    const template = compose(
      `secrets: {}\nsidecars:\n  log-router:\n    output: splunk\n    splunk: {host: splunk.example.com, port: 8088, token: {ssm: /svc/splunk-token}}\n`,
    );
    // Retained like the log router's own group, so a failed first create leaves it readable.
    expect(template.Resources.AppLogGroup).toMatchObject({ Type: 'AWS::Logs::LogGroup', DeletionPolicy: 'Retain', Properties: { LogGroupName: '/shipper/svc/test', RetentionInDays: 30 } });
    expect(setting(script(template), 'LOG_GROUP')).toBe("'/shipper/svc/test'");
    expect(await cfnLintErrors(template)).toBe('');
  });

  it('is the example\'s own log group in both environments', () => {
    for (const env of ['test', 'prod']) {
      const template = composeStack(loadServiceEnvironment({ file: exampleDescriptor, env }), { imageDigest: DIGEST }) as Any;
      expect(setting(script(template), 'LOG_GROUP')).toBe(`'${template.Resources.AppLogGroup.Properties.LogGroupName}'`);
    }
  });
});

import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { parseCfnYamlDocument, stringifyCfnYaml } from '../../src/descriptor/cfn-yaml.js';
import { composeStack } from '../../src/compose/stack.js';
import type { CfnTemplate } from '../../src/compose/template.js';
import { templateProblems } from '../../src/compose/checks.js';
import { resolveUserData, type CfnValue } from '../../src/compose/user-data.js';
import { BadInputError } from '../../src/errors.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;
const load = (env: string, file = exampleDescriptor) => loadServiceEnvironment({ file, env });
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function userDataParts(template: Any): CfnValue[] {
  return template.Resources.LaunchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
}

describe('the composed stack', () => {
  it.each(['test', 'prod'])('passes cfn-lint for the example in %s', async (env) => {
    const template = composeStack(load(env), { imageTag: 'v1', imageDigest: DIGEST_A });
    expect(await cfnLintErrors(template)).toBe('');
    expect(templateProblems(template)).toEqual([]);
  });

  it('passes cfn-lint for a minimal descriptor (no load balancer, no fragment, defaults everywhere)', async () => {
    const { file } = tempService(MINIMAL_DESCRIPTOR);
    const template = composeStack(load('test', file));
    expect(await cfnLintErrors(template)).toBe('');
  });

  it('replaces the group through CloudFormation, waiting for one signal per instance', () => {
    const asg = (composeStack(load('test'), { imageDigest: DIGEST_A }) as Any).Resources.AutoScalingGroup;
    expect(asg.UpdatePolicy.AutoScalingReplacingUpdate).toEqual({ WillReplace: true });
    expect(asg.CreationPolicy.ResourceSignal).toEqual({ Count: { Ref: 'DesiredCapacity' }, Timeout: 'PT15M' });
    expect(asg.Properties.DesiredCapacity).toEqual({ Ref: 'DesiredCapacity' });
    expect(asg.Properties.LaunchTemplate.Version).toEqual({ 'Fn::GetAtt': ['LaunchTemplate', 'LatestVersionNumber'] });
    expect(asg.Properties.TargetGroupARNs).toEqual([{ Ref: 'TargetGroup' }]);
  });

  it('pins the image by digest in the user data, so a new image is a new launch template version', () => {
    const template = composeStack(load('test'), { imageDigest: DIGEST_A }) as Any;
    const parts = userDataParts(template);
    expect(parts).toContainEqual({ Ref: 'ImageDigest' });
    const a = resolveUserData(parts, { ImageDigest: DIGEST_A, TargetGroup: 'arn:tg' });
    const b = resolveUserData(parts, { ImageDigest: DIGEST_B, TargetGroup: 'arn:tg' });
    expect(a).toContain(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/hello@${DIGEST_A}`);
    expect(a).not.toEqual(b);
    expect(template.Parameters.ImageDigest.Default).toBe(DIGEST_A);
  });

  it('carries a scaled-out live capacity into the new group and its signal count', () => {
    const template = composeStack(load('test'), { imageDigest: DIGEST_A, desiredCapacity: 4 }) as Any;
    expect(template.Parameters.DesiredCapacity.Default).toBe(4);
    expect(templateProblems(template as CfnTemplate)).toEqual([]);
  });

  it('never waits for more signals than the group can hold', () => {
    const template = composeStack(load('test'), { imageDigest: DIGEST_A, desiredCapacity: 6 });
    const problems = templateProblems(template);
    expect(problems.map((p) => p.path)).toContain('Resources.AutoScalingGroup.CreationPolicy.ResourceSignal.Count');
  });

  it('gives the instance role least privilege', () => {
    const role = (composeStack(load('test'), { imageDigest: DIGEST_A }) as Any).Resources.InstanceRole;
    const statements: Any[] = role.Properties.Policies[0].PolicyDocument.Statement;
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(bySid.EcrPull.Resource).toEqual([{ 'Fn::Sub': 'arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/hello' }]);
    expect(bySid.SignalThisStack).toMatchObject({ Action: ['cloudformation:SignalResource'], Resource: { Ref: 'AWS::StackId' } });
    expect(JSON.stringify(bySid.ReadDeclaredParameters.Resource)).toContain('parameter/hello/database-password');
    for (const s of statements) {
      for (const action of s.Action) expect(action).not.toMatch(/\*/);
      // Only the actions AWS offers no resource-level permissions for may use "*".
      if (s.Resource === '*') expect(s.Action.every((a: string) => /GetAuthorizationToken|DescribeTargetHealth|PutMetricData|DescribeTags|DescribeAutoScalingInstances/.test(a))).toBe(true);
    }
  });

  it('names the live release and how to reach it in the outputs', () => {
    const outputs = (composeStack(load('test'), { imageDigest: DIGEST_A }) as Any).Outputs;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['Route53Name', 'LoadBalancerAddress', 'IamRoleArn', 'ShipperVersion', 'ImageTag', 'ImageDigest', 'JobsQueueUrl']));
    expect(outputs.Route53Name.Value).toBe('hello.test.example.com');
  });

  it('keeps no secret value anywhere in the template, only the reference', () => {
    const text = JSON.stringify(composeStack(load('test'), { imageDigest: DIGEST_A }));
    expect(text).toContain('/hello/database-password');
  });

  it('prints YAML with short tags that reads back to the same template', () => {
    const template = composeStack(load('test'), { imageDigest: DIGEST_A });
    const yaml = stringifyCfnYaml(template);
    expect(yaml).toContain('!Ref ImageDigest');
    expect(yaml).toContain('!GetAtt LaunchTemplate.LatestVersionNumber');
    expect(parseCfnYamlDocument(yaml).toJS()).toEqual(JSON.parse(JSON.stringify(template)));
  });
});

describe('the service fragment', () => {
  const withFragment = (fragment: string) => {
    const { file } = tempService(`${MINIMAL_DESCRIPTOR}fragment: extra.yml\n`, { 'extra.yml': fragment });
    return load('test', file);
  };

  it('is merged with its intrinsics intact', () => {
    const template = composeStack(load('test')) as Any;
    expect(template.Resources.JobsQueuePolicy.Properties.Roles).toEqual([{ Ref: 'InstanceRole' }]);
    expect(template.Conditions.IsProd).toEqual({ 'Fn::Equals': [{ Ref: 'AWS::StackName' }, 'hello-prod'] });
  });

  it('may not redefine a name shipper owns', () => {
    const target = withFragment('Resources:\n  InstanceRole:\n    Type: AWS::IAM::Role\n    Properties: {}\n');
    expect(() => composeStack(target)).toThrow(BadInputError);
    try {
      composeStack(target);
    } catch (err) {
      const p = (err as BadInputError).problems[0]!;
      expect(p.message).toMatch(/"InstanceRole" clashes/);
      expect(p.location).toMatchObject({ line: 2 });
      expect(p.location?.file).toMatch(/extra\.yml$/);
    }
  });

  it('may not reference undefined resources, parameters or conditions', () => {
    const target = withFragment(
      'Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: !Sub "${AWS::StackName}-${Stage}"\n      KmsMasterKeyId: !GetAtt Key.Arn\n      DisplayName: !If [IsProd, a, b]\n      Tags:\n        - Key: role\n          Value: !Ref InstanceRol\n',
    );
    let problems: BadInputError['problems'] = [];
    try {
      composeStack(target);
    } catch (err) {
      problems = (err as BadInputError).problems;
    }
    const messages = problems.map((p) => `${p.location?.line} ${p.message} ${p.hint ?? ''}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^5 reference "Stage" is not defined/),
        expect.stringMatching(/^6 resource "Key" is not defined/),
        expect.stringMatching(/^7 condition "IsProd" is not defined/),
        expect.stringMatching(/^10 reference "InstanceRol" is not defined.*did you mean "InstanceRole"/),
      ]),
    );
  });

  it('is refused when it would exceed CloudFormation\'s inline template limit', () => {
    const big = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`Queue${i}`, { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'q'.repeat(80), Tags: Array.from({ length: 10 }, (_, j) => ({ Key: `k${j}`, Value: 'v'.repeat(60) })) } }]));
    const target = withFragment(JSON.stringify({ Resources: big }));
    const problems = templateProblems(composeStack(target));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/^the template is \d+ bytes, over CloudFormation's 51200-byte limit/)]);
  });

  it('lets the instances read a Secrets Manager secret by either spelling of its ARN, and nothing else', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:svc/api-key';
    const { file } = tempService(`${MINIMAL_DESCRIPTOR}secrets:\n  API_KEY: {secretsManager: "${arn}"}\n`);
    const role = (composeStack(load('test', file)) as Any).Resources.InstanceRole;
    const read = role.Properties.Policies[0].PolicyDocument.Statement.filter((s: Any) => s.Action.includes('secretsmanager:GetSecretValue'));
    expect(read).toEqual([expect.objectContaining({ Resource: [arn, `${arn}-??????`] })]);
  });
});

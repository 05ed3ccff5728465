/**
 * How resolved sidecar images reach the stack: the launch template pins them, an ECR sidecar
 * image (e.g. a pull-through cache) is pullable by the instance role, a private registry's
 * secret is readable by it, and a deploy cannot compose an image preflight did not resolve.
 */
import { describe, expect, it } from '@jest/globals';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { composeStack } from '../../src/compose/stack.js';
import { cfnLintErrors } from '../helpers/cfn-lint.js';
import { MINIMAL_DESCRIPTOR, tempService } from '../helpers/temp-service.js';

const CACHE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ecr-public';
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:registry/puller-AbCdEf';
const digest = (c: string) => `sha256:${c.repeat(64)}`;
type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DESCRIPTOR = `${MINIMAL_DESCRIPTOR}sidecars:
  reverse-proxy:
    image: ${CACHE}/nginx/nginx:1.27.5-alpine
  custom:
    - name: agent
      image: registry.example.com/team/agent:7
      registryCredentials:
        secretsManager: ${SECRET_ARN}
`;

const PINNED = {
  'log-router': `public.ecr.aws/aws-observability/aws-for-fluent-bit@${digest('1')}`,
  'reverse-proxy': `${CACHE}/nginx/nginx@${digest('2')}`,
  'metrics-collector': `public.ecr.aws/cloudwatch-agent/cloudwatch-agent@${digest('3')}`,
  agent: `registry.example.com/team/agent@${digest('4')}`,
};

const target = () => loadServiceEnvironment({ file: tempService(DESCRIPTOR).file, env: 'test' });
const userData = (t: Any) => JSON.stringify(t.Resources.LaunchTemplate.Properties.LaunchTemplateData.UserData);
const statements = (t: Any): Any[] => t.Resources.InstanceRole.Properties.Policies[0].PolicyDocument.Statement;

describe('resolved sidecar images in the stack', () => {
  it('pins every sidecar by the digest preflight resolved, and passes cfn-lint', async () => {
    const template = composeStack(target(), { imageDigest: digest('a'), sidecarImages: PINNED }) as Any;
    for (const image of Object.values(PINNED)) expect(userData(template)).toContain(`'${image}'`);
    expect(userData(template)).not.toMatch(/:1\.27\.5-alpine|agent:7/);
    expect(await cfnLintErrors(template)).toBe('');
  });

  it('lets the instance pull an ECR sidecar image (a pull-through cache repository) and read the private registry secret', () => {
    const template = composeStack(target(), { imageDigest: digest('a'), sidecarImages: PINNED }) as Any;
    const pull = statements(template).find((s) => s.Sid === 'EcrPull')!;
    expect(pull.Resource).toContainEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:ecr:eu-west-1:123456789012:repository/ecr-public/nginx/nginx' });
    const secrets = statements(template).find((s) => s.Sid === 'ReadDeclaredSecrets')!;
    expect(secrets.Resource).toEqual([SECRET_ARN, `${SECRET_ARN}-??????`]);
    expect(userData(template)).toContain(`REGISTRY_LOGINS=('registry.example.com=secretsmanager:${SECRET_ARN}')`);
  });

  it('refuses to compose a deploy with a sidecar preflight did not resolve', () => {
    const { agent: _missing, ...partial } = PINNED;
    expect(() => composeStack(target(), { imageDigest: digest('a'), sidecarImages: partial })).toThrow(/sidecar agent has no resolved image/);
  });

  it('offline (render), keeps the references as written', () => {
    const template = composeStack(target()) as Any;
    expect(userData(template)).toContain(`'${CACHE}/nginx/nginx:1.27.5-alpine'`);
    expect(userData(template)).toContain(`'registry.example.com/team/agent:7'`);
  });
});

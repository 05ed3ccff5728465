/**
 * The deployer policy stays in step with the calls shipper makes: every method of every client
 * interface in src/aws/api.ts has an entry (an IAM action, or a stated reason it needs none),
 * each action is the one named after its method, and the README's policy is the generated one.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEPLOYER_PERMISSIONS, type Permission } from '../../src/aws/deployer-policy.js';
import { cli } from '../helpers/cli.js';
import { editedExample } from '../helpers/temp-service.js';
import { exampleDir, repoRoot as REPO_ROOT } from '../helpers/paths.js';

const EXAMPLE = exampleDir;

/** Interface name → method names, read from the source so a new interface or method is seen. */
function clientInterfaces(): Map<string, string[]> {
  const source = readFileSync(path.join(REPO_ROOT, 'src/aws/api.ts'), 'utf8');
  const interfaces = new Map<string, string[]>();
  for (const match of source.matchAll(/export interface (\w+Api) \{([\s\S]*?)\n\}/g)) {
    interfaces.set(match[1]!, [...match[2]!.matchAll(/^\s+(\w+)\??\(/gm)].map((m) => m[1]!).sort());
  }
  return interfaces;
}

describe('the deployer policy', () => {
  it('has an entry for every method of every AWS client interface, and no other', () => {
    const interfaces = clientInterfaces();
    expect(interfaces.size).toBeGreaterThanOrEqual(8);
    const covered = new Map(Object.entries(DEPLOYER_PERMISSIONS).map(([name, methods]) => [name, Object.keys(methods).sort()]));
    expect(covered).toEqual(interfaces);
  });

  it("maps each method to the IAM action of the API operation it calls", () => {
    for (const methods of Object.values(DEPLOYER_PERMISSIONS)) {
      for (const [method, permission] of Object.entries(methods) as [string, Permission][]) {
        if ('none' in permission) continue;
        expect(permission.action.split(':')[1]).toBe(method[0]!.toUpperCase() + method.slice(1));
      }
    }
  });

  it('is printed by shipper policy for the environment, with the service role it may pass', async () => {
    const run = await cli(['policy', '--env', 'prod', '-f', path.join(EXAMPLE, 'shipper.yml')]);

    expect(run.code).toBe(0);
    const policy = JSON.parse(run.stdout) as { Statement: { Sid: string; Action: string[]; Resource: string[]; Condition?: unknown }[] };
    const sid = (name: string) => policy.Statement.find((s) => s.Sid === name);
    expect(sid('Stack')?.Resource).toEqual(['arn:aws:cloudformation:eu-west-1:210987654321:stack/hello-prod/*']);
    expect(sid('Stack')?.Action).toContain('cloudformation:CreateChangeSet');
    expect(sid('ImageRepositories')?.Resource).toEqual(['arn:aws:ecr:eu-west-1:210987654321:repository/hello']);
    expect(sid('PassCloudFormationServiceRole')).toEqual({
      Sid: 'PassCloudFormationServiceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: ['arn:aws:iam::210987654321:role/shipper-cloudformation'],
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
    // Nothing beyond CloudFormation, ECR reads, Auto Scaling, ELB and CloudWatch alarm reads, logs, SSM and passing the service role.
    const services = new Set(policy.Statement.flatMap((s) => s.Action.map((a) => a.split(':')[0])));
    expect([...services].sort()).toEqual(['autoscaling', 'cloudformation', 'cloudwatch', 'ecr', 'elasticloadbalancing', 'iam', 'logs', 'ssm']);
  });

  it('reads registry credentials a sidecar names, and nothing for sidecars without', async () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:registry-AbCdEf';
    const dir = editedExample(EXAMPLE, (text) =>
      text.replace('sidecars:\n', `sidecars:\n  custom:\n    - name: agent\n      image: registry.example.com/agent:1.0\n      registryCredentials: {secretsManager: ${secret}}\n`));

    const run = await cli(['policy', '--env', 'prod'], { cwd: dir });

    expect(run.stderr).toBe('');
    const policy = JSON.parse(run.stdout) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] };
    expect(policy.Statement.find((s) => s.Sid === 'RegistryCredentialSecrets')).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: [secret] });
    expect(policy.Statement.find((s) => s.Sid === 'RegistryCredentialParameters')).toMatchObject({
      Action: ['ssm:GetParameter'],
      Resource: ['arn:aws:ssm:eu-west-1:210987654321:parameter/aws/reference/secretsmanager/*'],
    });
    const plain = JSON.parse((await cli(['policy', '--env', 'prod', '-f', path.join(EXAMPLE, 'shipper.yml')])).stdout) as { Statement: { Action: string[] }[] };
    expect(plain.Statement.flatMap((s) => s.Action)).not.toContain('ssm:GetParameter');
  });

  it("is the README's, for the bundled example's prod environment", async () => {
    const run = await cli(['policy', '--env', 'prod', '-f', path.join(EXAMPLE, 'shipper.yml')]);
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const block = /<!-- deployer-policy: shipper policy --env prod -f examples\/hello\/shipper.yml -->\n```json\n([\s\S]*?)```/.exec(readme);

    expect(block?.[1]).toBe(run.stdout);
  });
});

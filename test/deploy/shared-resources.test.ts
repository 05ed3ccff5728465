/**
 * A deploy that would change the target group, listener rule or inline ingress together with a
 * group replacement is refused after planning and before execution: exit 3, the change set
 * deleted, the stack and the old group untouched.
 */
import { describe, expect, it } from '@jest/globals';
import { ExitCode } from '../../src/errors.js';
import { sharedResourceChanges } from '../../src/deploy/shared-resources.js';
import { exampleDir } from '../helpers/paths.js';
import { editedExample as editedFromExample } from '../helpers/temp-service.js';
import { STACK, touchesOf, world } from './harness.js';

const editedExample = (edit: (text: string) => string) => editedFromExample(exampleDir, edit);

async function stackStatus(w: ReturnType<typeof world>) {
  return (await w.cloud.clients().cloudFormation.describeStacks({ StackName: STACK })).Stacks![0]!.StackStatus;
}

describe('shared resources across a group replacement', () => {
  it('refuses a new health-check path with a new image: exit 3, the change set deleted, nothing executed', async () => {
    const w = world({ live: true });
    const cwd = editedExample((t) => t.replace('  path: /health', '  path: /ready'));
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { cwd });
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/TargetGroup \(AWS::ElasticLoadBalancingV2::TargetGroup\): HealthCheckPath/);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(run.stderr).toMatch(/answers the new health check as well as the old one/);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    expect(w.cloud.calls.count('deleteChangeSet')).toBe(1);
    expect(w.cloud.cloudFormation.findStack(STACK)!.changeSets.size).toBe(0);
    expect(await stackStatus(w)).toBe('CREATE_COMPLETE');
    expect(touchesOf(w.cloud, w.oldGroup)).toEqual([]);
  });

  it('refuses a new proxy port, which replaces the target group, and names the safe way', async () => {
    const w = world({ live: true });
    const cwd = editedExample((t) => t.replace('sidecars:\n', 'sidecars:\n  reverse-proxy:\n    listenPort: 8081\n'));
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2'], { cwd });
    expect(run.code).toBe(ExitCode.preflightRefused);
    expect(run.stderr).toMatch(/TargetGroup .*: replaced, Port/);
    expect(run.stderr).toMatch(/second stack/);
    expect(w.cloud.calls.count('executeChangeSet')).toBe(0);
    expect(w.cloud.cloudFormation.findStack(STACK)!.changeSets.size).toBe(0);
  });

  it('goes ahead with --allow-shared-change, and the old port\'s ingress rule stays until cleanup', async () => {
    const w = world({ live: true });
    const cwd = editedExample((t) => t.replace('sidecars:\n', 'sidecars:\n  reverse-proxy:\n    listenPort: 8081\n'));
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2', '--allow-shared-change'], { cwd });
    expect(run.code).toBe(ExitCode.ok);
    const stack = w.cloud.cloudFormation.findStack(STACK)!;
    // The old rule is a removed resource: CloudFormation deletes those in the cleanup phase,
    // after the new group is live (UPDATE_COMPLETE_CLEANUP_IN_PROGRESS).
    expect(await stackStatus(w)).toBe('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    expect([...stack.resources.keys()].filter((id) => id.startsWith('IngressTcp')).sort()).toEqual(['IngressTcp80FromSg0123456789abcdef0', 'IngressTcp8081FromSg0123456789abcdef0'].sort());
  });

  it('lets an image-only deploy through: the shared resources do not change', async () => {
    const w = world({ live: true });
    const run = await w.run(['deploy', '--env', 'test', '--image-tag', 'v2']);
    expect(run.code).toBe(ExitCode.ok);
  });
});

describe('reading a change set for shared-resource changes', () => {
  const change = (type: string, id: string, extra: Record<string, unknown>) => ({ Type: 'Resource' as const, ResourceChange: { LogicalResourceId: id, ResourceType: type, Action: 'Modify' as const, ...extra } });
  const detail = (name: string, source = 'DirectModification') => ({ Target: { Attribute: 'Properties' as const, Name: name }, ChangeSource: source as never, Evaluation: 'Static' as const });

  it('ignores timing-only target group changes, separate ingress rules, and a rule whose target group is merely modified', () => {
    expect(
      sharedResourceChanges([
        change('AWS::ElasticLoadBalancingV2::TargetGroup', 'TargetGroup', { Replacement: 'False', Details: [detail('HealthCheckTimeoutSeconds'), detail('TargetGroupAttributes')] }),
        change('AWS::ElasticLoadBalancingV2::ListenerRule', 'ListenerRule', { Replacement: 'False', Details: [detail('Actions', 'ResourceReference')] }),
        { Type: 'Resource', ResourceChange: { LogicalResourceId: 'IngressTcp80FromSgA', ResourceType: 'AWS::EC2::SecurityGroupIngress', Action: 'Remove' } },
        change('AWS::EC2::SecurityGroup', 'InstanceSecurityGroup', { Replacement: 'True', Details: [detail('GroupDescription')] }),
      ]),
    ).toEqual([]);
  });

  it('flags inline ingress rules being changed on the security group (stacks from before separate rules)', () => {
    expect(sharedResourceChanges([change('AWS::EC2::SecurityGroup', 'InstanceSecurityGroup', { Replacement: 'False', Details: [detail('SecurityGroupIngress')] })])).toEqual([
      { logicalId: 'InstanceSecurityGroup', resourceType: 'AWS::EC2::SecurityGroup', kind: 'inline-ingress', what: ['SecurityGroupIngress'] },
    ]);
  });
});

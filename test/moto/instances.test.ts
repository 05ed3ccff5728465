/**
 * An instance (`--instance pr-7`) created next to the main stack over HTTP against moto_server:
 * the real SDK's DescribeRules on the seeded ALB listener, the stack's tags, its listener rule on
 * a free priority and its own release history in SSM; then listed and destroyed.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { DescribeStacksCommand, type Stack } from '@aws-sdk/client-cloudformation';
import { CreateRuleCommand, CreateTargetGroupCommand, DescribeRulesCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterHistoryCommand, SSMClient } from '@aws-sdk/client-ssm';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { StackTags } from '../../src/instances/identity.js';
import { useLocalAws } from './local-aws.js';

const local = useLocalAws();
const MAIN = `hello-${LOCAL_ENV}`;
const INSTANCE = `${MAIN}-pr-7`;

/** The seeded descriptor with instances allowed in the local environment. */
function instancesDescriptor(): string {
  const doc = parseDocument(readFileSync(local.descriptor, 'utf8'));
  doc.setIn(['environments', LOCAL_ENV, 'instances'], doc.createNode({ ttl: '2d' }));
  const file = path.join(path.dirname(local.descriptor), 'shipper-instances.yml');
  writeFileSync(file, doc.toString());
  return file;
}

const clientConfig = () => ({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });

async function stack(name: string): Promise<Stack> {
  return (await local.cloudFormation.send(new DescribeStacksCommand({ StackName: name }))).Stacks![0]!;
}

describe('an instance next to the main stack on moto_server', () => {
  it('gets its own stack, tags, a listener rule on the first free priority after the main one, and its own history', async () => {
    const file = instancesDescriptor();
    const main = await local.shipper(['deploy', '--env', LOCAL_ENV, '-f', file, '--image-tag', 'v1']);
    expect(main.stderr).toBe('');
    expect(main.code).toBe(0);

    // Another service on the shared listener already holds 121.
    const elb = new ElasticLoadBalancingV2Client(clientConfig());
    const ssm = new SSMClient(clientConfig());
    try {
      const tg = await elb.send(new CreateTargetGroupCommand({ Name: 'other', Protocol: 'HTTP', Port: 80, VpcId: local.seeded.vpcId }));
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: local.seeded.listenerArn,
          Priority: 121,
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['other.local.example.com'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: tg.TargetGroups![0]!.TargetGroupArn }],
        }),
      );

      const run = await local.shipper(['deploy', '--env', LOCAL_ENV, '-f', file, '--instance', 'pr-7', '--image-tag', 'v2', '--branch', 'pr/7']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/listener rule priority 122 for pr-7\.hello\.local\.example\.com/);

      const instance = await stack(INSTANCE);
      expect(instance.StackStatus).toBe('CREATE_COMPLETE');
      const tags = Object.fromEntries((instance.Tags ?? []).map((t) => [t.Key, t.Value]));
      expect(tags).toMatchObject({ [StackTags.instance]: 'pr-7', [StackTags.service]: 'hello', [StackTags.environment]: LOCAL_ENV, [StackTags.branch]: 'pr/7' });
      expect(tags[StackTags.owner]).toBeTruthy();
      const ttlMs = Date.parse(tags[StackTags.expiresAt]!) - Date.now();
      expect(ttlMs).toBeGreaterThan(2 * 86_400_000 - 600_000);
      expect(ttlMs).toBeLessThanOrEqual(2 * 86_400_000);
      expect(instance.Parameters?.find((p) => p.ParameterKey === 'ListenerRulePriority')?.ParameterValue).toBe('122');
      expect(instance.Outputs?.find((o) => o.OutputKey === 'InstanceUrl')?.OutputValue).toBe('https://pr-7.hello.local.example.com/');

      const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: local.seeded.listenerArn }))).Rules ?? [];
      const byPriority = Object.fromEntries(rules.filter((r) => !r.IsDefault).map((r) => [r.Priority, r.Conditions?.flatMap((c) => c.HostHeaderConfig?.Values ?? c.Values ?? [])]));
      expect(byPriority).toEqual({ '120': ['hello.local.example.com'], '121': ['other.local.example.com'], '122': ['pr-7.hello.local.example.com'] });
      // The main stack is as its own deploy left it.
      expect((await stack(MAIN)).Outputs?.find((o) => o.OutputKey === 'ImageTag')?.OutputValue).toBe('v1');

      const history = async (name: string) => (await ssm.send(new GetParameterHistoryCommand({ Name: name }))).Parameters?.map((p) => JSON.parse(p.Value!).imageTag);
      expect(await history(`/shipper/hello/${LOCAL_ENV}/releases`)).toEqual(['v1']);
      expect(await history(`/shipper/hello/${LOCAL_ENV}/instances/pr-7/releases`)).toEqual(['v2']);
      const releases = await local.shipper(['releases', '--env', LOCAL_ENV, '-f', file, '--instance', 'pr-7', '--json']);
      expect(JSON.parse(releases.stdout).releases.map((r: { imageTag: string }) => r.imageTag)).toEqual(['v2']);

      // A redeploy keeps the rule where it is.
      const again = await local.shipper(['deploy', '--env', LOCAL_ENV, '-f', file, '--instance', 'pr-7', '--image-tag', 'v1']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/listener rule priority 122 .*kept from the stack/);

      // The whole life of an instance: listed beside the main stack with its release, owner and
      // expiry, then destroyed with its history; the main stack and its history stay.
      const listed = await local.shipper(['list', '--env', LOCAL_ENV, '-f', file, '--json']);
      expect(listed.code).toBe(0);
      const rows = (JSON.parse(listed.stdout) as { stacks: Array<{ name: string; stackName: string; live?: { tag?: string }; owner?: string; branch?: string; expiresAt?: string; expired: boolean }> }).stacks;
      expect(rows.map((r) => [r.name, r.stackName, r.live?.tag])).toEqual([['main', MAIN, 'v1'], ['pr-7', INSTANCE, 'v1']]);
      expect(rows[1]).toMatchObject({ owner: tags[StackTags.owner], branch: 'pr/7', expired: false });
      expect(Date.parse(rows[1]!.expiresAt!)).toBeGreaterThan(Date.now() + 86_400_000);

      const nothingExpired = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', file, '--expired', '--yes']);
      expect(nothingExpired.code).toBe(0);
      expect((await stack(INSTANCE)).StackStatus).toBe('UPDATE_COMPLETE');

      const destroyed = await local.shipper(['destroy', '--env', LOCAL_ENV, '-f', file, '--instance', 'pr-7', '--yes']);
      expect(destroyed.stderr).toBe('');
      expect(destroyed.code).toBe(0);
      const left = (await local.cloudFormation.send(new DescribeStacksCommand({}))).Stacks ?? [];
      expect(left.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName)).toContain(MAIN);
      expect(left.filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName)).not.toContain(INSTANCE);
      await expect(ssm.send(new GetParameterHistoryCommand({ Name: `/shipper/hello/${LOCAL_ENV}/instances/pr-7/releases` }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
      expect(await history(`/shipper/hello/${LOCAL_ENV}/releases`)).toEqual(['v1']);
    } finally {
      elb.destroy();
      ssm.destroy();
    }
  }, 240_000);
});

/**
 * The bake against moto_server, with the real SDK over HTTP. What moto 5.2 does and does not do
 * decides the shape of these tests:
 * - its CloudFormation does not provision AWS::CloudWatch::Alarm (only dashboards), so after the
 *   first deploy the alarms are put into moto's CloudWatch exactly as the stored template
 *   declares them, which is what CloudFormation does in AWS;
 * - it accepts CreateChangeSet's RollbackConfiguration without storing it (DescribeStacks and
 *   DescribeChangeSet leave it out), so the request is read on the wire, through a recording
 *   proxy in front of moto's CloudFormation endpoint.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { GetTemplateCommand, ListChangeSetsCommand } from '@aws-sdk/client-cloudformation';
import { LOCAL_ENV, LOCAL_REGION } from '../../examples/local/seed.mjs';
import { recordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { useLocalAws } from './local-aws.js';

const STACK = `hello-${LOCAL_ENV}`;
const DEFAULT_ALARMS = [`${STACK}-bake-target-5xx`, `${STACK}-bake-unhealthy-hosts`];
const local = useLocalAws();
let proxy: RecordingProxy | undefined;

afterEach(async () => {
  delete process.env.AWS_ENDPOINT_URL_CLOUDFORMATION;
  await proxy?.close();
  proxy = undefined;
});

function withBake(bake: Record<string, unknown>): void {
  const doc = parseDocument(readFileSync(local.descriptor, 'utf8'));
  doc.setIn(['environments', LOCAL_ENV, 'bake'], doc.createNode(bake));
  writeFileSync(local.descriptor, doc.toString());
}

const deploy = (tag: string, ...flags: string[]) => local.shipper(['deploy', '--env', LOCAL_ENV, '-f', local.descriptor, '--image-tag', tag, ...flags]);

function cloudWatch(): CloudWatchClient {
  return new CloudWatchClient({ region: LOCAL_REGION, endpoint: local.endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
}

/** CloudFormation's requests go through a recording proxy from now on. */
async function recordCloudFormation(): Promise<RecordingProxy> {
  proxy = await recordingProxy(local.endpoint);
  process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = proxy.url;
  return proxy;
}

/** The RollbackConfiguration of the CreateChangeSet requests, as sent (AWS query protocol). */
function sentRollbackConfigurations(recorded: RecordingProxy): Array<{ minutes?: string; triggers: Array<{ arn: string; type: string }> }> {
  return recorded.requests
    .map((r) => new URLSearchParams(r.body))
    .filter((form) => form.get('Action') === 'CreateChangeSet')
    .map((form) => {
      const triggers: Array<{ arn: string; type: string }> = [];
      for (let i = 1; form.has(`RollbackConfiguration.RollbackTriggers.member.${i}.Arn`); i++) {
        triggers.push({ arn: form.get(`RollbackConfiguration.RollbackTriggers.member.${i}.Arn`)!, type: form.get(`RollbackConfiguration.RollbackTriggers.member.${i}.Type`)! });
      }
      const minutes = form.get('RollbackConfiguration.MonitoringTimeInMinutes') ?? undefined;
      const emptyList = form.has('RollbackConfiguration.RollbackTriggers');
      return { minutes, triggers, ...(emptyList ? { emptyList } : {}) };
    });
}

/** What CloudFormation does in AWS for the stack's alarm resources: put each alarm as the template declares it. */
async function provisionTemplateAlarms(cw: CloudWatchClient): Promise<void> {
  const body = (await local.cloudFormation.send(new GetTemplateCommand({ StackName: STACK }))).TemplateBody ?? '{}';
  const template = JSON.parse(body) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const alarms = Object.values(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
  expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual(DEFAULT_ALARMS);
  for (const { Properties: p } of alarms) {
    // Only the attribute CloudFormation resolves is replaced: the target group's full name.
    const resolved = JSON.parse(JSON.stringify(p).replace(/\{"Fn::GetAtt":\["TargetGroup","TargetGroupFullName"\]\}/g, '"targetgroup/hello-local/0123456789abcdef"')) as PutMetricAlarmCommandInput;
    await cw.send(new PutMetricAlarmCommand(resolved));
  }
}

describe('the bake against moto_server', () => {
  it('creates the default alarms with the first deploy, which they cannot guard, and sends them as the next deploy\'s triggers', async () => {
    withBake({ minutes: 5 });
    const recorded = await recordCloudFormation();
    const cw = cloudWatch();
    try {
      const first = await deploy('v1');

      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/bake: 5 min, no alarm guards it; hello-local-bake-target-5xx, hello-local-bake-unhealthy-hosts are created by this deploy and guard the next one/);
      expect(first.stdout).toMatch(/Not guarding this deploy: hello-local-bake-target-5xx, hello-local-bake-unhealthy-hosts are created by it/);
      expect(sentRollbackConfigurations(recorded)).toEqual([{ minutes: '5', triggers: [], emptyList: true }]);

      await provisionTemplateAlarms(cw);
      const arns = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: DEFAULT_ALARMS }))).MetricAlarms?.map((a) => a.AlarmArn) ?? [];
      expect(arns).toHaveLength(2);

      const second = await deploy('v2');

      expect(second.stderr).toBe('');
      expect(second.code).toBe(0);
      expect(second.stdout).toMatch(/bake: 5 min, guarded by hello-local-bake-target-5xx, hello-local-bake-unhealthy-hosts\n/);
      expect(second.stdout).not.toMatch(/Not guarding/);
      const [, sent] = sentRollbackConfigurations(recorded);
      expect(sent?.minutes).toBe('5');
      expect(sent?.triggers.map((t) => t.arn).sort()).toEqual([...arns].sort());
      expect(sent?.triggers.every((t) => t.type === 'AWS::CloudWatch::Alarm')).toBe(true);

      // --no-bake: the triggers are replaced by none, so the stack does not keep the previous bake.
      const third = await deploy('v1', '--no-bake');
      expect(third.code).toBe(0);
      expect(third.stdout).toMatch(/Bake: SKIPPED \(--no-bake\)/);
      expect(sentRollbackConfigurations(recorded)[2]).toEqual({ minutes: '0', triggers: [], emptyList: true });
      const releases = await local.shipper(['releases', '--env', LOCAL_ENV, '-f', local.descriptor]);
      expect(releases.stdout).toMatch(/BAKE/);
      expect(releases.stdout).toMatch(/\bskipped\b/);
      expect(releases.stdout).toMatch(/5m, 2 alarms/);
    } finally {
      cw.destroy();
    }
    // Three deploys and the history against moto: more than one deploy's time.
  }, 240_000);

  it('refuses a declared alarm that does not exist, before any change set', async () => {
    withBake({ minutes: 5, alarms: ['hello-latency-p99'], defaultAlarms: false });
    const recorded = await recordCloudFormation();

    const run = await deploy('v1');

    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/bake\.alarms: alarm hello-latency-p99 does not exist in eu-west-1/);
    expect(recorded.requests.map((r) => new URLSearchParams(r.body).get('Action'))).not.toContain('CreateChangeSet');
    expect((await local.cloudFormation.send(new ListChangeSetsCommand({ StackName: STACK }))).Summaries ?? []).toEqual([]);
  });
});

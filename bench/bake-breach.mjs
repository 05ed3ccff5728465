#!/usr/bin/env node
// How long after an alarm goes to ALARM shipper reports the breach, in the simulated cloud
// (build first: npm run bench:bake). A deploy of the bundled example with a 10-minute bake
// guarded by one alarm; the alarm goes to ALARM at a different second of the bake in each run.
// Reported, in simulated seconds after the alarm's StateUpdatedTimestamp:
// 1. shipper's `bake.breach` event (it reads the alarms itself while baking);
// 2. CloudFormation's UPDATE_ROLLBACK_IN_PROGRESS event as shipper shows it (CloudFormation's own
//    reaction time is not documented by AWS: the simulation's knob is triggerReactionSeconds).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadServiceEnvironment } from '../dist/descriptor/load.js';
import { composeStack } from '../dist/compose/stack.js';
import { declaredSidecarImages } from '../dist/compose/sidecars/images.js';
import { followOperation } from '../dist/deploy/follow.js';
import { rollbackConfiguration } from '../dist/bake/plan.js';
import { StackEventPoller } from '../dist/stack-events/poller.js';
import { SimCloud } from '../dist-bench/test/sim/cloud.js';
import { SimPublicRegistry } from '../dist-bench/test/sim/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = loadServiceEnvironment({ file: path.join(root, 'examples/hello/shipper.yml'), env: 'test' });
const digest = (c) => `sha256:${c.repeat(64)}`;
const ALARM = 'hello-test-target-5xx';
const runs = Number(process.env.BENCH_RUNS ?? 40);

async function once(breachAfterSeconds) {
  const cloud = new SimCloud({ start: '2026-11-23T06:25:30Z' });
  cloud.ecr.addImage('hello', 'v1', digest('1')).addImage('hello', 'v2', digest('2'));
  const declared = declaredSidecarImages(target.service);
  const registry = SimPublicRegistry.servingImages(declared);
  const desired = target.service.capacity.desired;
  const compose = (tag, d) => JSON.stringify(composeStack(target, { imageTag: tag, imageDigest: d, desiredCapacity: desired, sidecarImages: registry.pinnedOf(declared) }));
  const seeded = cloud.seedStack({
    stackName: target.stackName,
    templateBody: compose('v1', digest('1')),
    parameters: { ImageTag: 'v1', ImageDigest: digest('1'), DesiredCapacity: String(desired) },
    status: 'CREATE_COMPLETE',
    idleSecondsAfter: 3600,
  });
  const alarm = cloud.cloudWatch.putAlarm(ALARM, 'OK', 'Threshold Crossed: no datapoints were breaching');
  const plan = { minutes: 10, alarms: [{ name: ALARM, arn: alarm.arn, origin: 'declared' }], notYetGuarding: [] };
  const clients = cloud.clients();
  const cfn = clients.cloudFormation;
  const created = await cfn.createChangeSet({
    StackName: target.stackName,
    ChangeSetName: 'bench',
    ChangeSetType: 'UPDATE',
    TemplateBody: compose('v2', digest('2')),
    Parameters: [
      { ParameterKey: 'ImageTag', ParameterValue: 'v2' },
      { ParameterKey: 'ImageDigest', ParameterValue: digest('2') },
      { ParameterKey: 'DesiredCapacity', ParameterValue: String(desired) },
    ],
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    RollbackConfiguration: rollbackConfiguration(plan),
  });
  while ((await cfn.describeChangeSet({ ChangeSetName: created.Id })).Status !== 'CREATE_COMPLETE') await cloud.clock.sleep(1000);
  const poller = await StackEventPoller.beforeOperation({ cloudFormation: cfn, stackName: target.stackName, clock: cloud.clock });
  const seen = {};
  const reporter = {
    emit: (e) => {
      if (e.type === 'bake.started') cloud.cloudWatch.setAlarmStateAfter(breachAfterSeconds, { AlarmName: ALARM, StateValue: 'ALARM', StateReason: 'Threshold Crossed: bench' });
      if (e.type === 'bake.breach') seen.breach ??= cloud.clock.nowMs();
      if (e.type === 'stack.event' && e.status === 'UPDATE_ROLLBACK_IN_PROGRESS') seen.rollback ??= cloud.clock.nowMs();
    },
    close() {},
  };
  const startedAt = cloud.clock.now();
  await cfn.executeChangeSet({ ChangeSetName: created.Id, StackName: target.stackName });
  await followOperation({ clients, clock: cloud.clock, reporter }, { stackName: target.stackName, poller, startedAt, oldGroupName: seeded.groupName, expectedSignals: desired, waitCleanup: false, bake: plan });
  const fired = cloud.cloudWatch.alarms.get(ALARM).updatedAt.getTime();
  return { breach: (seen.breach - fired) / 1000, rollback: (seen.rollback - fired) / 1000 };
}

const results = [];
for (let i = 0; i < runs; i++) results.push(await once(20 + Math.round((i * 517) % 540)));
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(1)} s, max ${s[s.length - 1].toFixed(1)} s, min ${s[0].toFixed(1)} s`;
};
console.log(`${runs} breaches at different seconds of a 10-minute bake (simulated time after the alarm went to ALARM):`);
console.log(`  shipper reports the breach (bake.breach):              ${stats(results.map((r) => r.breach))}`);
console.log(`  CloudFormation's rollback event shown (sim reaction 5 s): ${stats(results.map((r) => r.rollback))}`);

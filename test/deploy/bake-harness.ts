/**
 * A deploy of v2 over the seeded v1 with a bake, driven at the core: the change set carries the
 * bake's RollbackConfiguration and followOperation is given the BakePlan, as deploy does once the
 * descriptor declares `bake:`. Everything after the change set is the production code path:
 * followOperation, announceLive, concludeOperation (the failure report included).
 */
import { rollbackConfiguration, type BakePlan } from '../../src/bake/plan.js';
import { composeStack } from '../../src/compose/stack.js';
import { ParameterNames } from '../../src/compose/template.js';
import { announceLive, concludeOperation } from '../../src/deploy/conclude.js';
import type { DeployContext } from '../../src/deploy/context.js';
import { followOperation, type FollowResult } from '../../src/deploy/follow.js';
import { loadServiceEnvironment } from '../../src/descriptor/load.js';
import { RecordingReporter, type ShipperEvent } from '../../src/report/events.js';
import { StackEventPoller } from '../../src/stack-events/poller.js';
import { exampleDescriptor } from '../helpers/paths.js';
import { DIGEST_V2, world, type World } from './harness.js';

export const target = loadServiceEnvironment({ file: exampleDescriptor, env: 'test' });

export const BREACH_REASON =
  'Threshold Crossed: 2 out of the last 2 datapoints [12.5 (23/11/26 06:39:00), 9.1 (23/11/26 06:38:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).';

/** A world serving v1, with these alarms existing in CloudWatch (in OK) and a plan naming them. */
export function bakeWorld(minutes: number, alarmNames: string[], opts: { existing?: string[] } = {}): { w: World; plan: BakePlan } {
  const w = world({ live: true });
  for (const name of opts.existing ?? alarmNames) w.cloud.cloudWatch.putAlarm(name, 'OK', 'Threshold Crossed: 1 datapoint [0.0 (23/11/26 06:20:00)] was not greater than the threshold (5.0).');
  const plan: BakePlan = {
    minutes,
    alarms: alarmNames.map((name) => ({ name, arn: w.cloud.cloudWatch.arnOf(name), origin: 'declared' as const })),
    notYetGuarding: [],
  };
  return { w, plan };
}

export interface TimedEvent {
  at: Date;
  event: ShipperEvent;
}

export interface BakeRun {
  error?: unknown;
  result?: FollowResult;
  reporter: RecordingReporter;
  /** Every event with the simulated time it was emitted at. */
  timeline: TimedEvent[];
}

export async function deployWithBake(
  w: World,
  plan: BakePlan,
  opts: { onEvent?: (e: ShipperEvent, controls: { interrupt: AbortController; detach: AbortController }) => void; cloudWatch?: boolean; timeoutMs?: number } = {},
): Promise<BakeRun> {
  const reporter = new RecordingReporter();
  const timeline: TimedEvent[] = [];
  const interrupt = new AbortController();
  const detach = new AbortController();
  const record = reporter.emit.bind(reporter);
  reporter.emit = (e) => {
    record(e);
    timeline.push({ at: w.cloud.clock.now(), event: e });
    opts.onEvent?.(e, { interrupt, detach });
  };
  const clients = w.cloud.clients();
  if (opts.cloudWatch === false) delete clients.cloudWatch;
  const ctx: DeployContext = { clients, clock: w.cloud.clock, reporter, interrupt: interrupt.signal, detach: detach.signal };
  const { stackName } = target;
  const desired = target.service.capacity.desired;
  const template = composeStack(target, { imageTag: 'v2', imageDigest: DIGEST_V2, desiredCapacity: desired, sidecarImages: w.registry.pinnedFor(target.service) });
  const cfn = clients.cloudFormation;
  const created = await cfn.createChangeSet({
    StackName: stackName,
    ChangeSetName: 'shipper-bake',
    ChangeSetType: 'UPDATE',
    TemplateBody: JSON.stringify(template),
    Parameters: [
      { ParameterKey: ParameterNames.imageTag, ParameterValue: 'v2' },
      { ParameterKey: ParameterNames.imageDigest, ParameterValue: DIGEST_V2 },
      { ParameterKey: ParameterNames.desiredCapacity, ParameterValue: String(desired) },
    ],
    Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM', 'CAPABILITY_AUTO_EXPAND'],
    RollbackConfiguration: rollbackConfiguration(plan),
  });
  while ((await cfn.describeChangeSet({ ChangeSetName: created.Id })).Status !== 'CREATE_COMPLETE') await w.cloud.clock.sleep(1000);
  const poller = await StackEventPoller.beforeOperation({ cloudFormation: cfn, stackName, clock: w.cloud.clock });
  const startedAt = w.cloud.clock.now();
  await cfn.executeChangeSet({ ChangeSetName: created.Id, StackName: stackName, ClientRequestToken: 'bake-token' });
  reporter.emit({ type: 'operation.started', stackName, operation: 'update', token: 'bake-token', startedAt });
  const run: BakeRun = { reporter, timeline };
  try {
    run.result = await followOperation(ctx, {
      stackName,
      stackId: created.StackId,
      poller,
      startedAt,
      oldGroupName: w.oldGroup,
      expectedSignals: desired,
      waitCleanup: false,
      ...(opts.timeoutMs ? { deadline: new Date(startedAt.getTime() + opts.timeoutMs) } : {}),
      bake: plan,
      onLive: (stack) => announceLive(ctx, target, stack, startedAt, false),
    });
    await concludeOperation(ctx, { target, result: run.result, startedAt });
  } catch (err) {
    run.error = err;
  }
  return run;
}

export function indexOf(run: BakeRun, type: ShipperEvent['type']): number {
  return run.reporter.events.findIndex((e) => e.type === type);
}

export function timeOf(run: BakeRun, type: ShipperEvent['type']): Date | undefined {
  return run.timeline.find((t) => t.event.type === type)?.at;
}

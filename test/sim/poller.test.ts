import { describe, it, expect } from '@jest/globals';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { StackEventPoller } from '../../src/stack-events/poller.js';
import { isTerminal } from '../../src/stack-events/status.js';
import { runChangeSet } from './drive.js';
import { updateScenario, type Scenario } from './scenarios.js';

async function startUpdate(s: Scenario) {
  const cfn = s.cloud.clients().cloudFormation;
  await cfn.createChangeSet({
    StackName: s.stackName,
    ChangeSetName: 'c',
    ChangeSetType: 'UPDATE',
    TemplateBody: s.templateBody,
    Parameters: Object.entries(s.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
  });
  await s.cloud.clock.sleep(5000);
  await cfn.executeChangeSet({ ChangeSetName: 'c', StackName: s.stackName, ClientRequestToken: 'tok-1' });
}

async function pollUntilSettled(s: Scenario, poller: StackEventPoller): Promise<StackEvent[]> {
  const cfn = s.cloud.clients().cloudFormation;
  const events: StackEvent[] = [];
  for (;;) {
    await s.cloud.clock.sleep(15_000);
    events.push(...(await poller.poll()));
    const status = (await cfn.describeStacks({ StackName: s.stackName })).Stacks![0]!.StackStatus!;
    if (isTerminal(status)) return [...events, ...(await poller.poll())];
  }
}

describe('StackEventPoller against the simulated cloud', () => {
  it('returns exactly this operation\'s events, oldest first, once each, when the fence is pages away', async () => {
    const s = updateScenario({ scheduledActions: ['ScaleIn', 'ScaleOut'] });
    const cloud = s.cloud;
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: cloud.clients().cloudFormation, stackName: s.stackName, clock: cloud.clock });
    await startUpdate(s);
    // Let the whole update happen before the first poll: the fence is now several pages back.
    await cloud.clock.sleep(600_000);
    const events = await pollUntilSettled(s, poller);
    expect(events.length).toBeGreaterThan(20);
    const all = s.seeded!.stack.events;
    const opStart = all.findIndex((e) => e.ClientRequestToken === 'tok-1');
    expect(events.map((e) => e.EventId)).toEqual(all.slice(opStart).map((e) => e.EventId));
    expect(events[0]).toMatchObject({ ResourceStatus: 'UPDATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated' });
    expect(events.at(-1)).toMatchObject({ LogicalResourceId: s.stackName, ResourceStatus: 'UPDATE_COMPLETE' });
    expect(cloud.calls.count('describeStackEvents')).toBeGreaterThan(3);
  });

  it('polled often, still hands out every event once and in order', async () => {
    const s = updateScenario();
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: s.cloud.clients().cloudFormation, stackName: s.stackName, clock: s.cloud.clock });
    await startUpdate(s);
    const events = await pollUntilSettled(s, poller);
    const ids = events.map((e) => e.EventId);
    expect(new Set(ids).size).toBe(ids.length);
    const times = events.map((e) => e.Timestamp!.getTime());
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(events.every((e) => e.ClientRequestToken === 'tok-1')).toBe(true);
  });

  it('never fails a poll because of throttling, and backs off through the injected clock', async () => {
    const s = updateScenario();
    const cfn = s.cloud.clients().cloudFormation;
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: cfn, stackName: s.stackName, clock: s.cloud.clock, retry: { random: () => 0.5 } });
    await startUpdate(s);
    s.cloud.faults.throttleBurst(6, 'describeStackEvents');
    const sleptBefore = s.cloud.clock.sleptMs;
    const events = await poller.poll();
    expect(s.cloud.faults.injected).toBe(6);
    expect(events[0]).toMatchObject({ ResourceStatusReason: 'User Initiated' });
    // 375 + 750 + 1500 + 3000 + 6000 + 12000 ms of backoff with jitter fixed at 0.5.
    expect(s.cloud.clock.sleptMs - sleptBefore).toBe(23_625);
  });

  it('a whole deploy survives every third call being throttled', async () => {
    const s = updateScenario();
    s.cloud.faults.throttleEvery(3);
    const result = await runChangeSet(s.cloud.clients(), s.cloud.clock, s);
    expect(result.finalStatus).toBe('UPDATE_COMPLETE');
    expect(s.cloud.faults.injected).toBeGreaterThan(10);
    expect(result.events[0]).toMatchObject({ ResourceStatusReason: 'User Initiated' });
    expect(new Set(result.events.map((e) => e.EventId)).size).toBe(result.events.length);
  });

  it('re-attaches to an operation in progress from its "User Initiated" start', async () => {
    const s = updateScenario();
    await startUpdate(s);
    await s.cloud.clock.sleep(120_000);
    const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: s.cloud.clients().cloudFormation, stackName: s.stackName, clock: s.cloud.clock });
    const events = await poller.poll();
    expect(events[0]).toMatchObject({ LogicalResourceId: s.stackName, ResourceStatus: 'UPDATE_IN_PROGRESS', ResourceStatusReason: 'User Initiated', ClientRequestToken: 'tok-1' });
    expect(events.every((e) => e.ClientRequestToken === 'tok-1')).toBe(true);
    expect(await poller.poll()).toEqual([]);
  });

  it('re-attaches to the newest operation, never an older one', async () => {
    const s = updateScenario();
    // The seeded stack's newest operation was an update; attach finds it, not the create before it.
    const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: s.cloud.clients().cloudFormation, stackName: s.stackName, clock: s.cloud.clock });
    const events = await poller.poll();
    expect(events.map((e) => e.ResourceStatus)).toEqual(['UPDATE_IN_PROGRESS', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'UPDATE_COMPLETE']);
  });
});

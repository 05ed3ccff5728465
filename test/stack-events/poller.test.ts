import { describe, it, expect } from '@jest/globals';
import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { awsError, type Clock, type CloudFormationApi } from '../../src/aws/api.js';
import { StackEventPoller } from '../../src/stack-events/poller.js';

const STACK_ID = 'arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1';

/** DescribeStackEvents over a list the test grows, pages of `pageSize`, newest first. */
function eventsApi(pageSize: number) {
  const events: StackEvent[] = []; // oldest first
  let n = 0;
  let throttleNext = 0;
  const add = (logicalId: string, status: string, reason?: string) => {
    const stackLevel = logicalId === 's';
    events.push({
      EventId: `e${++n}`,
      StackId: STACK_ID,
      StackName: 's',
      LogicalResourceId: logicalId,
      PhysicalResourceId: stackLevel ? STACK_ID : `${logicalId}-phys`,
      ResourceType: stackLevel ? 'AWS::CloudFormation::Stack' : 'AWS::AutoScaling::AutoScalingGroup',
      ResourceStatus: status as StackEvent['ResourceStatus'],
      ResourceStatusReason: reason,
      Timestamp: new Date(n * 1000),
    });
  };
  const api = {
    describeStackEvents: async ({ NextToken }: { NextToken?: string }) => {
      if (throttleNext > 0) {
        throttleNext--;
        throw awsError('Throttling', 'Rate exceeded');
      }
      const newest = [...events].reverse();
      const start = NextToken ? Number(NextToken) : 0;
      const page = newest.slice(start, start + pageSize);
      return { StackEvents: page, NextToken: start + pageSize < newest.length ? String(start + pageSize) : undefined };
    },
  } as unknown as CloudFormationApi;
  return { api, add, throttle: (k: number) => (throttleNext = k) };
}

const clock: Clock = { now: () => new Date(0), sleep: async () => {} };

describe('StackEventPoller', () => {
  it('returns only events newer than the fence, oldest first, across pages, each once', async () => {
    const { api, add } = eventsApi(3);
    add('s', 'CREATE_IN_PROGRESS', 'User Initiated');
    add('Group', 'CREATE_COMPLETE');
    add('s', 'CREATE_COMPLETE');
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: api, stackName: 's', clock });
    expect(await poller.poll()).toEqual([]);
    add('s', 'UPDATE_IN_PROGRESS', 'User Initiated');
    for (let i = 0; i < 7; i++) add('Group', 'UPDATE_IN_PROGRESS', `step ${i}`);
    const first = await poller.poll();
    expect(first.map((e) => e.EventId)).toEqual(['e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11']);
    add('s', 'UPDATE_COMPLETE');
    expect((await poller.poll()).map((e) => e.EventId)).toEqual(['e12']);
    expect(await poller.poll()).toEqual([]);
  });

  it('treats a stack that does not exist yet as having no history', async () => {
    const api = { describeStackEvents: async () => Promise.reject(awsError('ValidationError', 'Stack [s] does not exist')) } as unknown as CloudFormationApi;
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: api, stackName: 's', clock });
    expect(poller).toBeInstanceOf(StackEventPoller);
  });

  it('retries throttled pages and loses nothing', async () => {
    const { api, add, throttle } = eventsApi(2);
    add('s', 'UPDATE_COMPLETE');
    const poller = await StackEventPoller.beforeOperation({ cloudFormation: api, stackName: 's', clock });
    add('s', 'UPDATE_IN_PROGRESS', 'User Initiated');
    add('Group', 'UPDATE_IN_PROGRESS');
    add('Group', 'UPDATE_COMPLETE');
    throttle(4);
    expect((await poller.poll()).map((e) => e.EventId)).toEqual(['e2', 'e3', 'e4']);
  });

  it('does not swallow errors other than throttling', async () => {
    const api = { describeStackEvents: async () => Promise.reject(awsError('AccessDenied', 'not allowed', 403)) } as unknown as CloudFormationApi;
    const poller = new StackEventPoller({ cloudFormation: api, stackName: 's', clock, fenceEventId: undefined });
    await expect(poller.poll()).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('attaches at the operation start even when it sits at the end of a page', async () => {
    const { api, add } = eventsApi(2);
    add('s', 'CREATE_IN_PROGRESS', 'User Initiated');
    add('s', 'CREATE_COMPLETE');
    add('s', 'UPDATE_IN_PROGRESS', 'User Initiated'); // e3
    add('Group', 'UPDATE_IN_PROGRESS');
    add('Group', 'UPDATE_COMPLETE');
    add('s', 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'); // newest: e6; pages [e6,e5] [e4,e3] [e2,e1]
    const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: api, stackName: 's', clock });
    expect((await poller.poll()).map((e) => e.EventId)).toEqual(['e3', 'e4', 'e5', 'e6']);
  });

  it('without a "User Initiated" start, attaches at the newest status that opens an operation', async () => {
    const { api, add } = eventsApi(10);
    add('s', 'UPDATE_COMPLETE');
    add('s', 'UPDATE_IN_PROGRESS', 'Parent stack update'); // e2, as a nested stack sees it
    add('Group', 'UPDATE_COMPLETE');
    const poller = await StackEventPoller.attachToCurrentOperation({ cloudFormation: api, stackName: 's', clock });
    expect((await poller.poll()).map((e) => e.EventId)).toEqual(['e2', 'e3']);
  });
});

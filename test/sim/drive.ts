/**
 * A minimal, test-only driver: create a change set, wait for it, execute it, and wait for the
 * stack to settle, reading events with the production StackEventPoller. It is what a deploy does
 * at its simplest, so simulated-cloud tests can exercise whole operations.
 */
import type { RollbackConfiguration, StackEvent } from '@aws-sdk/client-cloudformation';
import { isStackMissing, type AwsClients, type Clock } from '../../src/aws/api.js';
import { StackEventPoller } from '../../src/stack-events/poller.js';
import { withThrottleRetry } from '../../src/aws/retry.js';
import { isTerminal } from '../../src/stack-events/status.js';

export interface DriveOptions {
  stackName: string;
  templateBody: string;
  parameters: Record<string, string>;
  token?: string;
  pollSeconds?: number;
  /** CreateChangeSet's RollbackConfiguration (rollback triggers and monitoring time). */
  rollbackConfiguration?: RollbackConfiguration;
  /** Called after every poll; lets a test act mid-operation (e.g. CancelUpdateStack). */
  onPoll?: (state: { status: string; events: StackEvent[]; elapsedSeconds: number }) => Promise<void> | void;
}

export interface DriveResult {
  changeSetType: 'CREATE' | 'UPDATE';
  changeSetStatus: string;
  changeSetReason?: string;
  /** When ExecuteChangeSet was called (undefined if the change set failed). */
  startedAt?: Date;
  finalStatus?: string;
  finalReason?: string;
  /** Every event of this operation, oldest first. */
  events: StackEvent[];
}

export async function runChangeSet(clients: AwsClients, clock: Clock, opts: DriveOptions): Promise<DriveResult> {
  const cfn = clients.cloudFormation;
  const call = <T>(fn: () => Promise<T>) => withThrottleRetry(fn, clock, { maxAttempts: Infinity });
  let status: string | undefined;
  try {
    status = (await call(() => cfn.describeStacks({ StackName: opts.stackName }))).Stacks?.[0]?.StackStatus;
  } catch (err) {
    if (!isStackMissing(err)) throw err;
  }
  const changeSetType = status === undefined || status === 'REVIEW_IN_PROGRESS' ? 'CREATE' : 'UPDATE';
  const created = await call(() =>
    cfn.createChangeSet({
      StackName: opts.stackName,
      ChangeSetName: `shipper-${clock.now().getTime()}`,
      ChangeSetType: changeSetType,
      TemplateBody: opts.templateBody,
      Parameters: Object.entries(opts.parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
      Capabilities: ['CAPABILITY_IAM'],
      ...(opts.rollbackConfiguration ? { RollbackConfiguration: opts.rollbackConfiguration } : {}),
    }),
  );
  let changeSet = await call(() => cfn.describeChangeSet({ ChangeSetName: created.Id }));
  while (changeSet.Status === 'CREATE_PENDING' || changeSet.Status === 'CREATE_IN_PROGRESS') {
    await clock.sleep(1000);
    changeSet = await call(() => cfn.describeChangeSet({ ChangeSetName: created.Id }));
  }
  const result: DriveResult = { changeSetType, changeSetStatus: changeSet.Status ?? '', changeSetReason: changeSet.StatusReason, events: [] };
  if (changeSet.Status !== 'CREATE_COMPLETE') return result;

  // Fence after the change set exists: a CREATE change set writes the stack's first event
  // (REVIEW_IN_PROGRESS), which belongs to no operation.
  const poller = await StackEventPoller.beforeOperation({ cloudFormation: cfn, stackName: opts.stackName, clock });
  result.startedAt = clock.now();
  await call(() => cfn.executeChangeSet({ ChangeSetName: created.Id, ClientRequestToken: opts.token }));
  for (;;) {
    await clock.sleep((opts.pollSeconds ?? 5) * 1000);
    const fresh = await poller.poll();
    result.events.push(...fresh);
    const stack = (await call(() => cfn.describeStacks({ StackName: created.StackId }))).Stacks![0]!;
    await opts.onPoll?.({ status: stack.StackStatus!, events: fresh, elapsedSeconds: (clock.now().getTime() - result.startedAt.getTime()) / 1000 });
    if (isTerminal(stack.StackStatus!)) {
      // One more poll, so late events are not lost.
      result.events.push(...(await poller.poll()));
      result.finalStatus = stack.StackStatus;
      result.finalReason = stack.StackStatusReason;
      return result;
    }
  }
}

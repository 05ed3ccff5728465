/**
 * The narrow AWS surface shipper uses. Core code depends on these interfaces only; the
 * real implementation (sdk-factory.ts) wraps SDK v3 clients, tests pass the simulated cloud
 * or moto-backed clients. Shapes are the SDK's own, so a fake can't drift from the wire.
 *
 * Errors are thrown as the SDK throws them: an Error whose `name` is the AWS error code
 * (`ValidationError`, `Throttling`, `ImageNotFoundException`, ...) and whose message is AWS's.
 */
import type * as cfn from '@aws-sdk/client-cloudformation';
import type * as asg from '@aws-sdk/client-auto-scaling';
import type * as ecr from '@aws-sdk/client-ecr';
import type * as sts from '@aws-sdk/client-sts';
import type * as ssm from '@aws-sdk/client-ssm';
import type * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import type * as cloudwatch from '@aws-sdk/client-cloudwatch';

type Out<T> = Omit<T, '$metadata'>;

export interface CloudFormationApi {
  describeStacks(input: cfn.DescribeStacksCommandInput): Promise<Out<cfn.DescribeStacksCommandOutput>>;
  describeStackEvents(input: cfn.DescribeStackEventsCommandInput): Promise<Out<cfn.DescribeStackEventsCommandOutput>>;
  describeStackResources(input: cfn.DescribeStackResourcesCommandInput): Promise<Out<cfn.DescribeStackResourcesCommandOutput>>;
  createChangeSet(input: cfn.CreateChangeSetCommandInput): Promise<Out<cfn.CreateChangeSetCommandOutput>>;
  describeChangeSet(input: cfn.DescribeChangeSetCommandInput): Promise<Out<cfn.DescribeChangeSetCommandOutput>>;
  executeChangeSet(input: cfn.ExecuteChangeSetCommandInput): Promise<Out<cfn.ExecuteChangeSetCommandOutput>>;
  deleteChangeSet(input: cfn.DeleteChangeSetCommandInput): Promise<Out<cfn.DeleteChangeSetCommandOutput>>;
  cancelUpdateStack(input: cfn.CancelUpdateStackCommandInput): Promise<Out<cfn.CancelUpdateStackCommandOutput>>;
  deleteStack(input: cfn.DeleteStackCommandInput): Promise<Out<cfn.DeleteStackCommandOutput>>;
  /** Names and statuses of the account's stacks: how `list` and `destroy` find an environment's instances. */
  listStacks(input: cfn.ListStacksCommandInput): Promise<Out<cfn.ListStacksCommandOutput>>;
}

export interface AutoScalingApi {
  describeAutoScalingGroups(input: asg.DescribeAutoScalingGroupsCommandInput): Promise<Out<asg.DescribeAutoScalingGroupsCommandOutput>>;
  describeScalingActivities(input: asg.DescribeScalingActivitiesCommandInput): Promise<Out<asg.DescribeScalingActivitiesCommandOutput>>;
}

export interface EcrApi {
  describeImages(input: ecr.DescribeImagesCommandInput): Promise<Out<ecr.DescribeImagesCommandOutput>>;
}

export interface StsApi {
  getCallerIdentity(input: sts.GetCallerIdentityCommandInput): Promise<Out<sts.GetCallerIdentityCommandOutput>>;
}

export interface SsmApi {
  putParameter(input: ssm.PutParameterCommandInput): Promise<Out<ssm.PutParameterCommandOutput>>;
  getParameter(input: ssm.GetParameterCommandInput): Promise<Out<ssm.GetParameterCommandOutput>>;
  getParameterHistory(input: ssm.GetParameterHistoryCommandInput): Promise<Out<ssm.GetParameterHistoryCommandOutput>>;
  /** Only ever an instance's own history, when `destroy` removes the instance. */
  deleteParameters(input: ssm.DeleteParametersCommandInput): Promise<Out<ssm.DeleteParametersCommandOutput>>;
}

export interface LoadBalancingApi {
  describeTargetHealth(input: elbv2.DescribeTargetHealthCommandInput): Promise<Out<elbv2.DescribeTargetHealthCommandOutput>>;
  /** The listener's rules (paginated with Marker): an instance's deploy picks a free priority among them. */
  describeRules(input: elbv2.DescribeRulesCommandInput): Promise<Out<elbv2.DescribeRulesCommandOutput>>;
}

/** Log groups a failed first create left behind (DeletionPolicy: Retain), found and removed on the next create. */
export interface RetainedLogGroupsApi {
  describeLogGroups(input: logs.DescribeLogGroupsCommandInput): Promise<Out<logs.DescribeLogGroupsCommandOutput>>;
  listTagsForResource(input: logs.ListTagsForResourceCommandInput): Promise<Out<logs.ListTagsForResourceCommandOutput>>;
  deleteLogGroup(input: logs.DeleteLogGroupCommandInput): Promise<Out<logs.DeleteLogGroupCommandOutput>>;
}

/** Read-only: the boot log a failed instance left in the service's log group; `shipper logs`. */
export interface LogsApi {
  getLogEvents(input: logs.GetLogEventsCommandInput, options?: { abortSignal?: AbortSignal }): Promise<Out<logs.GetLogEventsCommandOutput>>;
  /** Optional: only `shipper logs` reads with it, and fakes for the failure report need not. */
  filterLogEvents?(input: logs.FilterLogEventsCommandInput, options?: { abortSignal?: AbortSignal }): Promise<Out<logs.FilterLogEventsCommandOutput>>;
}

/** Read-only: the alarms a bake's rollback triggers name, found before the change set is made. */
export interface CloudWatchApi {
  describeAlarms(input: cloudwatch.DescribeAlarmsCommandInput): Promise<Out<cloudwatch.DescribeAlarmsCommandOutput>>;
}

/** Everything a deploy needs from AWS, created once per command. */
export interface AwsClients {
  cloudFormation: CloudFormationApi;
  autoScaling: AutoScalingApi;
  ecr: EcrApi;
  sts: StsApi;
  ssm: SsmApi;
  /** Target health for `status` and the listener's rules for an instance's deploy; optional because other deploys never need it. */
  elbv2?: LoadBalancingApi;
  /** CloudWatch Logs, for log groups retained by a failed first create; absent means none are looked for. */
  retainedLogGroups?: RetainedLogGroupsApi;
  /** Boot logs of failed instances for the failure report; optional because a report without them still stands. */
  logs?: LogsApi;
  /** CloudWatch alarms, for a bake's rollback triggers; absent means a bake's alarms cannot be checked (and the deploy is refused). */
  cloudWatch?: CloudWatchApi;
}

/** Injected time, so a ten-minute deploy is a millisecond test. */
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/** AWS error names that mean "slow down and try again". */
const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

export function isThrottling(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return THROTTLING_NAMES.has(err.name) || /rate exceeded/i.test(err.message);
}

/** CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist". */
export function isStackMissing(err: unknown): boolean {
  return err instanceof Error && err.name === 'ValidationError' && /does not exist/i.test(err.message);
}

/** Builds an error shaped like the SDK's service exceptions (used by fakes and tests). */
export function awsError(name: string, message: string, httpStatusCode = 400): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode };
  e.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return e;
}

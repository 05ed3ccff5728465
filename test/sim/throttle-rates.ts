/**
 * How fast AWS lets one account call each API in one region, as token buckets: `size` tokens
 * at most (the burst), `refillPerSecond` tokens back every second (the sustained rate); a call
 * with no token left is throttled. The model is the one AWS documents for EC2 ("Request
 * throttling for the Amazon EC2 API": one bucket per API action, per account and Region, e.g.
 * DescribeHosts 100 tokens refilled at 20 a second;
 * https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html) and for Auto Scaling
 * (one bucket shared by its API actions; see below).
 *
 * CloudFormation and Auto Scaling publish no numbers. Each row says where its number comes
 * from; where no public report gives one, the row says so and what it assumes. Calls not
 * listed here are never throttled by the simulated cloud.
 */

export interface ThrottleRate {
  /** Calls naming the same bucket draw from one token bucket (Auto Scaling shares one across its actions). */
  bucket: string;
  /** Tokens the bucket holds at most: the burst. */
  size: number;
  /** Tokens added back per second: the sustained rate. */
  refillPerSecond: number;
}

/** CloudFormation: "rate caps describe-stacks to 5 calls per second and this cannot be increased" (a user quoting AWS Support), https://github.com/aws/aws-sam-cli/issues/2671 */
const CFN_DESCRIBE_STACKS: ThrottleRate = { bucket: 'cloudformation:DescribeStacks', size: 5, refillPerSecond: 5 };

/** Keyed as the simulated cloud names calls: `<client>.<method>`. */
export const AWS_THROTTLE_RATES: Readonly<Record<string, ThrottleRate>> = {
  'cloudFormation.describeStacks': CFN_DESCRIBE_STACKS,
  // No number published. Reported throttled when several stacks are followed at once, and
  // confirmed by AWS Support: https://github.com/taimos/cfn-tail/issues/2,
  // https://github.com/aws/aws-cdk/issues/5637 (27 stacks deployed at once),
  // https://github.com/Nordstrom/cfn/pull/24. Assumed: the same 5 a second as DescribeStacks, its own bucket.
  'cloudFormation.describeStackEvents': { bucket: 'cloudformation:DescribeStackEvents', size: 5, refillPerSecond: 5 },
  // No number published; throttled with 20 stacks in parallel:
  // https://github.com/Kotaimen/awscfncli/issues/68. Assumed: 5 a second, like DescribeStacks.
  'cloudFormation.describeChangeSet': { bucket: 'cloudformation:DescribeChangeSet', size: 5, refillPerSecond: 5 },
  // No number published; several CreateStack calls in one second were throttled (AWS Support
  // quoted in https://github.com/Sceptre/sceptre/issues/910). Assumed: 5 a second per action.
  'cloudFormation.createChangeSet': { bucket: 'cloudformation:CreateChangeSet', size: 5, refillPerSecond: 5 },
  'cloudFormation.executeChangeSet': { bucket: 'cloudformation:ExecuteChangeSet', size: 5, refillPerSecond: 5 },
  'cloudFormation.deleteChangeSet': { bucket: 'cloudformation:DeleteChangeSet', size: 5, refillPerSecond: 5 },
  'cloudFormation.describeStackResources': { bucket: 'cloudformation:DescribeStackResources', size: 5, refillPerSecond: 5 },
  'cloudFormation.cancelUpdateStack': { bucket: 'cloudformation:CancelUpdateStack', size: 5, refillPerSecond: 5 },
  'cloudFormation.deleteStack': { bucket: 'cloudformation:DeleteStack', size: 5, refillPerSecond: 5 },
  'cloudFormation.listStacks': { bucket: 'cloudformation:ListStacks', size: 5, refillPerSecond: 5 },
  // Auto Scaling documents a token bucket shared by its actions ("calls to the
  // DescribeAutoScalingGroups and DescribeScheduledActions API operations use tokens from the
  // same bucket", https://docs.aws.amazon.com/autoscaling/ec2/APIReference/Welcome.html, "API
  // request rate"; https://repost.aws/knowledge-center/autoscaling-api-calls-throttled) but no
  // size or rate. Throttled DescribeAutoScalingGroups at a few calls a second is reported in
  // https://github.com/keikoproj/upgrade-manager/issues/142 and
  // https://github.com/kubernetes/autoscaler/issues/252. Assumed: 25 tokens refilled at 5 a
  // second, a quarter of the EC2 page's DescribeHosts bucket (100 tokens, 20 a second).
  'autoScaling.describeAutoScalingGroups': { bucket: 'autoscaling', size: 25, refillPerSecond: 5 },
  'autoScaling.describeScalingActivities': { bucket: 'autoscaling', size: 25, refillPerSecond: 5 },
};

/**
 * The IAM policy a deployer needs, generated from the AWS calls shipper can make (api.ts):
 * every client method maps to the IAM action that authorizes it and the resources it touches,
 * scoped to one environment's stack, repositories, log groups and release parameters.
 * The types make a method without an entry a compile error, and a test reads api.ts so a new
 * interface cannot be missed either. Actions and resource types per the Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
import type { AutoScalingApi, CloudFormationApi, CloudWatchApi, EcrApi, LoadBalancingApi, LogsApi, RetainedLogGroupsApi, SsmApi, StsApi } from './api.js';

/** What the resources of one environment's deploys are called. */
export interface PolicyScope {
  partition: string;
  region: string;
  account: string;
  stackName: string;
  /** SSM parameters of the release history, e.g. /shipper/hello/prod/releases. */
  parameters: string[];
  /** ECR repositories shipper looks images up in: the app's and any sidecar's in ECR. */
  repositories: { account: string; region: string; name: string }[];
  /** CloudWatch Logs groups the stack makes (retained ones are removed on a first create; boot logs are read). */
  logGroups: string[];
  /** The group instances write their boot log to (streams boot/<instance-id>), read for failure reports. */
  bootLogGroup: string;
  /** Registry credentials of sidecars, read in preflight: SSM parameter names (a Secrets Manager secret through its /aws/reference/secretsmanager/ name)… */
  credentialParameters: string[];
  /** …and the Secrets Manager secrets behind those references. */
  credentialSecrets: string[];
  /** An environment with short-lived instances: their stacks, release history and log groups, by prefix. */
  instances?: { stackNamePattern: string; parameterPattern: string; logGroupPatterns: string[] };
  /** Passed to CloudFormation as the stack's service role: the deployer must be allowed to pass it. */
  cloudFormationRoleArn?: string;
}

/** One client method: the IAM action it needs and on what, or why it needs none. */
export type Permission =
  | { action: string; resources: (s: PolicyScope) => string[]; /** A further action AWS checks for the same call. */ implies?: { action: string; resources: (s: PolicyScope) => string[] } }
  | { none: string };

const stack = (s: PolicyScope) => [s.stackName, ...(s.instances ? [s.instances.stackNamePattern] : [])].map((name) => `arn:${s.partition}:cloudformation:${s.region}:${s.account}:stack/${name}/*`);
/** Describe and list actions of Auto Scaling and Elastic Load Balancing support no resource-level permissions. */
const anyResource = () => ['*'];
const parameterArn = (s: PolicyScope, name: string) => `arn:${s.partition}:ssm:${s.region}:${s.account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;
const parameters = (s: PolicyScope) => [...s.parameters, ...(s.instances ? [s.instances.parameterPattern] : [])].map((name) => parameterArn(s, name));
/** Only instances' history is ever deleted; the environment's own never is. */
const instanceParameters = (s: PolicyScope) => (s.instances ? [parameterArn(s, s.instances.parameterPattern)] : []);
// A secret read through Parameter Store's reference is authorized by name pattern, and by Secrets Manager on the secret itself.
const credentialParameters = (s: PolicyScope) =>
  s.credentialParameters.map((name) => (name.startsWith('/aws/reference/secretsmanager/') ? parameterArn(s, '/aws/reference/secretsmanager/*') : parameterArn(s, name)));
const credentialSecrets = (s: PolicyScope) => s.credentialSecrets;
const repositories = (s: PolicyScope) => s.repositories.map((r) => `arn:${s.partition}:ecr:${r.region}:${r.account}:repository/${r.name}`);
const logGroups = (s: PolicyScope) => [...s.logGroups, ...(s.instances?.logGroupPatterns ?? [])].map((g) => `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:${g}`);
const bootLogStreams = (s: PolicyScope) =>
  [s.bootLogGroup, ...(s.instances?.logGroupPatterns ?? [])].map((g) => `arn:${s.partition}:logs:${s.region}:${s.account}:log-group:${g}:log-stream:boot/*`);

export const DEPLOYER_PERMISSIONS = {
  CloudFormationApi: {
    describeStacks: { action: 'cloudformation:DescribeStacks', resources: stack },
    describeStackEvents: { action: 'cloudformation:DescribeStackEvents', resources: stack },
    describeStackResources: { action: 'cloudformation:DescribeStackResources', resources: stack },
    createChangeSet: { action: 'cloudformation:CreateChangeSet', resources: stack },
    describeChangeSet: { action: 'cloudformation:DescribeChangeSet', resources: stack },
    executeChangeSet: { action: 'cloudformation:ExecuteChangeSet', resources: stack },
    deleteChangeSet: { action: 'cloudformation:DeleteChangeSet', resources: stack },
    cancelUpdateStack: { action: 'cloudformation:CancelUpdateStack', resources: stack },
    deleteStack: { action: 'cloudformation:DeleteStack', resources: stack },
    // ListStacks has no resource-level permissions. It answers names and statuses only; the
    // alternative, DescribeStacks without a name, would need DescribeStacks on every stack of
    // the account (outputs and parameters included), so shipper lists, then describes its own.
    listStacks: { action: 'cloudformation:ListStacks', resources: anyResource },
  } satisfies Record<keyof CloudFormationApi, Permission>,
  AutoScalingApi: {
    describeAutoScalingGroups: { action: 'autoscaling:DescribeAutoScalingGroups', resources: anyResource },
    describeScalingActivities: { action: 'autoscaling:DescribeScalingActivities', resources: anyResource },
  } satisfies Record<keyof AutoScalingApi, Permission>,
  EcrApi: {
    describeImages: { action: 'ecr:DescribeImages', resources: repositories },
  } satisfies Record<keyof EcrApi, Permission>,
  StsApi: {
    getCallerIdentity: { none: 'GetCallerIdentity needs no permission: no policy can deny it' },
  } satisfies Record<keyof StsApi, Permission>,
  SsmApi: {
    putParameter: { action: 'ssm:PutParameter', resources: parameters },
    getParameter: { action: 'ssm:GetParameter', resources: credentialParameters, implies: { action: 'secretsmanager:GetSecretValue', resources: credentialSecrets } },
    getParameterHistory: { action: 'ssm:GetParameterHistory', resources: parameters },
    deleteParameters: { action: 'ssm:DeleteParameters', resources: instanceParameters },
  } satisfies Record<keyof SsmApi, Permission>,
  LoadBalancingApi: {
    describeTargetHealth: { action: 'elasticloadbalancing:DescribeTargetHealth', resources: anyResource },
    // Only an environment with instances reads the listener's rules (to pick a free priority).
    describeRules: { action: 'elasticloadbalancing:DescribeRules', resources: (s) => (s.instances ? ['*'] : []) },
  } satisfies Record<keyof LoadBalancingApi, Permission>,
  RetainedLogGroupsApi: {
    // DescribeLogGroups is authorized on the account's log groups, not on the one asked for.
    describeLogGroups: { action: 'logs:DescribeLogGroups', resources: (s) => [`arn:${s.partition}:logs:${s.region}:${s.account}:log-group:*`] },
    listTagsForResource: { action: 'logs:ListTagsForResource', resources: logGroups },
    deleteLogGroup: { action: 'logs:DeleteLogGroup', resources: logGroups },
  } satisfies Record<keyof RetainedLogGroupsApi, Permission>,
  LogsApi: {
    getLogEvents: { action: 'logs:GetLogEvents', resources: bootLogStreams },
    // `shipper logs`: the app, sidecar and boot streams of the service's log groups.
    filterLogEvents: { action: 'logs:FilterLogEvents', resources: logGroups },
  } satisfies Record<keyof LogsApi, Permission>,
  CloudWatchApi: {
    // "To use this operation and return information about composite alarms, you must be signed on with the
    // cloudwatch:DescribeAlarms permission that is scoped to *" (CloudWatch API reference, DescribeAlarms).
    describeAlarms: { action: 'cloudwatch:DescribeAlarms', resources: anyResource },
  } satisfies Record<keyof CloudWatchApi, Permission>,
} as const;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** The deployer's policy for one environment: one statement per set of resources, actions sorted. */
export function deployerPolicy(scope: PolicyScope): PolicyDocument {
  const byResources = new Map<string, { actions: Set<string>; resources: string[] }>();
  const add = (permission: { action: string; resources: (s: PolicyScope) => string[] }) => {
    const resources = [...new Set(permission.resources(scope))].sort();
    if (!resources.length) return;
    const key = resources.join(' ');
    const entry = byResources.get(key) ?? { actions: new Set<string>(), resources };
    entry.actions.add(permission.action);
    byResources.set(key, entry);
  };
  for (const methods of Object.values(DEPLOYER_PERMISSIONS)) {
    for (const method of Object.values(methods) as Permission[]) {
      if ('none' in method) continue;
      add(method);
      if (method.implies) add(method.implies);
    }
  }
  const statements: PolicyStatement[] = [...byResources.values()].map(({ actions, resources }) => ({
    Sid: statementId(resources[0] ?? '*', resources.length),
    Effect: 'Allow',
    Action: [...actions].sort(),
    Resource: resources,
  }));
  if (scope.cloudFormationRoleArn) {
    // Naming a service role on CreateChangeSet/DeleteStack is passing it to CloudFormation.
    statements.push({
      Sid: 'PassCloudFormationServiceRole',
      Effect: 'Allow',
      Action: ['iam:PassRole'],
      Resource: [scope.cloudFormationRoleArn],
      Condition: { StringEquals: { 'iam:PassedToService': 'cloudformation.amazonaws.com' } },
    });
  }
  if (scope.instances) {
    // An instance's log groups are retained by its stack (DeletionPolicy: Retain) and removed by
    // `destroy`. Their names are the instance's, so they are matched by the tag CloudFormation
    // gives them (shipper:stack=<the instance's stack>); CloudWatch Logs honours
    // aws:ResourceTag on every action but DescribeLogGroups
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-identity-based-access-control-cwl.html).
    statements.push({
      Sid: 'InstanceLogGroups',
      Effect: 'Allow',
      Action: ['logs:DeleteLogGroup', 'logs:ListTagsForResource'],
      Resource: [`arn:${scope.partition}:logs:${scope.region}:${scope.account}:log-group:*`],
      Condition: { StringLike: { 'aws:ResourceTag/shipper:stack': scope.instances.stackNamePattern } },
    });
  }
  return { Version: '2012-10-17', Statement: statements.sort((a, b) => a.Sid.localeCompare(b.Sid)) };
}

/** A readable statement id from what its resources are (each statement has one kind). */
function statementId(resource: string, resourceCount: number): string {
  if (resource === '*') return 'DescribeWithoutResourceLevelPermissions';
  if (resource.includes(':stack/')) return 'Stack';
  // Only instances' history is ever deleted: its statement stands on its own.
  if (resource.includes(':parameter/shipper/') && resource.endsWith('/instances/*') && resourceCount === 1) return 'InstanceReleaseHistoryParameters';
  if (resource.includes(':parameter/shipper/')) return 'ReleaseHistoryParameters';
  if (resource.includes(':parameter/')) return 'RegistryCredentialParameters';
  if (resource.includes(':secretsmanager:')) return 'RegistryCredentialSecrets';
  if (resource.includes(':repository/')) return 'ImageRepositories';
  if (resource.includes(':log-stream:')) return 'BootLogStreams';
  if (resource.endsWith(':log-group:*')) return 'FindLogGroups';
  return 'StackLogGroups';
}

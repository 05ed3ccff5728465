/**
 * Real AWS clients (SDK v3), loaded only by the commands that talk to AWS so `--help` and
 * `render` never pay for the SDK. Credentials come from the standard chain (environment,
 * profiles, SSO, instance and container roles); AWS_ENDPOINT_URL and the service-specific
 * AWS_ENDPOINT_URL_<SERVICE> variables are honoured by the SDK itself.
 */
import { AwsCallError } from '../errors.js';
import type { AwsClients } from './api.js';
import { displayPath, knownProfiles, profileFiles } from './profiles.js';

export interface AwsClientOptions {
  region: string;
  profile?: string;
  /** For the shared config files' locations (HOME, AWS_CONFIG_FILE, ...). */
  env?: NodeJS.ProcessEnv;
  /** Assumed (with the credentials above) before any other client is made; every client then uses the role. */
  roleArn?: string;
  /** The role session's name (who deploys); default from deploySessionName. */
  sessionName?: string;
}

export async function createAwsClients(options: AwsClientOptions): Promise<AwsClients> {
  const [cfn, asg, ecr, sts, ssm] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-auto-scaling'),
    import('@aws-sdk/client-ecr'),
    import('@aws-sdk/client-sts'),
    import('@aws-sdk/client-ssm'),
  ]);
  // shipper retries throttling itself with its own backoff; the SDK's retries stay as a first line.
  // In adaptive mode they also pace each client after a throttle, attempt by attempt (shipper's
  // own pacer, pacer.ts, only sees the calls that failed every attempt), and every deploy that
  // shares these clients shares that pace. Nothing is paced before the first throttle.
  const baseConfig = { region: options.region, ...(options.profile ? { profile: options.profile } : {}), maxAttempts: 3, retryMode: 'adaptive' as const };
  const explain = explainMissingProfile(options.profile, options.env ?? process.env);
  const config = options.roleArn ? { ...baseConfig, credentials: await assumedRole(sts, baseConfig, explain, options) } : baseConfig;
  const cf = new cfn.CloudFormationClient(config);
  const as = new asg.AutoScalingClient(config);
  const er = new ecr.ECRClient(config);
  const st = new sts.STSClient(config);
  const sm = new ssm.SSMClient(config);
  for (const client of [cf, as, er, st, sm] as MiddlewareHost[]) client.middlewareStack.add(explain, { step: 'initialize', name: 'shipperExplainMissingProfile' });
  // Only `status` reads target health: load that client on first use.
  let lb: Promise<{ client: import('@aws-sdk/client-elastic-load-balancing-v2').ElasticLoadBalancingV2Client; mod: typeof import('@aws-sdk/client-elastic-load-balancing-v2') }> | undefined;
  const loadBalancing = () =>
    (lb ??= import('@aws-sdk/client-elastic-load-balancing-v2').then((mod) => {
      const client = new mod.ElasticLoadBalancingV2Client(config);
      (client as MiddlewareHost).middlewareStack.add(explain, { step: 'initialize', name: 'shipperExplainMissingProfile' });
      return { mod, client };
    }));
  // Only a first create (retained log groups), a failure report (boot logs) and `logs` use CloudWatch Logs:
  // load that client on first use.
  let cwl: Promise<{ client: import('@aws-sdk/client-cloudwatch-logs').CloudWatchLogsClient; mod: typeof import('@aws-sdk/client-cloudwatch-logs') }> | undefined;
  const cloudWatchLogs = () =>
    (cwl ??= import('@aws-sdk/client-cloudwatch-logs').then((mod) => {
      const client = new mod.CloudWatchLogsClient(config);
      (client as MiddlewareHost).middlewareStack.add(explain, { step: 'initialize', name: 'shipperExplainMissingProfile' });
      return { mod, client };
    }));
  // Only a bake reads CloudWatch alarms: load that client on first use.
  let cw: Promise<{ client: import('@aws-sdk/client-cloudwatch').CloudWatchClient; mod: typeof import('@aws-sdk/client-cloudwatch') }> | undefined;
  const cloudWatch = () =>
    (cw ??= import('@aws-sdk/client-cloudwatch').then((mod) => {
      const client = new mod.CloudWatchClient(config);
      (client as MiddlewareHost).middlewareStack.add(explain, { step: 'initialize', name: 'shipperExplainMissingProfile' });
      return { mod, client };
    }));
  return {
    cloudWatch: {
      describeAlarms: async (i) => {
        const { mod, client } = await cloudWatch();
        return client.send(new mod.DescribeAlarmsCommand(i));
      },
    },
    retainedLogGroups: {
      describeLogGroups: async (i) => {
        const { mod, client } = await cloudWatchLogs();
        return client.send(new mod.DescribeLogGroupsCommand(i));
      },
      listTagsForResource: async (i) => {
        const { mod, client } = await cloudWatchLogs();
        return client.send(new mod.ListTagsForResourceCommand(i));
      },
      deleteLogGroup: async (i) => {
        const { mod, client } = await cloudWatchLogs();
        return client.send(new mod.DeleteLogGroupCommand(i));
      },
    },
    cloudFormation: {
      describeStacks: (i) => cf.send(new cfn.DescribeStacksCommand(i)),
      describeStackEvents: (i) => cf.send(new cfn.DescribeStackEventsCommand(i)),
      describeStackResources: (i) => cf.send(new cfn.DescribeStackResourcesCommand(i)),
      createChangeSet: (i) => cf.send(new cfn.CreateChangeSetCommand(i)),
      describeChangeSet: (i) => cf.send(new cfn.DescribeChangeSetCommand(i)),
      executeChangeSet: (i) => cf.send(new cfn.ExecuteChangeSetCommand(i)),
      deleteChangeSet: (i) => cf.send(new cfn.DeleteChangeSetCommand(i)),
      cancelUpdateStack: (i) => cf.send(new cfn.CancelUpdateStackCommand(i)),
      deleteStack: (i) => cf.send(new cfn.DeleteStackCommand(i)),
      listStacks: (i) => cf.send(new cfn.ListStacksCommand(i)),
    },
    autoScaling: {
      describeAutoScalingGroups: (i) => as.send(new asg.DescribeAutoScalingGroupsCommand(i)),
      describeScalingActivities: (i) => as.send(new asg.DescribeScalingActivitiesCommand(i)),
    },
    ecr: { describeImages: (i) => er.send(new ecr.DescribeImagesCommand(i)) },
    sts: { getCallerIdentity: (i) => st.send(new sts.GetCallerIdentityCommand(i)) },
    ssm: {
      putParameter: (i) => sm.send(new ssm.PutParameterCommand(i)),
      getParameter: (i) => sm.send(new ssm.GetParameterCommand(i)),
      getParameterHistory: (i) => sm.send(new ssm.GetParameterHistoryCommand(i)),
      deleteParameters: (i) => sm.send(new ssm.DeleteParametersCommand(i)),
    },
    logs: {
      getLogEvents: async (i, options) => {
        const { mod, client } = await cloudWatchLogs();
        return client.send(new mod.GetLogEventsCommand(i), { abortSignal: options?.abortSignal });
      },
      filterLogEvents: async (i, options) => {
        const { mod, client } = await cloudWatchLogs();
        return client.send(new mod.FilterLogEventsCommand(i), { abortSignal: options?.abortSignal });
      },
    },
    elbv2: {
      describeTargetHealth: async (i) => {
        const { mod, client } = await loadBalancing();
        return client.send(new mod.DescribeTargetHealthCommand(i));
      },
    },
  };
}

/** The environment's role, assumed with the caller's own credentials (profile, environment, SSO...). */
async function assumedRole(
  sts: typeof import('@aws-sdk/client-sts'),
  baseConfig: { region: string; profile?: string; maxAttempts: number; retryMode: 'adaptive' },
  explain: ExplainMiddleware,
  options: AwsClientOptions,
) {
  const { assumeRoleCredentials, deploySessionName } = await import('./assume-role.js');
  const client = new sts.STSClient(baseConfig);
  (client as MiddlewareHost).middlewareStack.add(explain, { step: 'initialize', name: 'shipperExplainMissingProfile' });
  const roleArn = options.roleArn ?? '';
  return assumeRoleCredentials({ assumeRole: (i) => client.send(new sts.AssumeRoleCommand(i)) }, roleArn, options.sessionName ?? deploySessionName(options.env ?? process.env));
}

type ExplainMiddleware = (next: (args: unknown) => Promise<unknown>) => (args: unknown) => Promise<unknown>;
interface MiddlewareHost {
  middlewareStack: { add(middleware: ExplainMiddleware, options: { step: 'initialize'; name: string }): void };
}

/**
 * The SDK reports a profile that does not exist as "Could not load credentials from any
 * providers". When a profile was asked for and is in neither shared file, say that instead.
 */
function explainMissingProfile(profile: string | undefined, env: NodeJS.ProcessEnv): ExplainMiddleware {
  return (next) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      if (!profile || !(err instanceof Error) || err.name !== 'CredentialsProviderError') throw err;
      const files = profileFiles(env);
      const known = knownProfiles(files);
      if (known.includes(profile)) throw err;
      throw new AwsCallError(`AWS profile "${profile}" is not in ${displayPath(files.config, env)} or ${displayPath(files.credentials, env)}`, {
        hint: `${known.length ? `profiles there: ${known.join(', ')}` : 'no profiles are defined there'}\ncreate it (aws configure --profile ${profile}, or aws configure sso), or pass another --profile / AWS_PROFILE`,
        cause: err,
      });
    }
  };
}

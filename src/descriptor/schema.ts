/**
 * The service descriptor (`shipper.yml`) schema. One source of truth for validation,
 * defaults, the TypeScript types and the JSON Schema that `shipper schema` prints.
 *
 * Objects are strict: an unknown key is an error (with the closest known key suggested),
 * because a typo that is silently ignored is a deploy that does something else.
 */
import { z } from 'zod';
import { cronProblem } from './cron.js';
import { isImageReference, parseImageReference } from '../registry/reference.js';
import { bakeFieldSchema } from './bake-schema.js';
import { parseTtl, TTL_EXAMPLES } from '../instances/ttl.js';

export const AL2023_AMI_PARAMETER = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and dashes, starting with a letter (at most 40)');
const isoDuration = z
  .string()
  .regex(/^PT(?=\d)(\d+H)?(\d+M)?(\d+S)?$/, 'must be an ISO-8601 duration such as PT15M or PT1H30M');
/** CreationPolicy ResourceSignal Timeout: at most 12 hours (AWS CloudFormation CreationPolicy attribute). */
function withinSignalTimeoutLimit(text: string): boolean {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(text);
  const seconds = m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : 0;
  return seconds > 0 && seconds <= 43_200;
}
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid environment variable name');
/** `REPO:TAG`, `REPO@sha256:…` or `REPO:TAG@sha256:…`; preflight resolves and pins it. */
const imageReferenceSchema = z.string().superRefine((value, ctx) => {
  const parsed = parseImageReference(value);
  if (!isImageReference(parsed)) ctx.addIssue({ code: 'custom', message: `must be an image reference REPO:TAG, REPO@sha256:<64 hex> or REPO:TAG@sha256:<64 hex>: ${parsed.problem}` });
});
const accountId = z.union([z.string(), z.number()]).transform((v) => String(v)).pipe(
  z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id (quote it in YAML to keep leading zeros)'),
);
const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
const port = z.number().int().min(1).max(65535);

export const healthCheckSchema = z.strictObject({
  /** HTTP path the app answers 2xx on when it is ready for traffic. */
  path: z.string().startsWith('/').default('/health'),
  // Ranges are the target group's (ELBv2 CreateTargetGroup / AWS::ElasticLoadBalancingV2::TargetGroup):
  // interval 5-300 s, timeout 2-120 s and shorter than the interval, thresholds 2-10.
  // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateTargetGroup.html
  /** Seconds between checks on the instance and in the target group. */
  intervalSeconds: z.number().int().min(5).max(300).default(10),
  /** Seconds without an answer that count as a failed check; default min(5, interval - 1). */
  timeoutSeconds: z.number().int().min(2).max(120).optional(),
  /** Consecutive passes before the instance counts as healthy. */
  healthyThreshold: z.number().int().min(2).max(10).default(2),
  /** Consecutive failures before the target group counts an instance as unhealthy. */
  unhealthyThreshold: z.number().int().min(2).max(10).default(2),
  /** The group's health-check grace period, from InService (after the launch hook, once the app is healthy). */
  gracePeriodSeconds: z.number().int().min(10).max(3600).default(300),
});

export const secretRefSchema = z.union([
  z.strictObject({ ssm: z.string().regex(/^\/?[A-Za-z0-9_.\-/]+$/, 'must be an SSM parameter name such as /svc/db-password') }),
  z.strictObject({
    secretsManager: z
      .string()
      .regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, 'must be a Secrets Manager secret ARN'),
  }),
]);

export const scheduledActionSchema = z
  .strictObject({
  name: name,
  /** Cron in UTC unless timeZone is set: minute hour day-of-month month day-of-week. */
  recurrence: z.string().superRefine((value, ctx) => {
    const problem = cronProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: `invalid cron: ${problem}` });
  }),
  /** IANA time zone of the recurrence, e.g. Europe/Dublin (default Etc/UTC). */
  timeZone: z.string().optional(),
  minSize: z.number().int().min(0).optional(),
  maxSize: z.number().int().min(0).optional(),
  desiredCapacity: z.number().int().min(0).optional(),
  })
  .refine((a) => a.minSize !== undefined || a.maxSize !== undefined || a.desiredCapacity !== undefined, {
    message: 'a scheduled action must set at least one of minSize, maxSize, desiredCapacity',
  })
  .refine((a) => (a.minSize ?? 0) <= (a.maxSize ?? Infinity) && (a.minSize ?? 0) <= (a.desiredCapacity ?? Infinity) && (a.desiredCapacity ?? 0) <= (a.maxSize ?? Infinity), {
    message: 'a scheduled action must keep minSize <= desiredCapacity <= maxSize',
  });

export const loadBalancerSchema = z
  .strictObject({
    /** An existing target group the instances register with. */
    targetGroupArn: z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:/, 'must be a target group ARN').optional(),
    /** Or an existing listener: shipper creates a target group and a listener rule on it. */
    listenerArn: z.string().regex(/^arn:aws[a-z-]*:elasticloadbalancing:/, 'must be a listener ARN').optional(),
    rule: z
      .strictObject({
        priority: z.number().int().min(1).max(50000),
        hostHeader: z.string().optional(),
        pathPattern: z.string().optional(),
      })
      .optional(),
    /** The load balancer's DNS name and canonical hosted zone, for the Route53 alias and outputs. */
    dnsName: z.string().optional(),
    canonicalHostedZoneId: z.string().optional(),
    /** Security group of the load balancer; the instance accepts proxy traffic only from it. */
    securityGroupId: z.string().optional(),
    // Target group attributes, for the target group shipper creates (listenerArn). Ranges:
    // slow start 30-900 s or 0 (off), deregistration delay 0-3600 s.
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroupAttribute.html
    /** Seconds over which a newly healthy instance's share of requests ramps up; 0 turns it off. */
    slowStartSeconds: z.union([z.literal(0), z.number().int().min(30).max(900)]).default(60),
    /** Seconds a leaving instance keeps its in-flight requests; default the proxy's read timeout + 10. */
    deregistrationDelaySeconds: z.number().int().min(0).max(3600).optional(),
  })
  .refine((lb) => Boolean(lb.targetGroupArn) !== Boolean(lb.listenerArn), {
    message: 'set exactly one of targetGroupArn or listenerArn',
  })
  .refine((lb) => !lb.listenerArn || lb.rule, { message: 'listenerArn needs a rule (priority, hostHeader or pathPattern)', path: ['rule'] });

export const networkSchema = z.strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, 'must be a VPC id such as vpc-0abc1234'),
  subnets: z.array(z.string().regex(/^subnet-[0-9a-f]+$/, 'must be a subnet id such as subnet-0abc1234')).min(1),
  loadBalancer: loadBalancerSchema.optional(),
  /** A Route53 alias to the load balancer. */
  dns: z
    .strictObject({
      name: z.string(),
      hostedZoneId: z.string().optional(),
      hostedZoneName: z.string().optional(),
    })
    .refine((d) => Boolean(d.hostedZoneId) !== Boolean(d.hostedZoneName), { message: 'set exactly one of hostedZoneId or hostedZoneName' })
    .optional(),
  /** CIDR ranges allowed to reach the proxy when there is no load balancer security group. */
  ingressCidrs: z.array(z.string()).default([]),
}).refine((n) => !n.dns || (n.loadBalancer?.dnsName && n.loadBalancer.canonicalHostedZoneId), {
  message: 'dns needs loadBalancer.dnsName and loadBalancer.canonicalHostedZoneId (the alias target)',
  path: ['dns'],
});

/** `docker run --memory` / `--memory-reservation` in MiB (Docker's minimum is 6 MiB). */
const containerMemory = {
  memoryMiB: z.number().int().min(6).max(1_048_576).optional(),
  memoryReservationMiB: z.number().int().min(6).max(1_048_576).optional(),
};

const sidecarCommon = {
  ...containerMemory,
  enabled: z.boolean().default(true),
  image: imageReferenceSchema.optional(),
  /** For a private registry: a secret holding `username:password` (read at deploy and on the instance). */
  registryCredentials: secretRefSchema.optional(),
};

export const reverseProxySchema = z.strictObject({
  ...sidecarCommon,
  listenPort: port.default(80),
  clientMaxBodySize: z.string().regex(/^\d+[kKmMgG]?$/, 'must be an nginx size such as 10m').default('10m'),
  proxyConnectTimeoutSeconds: z.number().int().min(1).max(300).default(5),
  proxyReadTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  proxySendTimeoutSeconds: z.number().int().min(1).max(3600).default(60),
  keepaliveTimeoutSeconds: z.number().int().min(1).max(3600).default(75),
});

export const logRouterSchema = z.strictObject({
  ...sidecarCommon,
  output: z.enum(['cloudwatch', 'splunk']).default('cloudwatch'),
  /** CloudWatch log group; default /shipper/<service>/<env>. */
  logGroup: z.string().optional(),
  retentionDays: z.number().int().min(1).default(30),
  splunk: z
    .strictObject({
      host: z.string(),
      port: port.default(8088),
      /** The HEC token, by reference only. */
      token: secretRefSchema,
      tls: z.boolean().default(true),
    })
    .optional(),
});

export const metricsCollectorSchema = z.strictObject({
  ...sidecarCommon,
  namespace: z.string().optional(),
  /** Seconds between metric collections. */
  intervalSeconds: z.number().int().min(10).max(3600).default(60),
  /** Scrape the app's Prometheus endpoint. */
  prometheus: z.strictObject({ path: z.string().startsWith('/').default('/metrics'), port: port.optional() }).optional(),
});

export const customSidecarSchema = z.strictObject({
  name: name,
  image: imageReferenceSchema,
  registryCredentials: secretRefSchema.optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(envVarName, z.string()).default({}),
  /** Host ports published by the container (rarely needed: sidecars share the app network). */
  ports: z.array(port).default([]),
  ...containerMemory,
});

export const sidecarsSchema = z.strictObject({
  'reverse-proxy': reverseProxySchema.prefault({}),
  'log-router': logRouterSchema.prefault({}),
  'metrics-collector': metricsCollectorSchema.prefault({}),
  custom: z.array(customSidecarSchema).default([]),
});

export const capacitySchema = z
  .strictObject({
    min: z.number().int().min(0).default(1),
    max: z.number().int().min(1).default(2),
    desired: z.number().int().min(0).default(1),
  })
  .refine((c) => c.min <= c.desired && c.desired <= c.max, {
    message: 'capacity must satisfy min <= desired <= max',
  });

/**
 * An environment's opt-in to short-lived instances (`--instance pr-123`): each is a stack of its
 * own (`<stack>-<instance>`) with its own group, listener rule, DNS name and release history.
 */
export const instancesSchema = z.strictObject({
  /** How long an instance lives unless `--ttl` says otherwise; each deploy of it starts the clock again. */
  ttl: z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseTtl(value);
      if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: `${parsed.problem} (${TTL_EXAMPLES})` });
    })
    .default('3d'),
  /** The instance's host name; `{instance}` is replaced by its name. Default: `{instance}.<network.dns.name>`. */
  dnsName: z
    .string()
    .regex(/^([a-z0-9-]*\{instance\}[a-z0-9-]*)(\.[a-z0-9-]+)+\.?$/, 'must be a host name with {instance} in its first label, e.g. "{instance}.hello.test.example.com"')
    .optional(),
  /** The instance's group; default min 1, desired 1, max 2, whatever the environment's capacity is. */
  capacity: capacitySchema.optional(),
});

/** Where deploys are announced; a failing receiver never fails a deploy. */
export const notificationsSchema = z.strictObject({
  webhooks: z
    .array(
      z.strictObject({
        /** The receiver's URL, or a secret holding it (a Slack incoming-webhook URL is a credential). */
        url: z.union([z.url({ protocol: /^https?$/ }), secretRefSchema]),
        /** slack: Slack-compatible `text` and `blocks`; json: shipper's plain JSON shape. */
        format: z.enum(['slack', 'json']).default('slack'),
        on: z.array(z.enum(['started', 'baking', 'live', 'failed', 'cancelled'])).default(['started', 'baking', 'live', 'failed', 'cancelled']),
      }),
    )
    .default([]),
  newRelic: z
    .strictObject({
      entityGuid: z.string().min(1),
      region: z.enum(['US', 'EU']).default('US'),
      /** Default: the NEW_RELIC_API_KEY environment variable. */
      apiKey: secretRefSchema.optional(),
    })
    .optional(),
  /** SNS topics CloudFormation sends this stack's events to (the stack's NotificationARNs). */
  snsTopicArns: z.array(z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic ARN')).max(5).default([]),
});

/** Everything an environment overlay may override, plus what only an environment has. */
const serviceFields = {
  service: name,
  image: z.strictObject({
    /** ECR repository name (in the environment's account and region) or a full registry URI. */
    repository: z.string().regex(/^([0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/)?[a-z0-9][a-z0-9._/-]*$/, 'must be an ECR repository name or URI'),
  }),
  port: port.default(8080),
  healthCheck: healthCheckSchema.prefault({}),
  instance: z
    .strictObject({
      type: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as t3.small').default('t3.small'),
      /** An AMI id, or an SSM parameter name resolved at deploy time. */
      ami: z.string().default(`resolve:ssm:${AL2023_AMI_PARAMETER}`),
      keyName: z.string().optional(),
      rootVolumeGiB: z.number().int().min(8).max(16384).default(30),
    })
    .prefault({}),
  capacity: capacitySchema.prefault({}),
  /** How long new instances have to signal SUCCESS (ISO-8601). */
  signalTimeout: isoDuration.refine(withinSignalTimeoutLimit, 'must be longer than zero and at most PT12H, CloudFormation\'s limit for a creation policy timeout').default('PT15M'),
  /** Percentage of new instances that must signal SUCCESS for the group to count as live. */
  minSuccessfulInstancesPercent: z.number().int().min(0).max(100).default(100),
  network: networkSchema,
  environment: z.record(envVarName, z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v))).default({}),
  secrets: z.record(envVarName, secretRefSchema).default({}),
  scheduledActions: z.array(scheduledActionSchema).default([]),
  sidecars: sidecarsSchema.prefault({}),
  /** Path (relative to the descriptor) to the service's own CloudFormation fragment. */
  fragment: z.string().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  notifications: notificationsSchema.optional(),
  /** Keep the old group warm after the new one is in service and roll back on alarms (see bake-schema.ts). */
  bake: bakeFieldSchema,
};

const iamRoleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]{1,512}$/, 'must be an IAM role ARN (arn:aws:iam::123456789012:role/NAME)');

export const environmentOnlyFields = {
  account: accountId,
  region: region,
  /** Deploys ask for confirmation (and need --yes when not interactive). */
  protected: z.boolean().default(false),
  /** Stack name; default <service>-<env>. */
  stackName: z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/).optional(),
  /** Assumed through STS before any other call (cross-account deploys); the account guard checks its account. */
  roleArn: iamRoleArn.optional(),
  /** CloudFormation's service role for the stack, so the deployer itself needs no rights on the resources. */
  cloudFormationRoleArn: iamRoleArn.optional(),
  /** Short-lived copies of the service (`--instance pr-123`) are allowed here; never in a protected environment. */
  instances: instancesSchema.optional(),
};

/** The descriptor after an environment overlay is applied: what composition consumes. */
export const resolvedServiceSchema = z.strictObject({ ...serviceFields, ...environmentOnlyFields });

/** The file as written: the base plus `environments`, whose entries are validated after merging. */
export const descriptorFileSchema = z.strictObject({
  ...Object.fromEntries(Object.entries(serviceFields).map(([k, v]) => [k, v.optional()])),
  environments: z.record(z.string().regex(/^[a-z][a-z0-9-]{0,19}$/), z.record(z.string(), z.unknown())),
});

/** The JSON Schema editors use for completion: overlays accept any service key plus the environment's own. */
export function descriptorJsonSchema(): Record<string, unknown> {
  const optionalFields = Object.fromEntries(Object.entries(serviceFields).map(([k, v]) => [k, v.optional()]));
  // Scheduled actions are per environment only (the loader refuses them in the base).
  const { scheduledActions: _perEnvironment, ...baseFields } = optionalFields;
  const editorSchema = z
    .strictObject({
      ...baseFields,
      environments: z.record(z.string(), z.strictObject({ ...optionalFields, ...environmentOnlyFields })),
    })
    .meta({ title: 'shipper.yml', description: 'A service deployed by shipper: one base description plus per-environment overlays.' });
  return z.toJSONSchema(editorSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}

export type ResolvedService = z.output<typeof resolvedServiceSchema>;
export type SecretRef = z.output<typeof secretRefSchema>;
export type Notifications = z.output<typeof notificationsSchema>;
export type ScheduledAction = z.output<typeof scheduledActionSchema>;
export type Sidecars = z.output<typeof sidecarsSchema>;
export type ReverseProxySettings = z.output<typeof reverseProxySchema>;
export type LogRouterSettings = z.output<typeof logRouterSchema>;
export type MetricsCollectorSettings = z.output<typeof metricsCollectorSchema>;
export type CustomSidecar = z.output<typeof customSidecarSchema>;

/** A fully resolved service in one environment, ready for composition. */
export interface ServiceEnvironment {
  /** Environment name, e.g. `test`. */
  env: string;
  stackName: string;
  service: ResolvedService;
  /** Absolute path of the descriptor, for messages and relative paths. */
  descriptorPath: string;
  /** The fragment, parsed, when the descriptor names one. */
  fragment?: LoadedFragment;
  /** Set when the command addresses a short-lived instance (`--instance`) instead of the environment's main stack. */
  instance?: InstanceTarget;
  /** Where a descriptor key (e.g. `instance.type`) is set for this environment: the overlay, else the base. */
  locateKey?(keyPath: readonly string[]): { file: string; line?: number; column?: number };
}

export type { InstanceTarget } from '../instances/instance-target.js';
import type { InstanceTarget } from '../instances/instance-target.js';

export interface LoadedFragment {
  path: string;
  template: Record<string, unknown>;
  /** Where a key path of the fragment is written, for messages that name the line. */
  locate(path: ReadonlyArray<string | number>): { file: string; line?: number; column?: number };
}

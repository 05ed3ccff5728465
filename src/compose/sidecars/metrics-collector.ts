/**
 * The metrics collector: the CloudWatch agent reading host metrics (through the host's root file
 * system and process table), Docker daemon process metrics and, when the service declares it,
 * the app's Prometheus endpoint.
 */
import type { HostFile, IamStatement, Mount, SidecarContribution } from '../containers.js';
import { DEFAULT_SIDECARS_DIR, loadSidecarDefaults, readSidecarFile, type SidecarDefaults } from './files.js';
import { APP_CONTAINER_NAME, hostConfigPath, type SidecarInput } from './input.js';
import { checkNamespace, metricsNamespace, prometheusLogGroupName, PROMETHEUS_LOG_GROUP_LOGICAL_ID, checkRetentionDays, checkLogGroupName } from './names.js';
import { retainedLogGroup } from './log-group.js';
import { sidecarMemory } from './memory.js';
import { renderTemplate } from './template.js';

export const METRICS_COLLECTOR_NAME = 'metrics-collector';
const PROMETHEUS_JOB = 'app';

/** Template values for the JSON and YAML templates are JSON literals: they cannot break the syntax. */
function literals(values: Record<string, string | number>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, JSON.stringify(v)]));
}

/** `host:port` and path the agent scrapes, or undefined when the service has no Prometheus endpoint. */
export function prometheusTarget(input: SidecarInput): { target: string; path: string } | undefined {
  const prometheus = input.service.sidecars['metrics-collector'].prometheus;
  if (!prometheus) return undefined;
  return { target: `${APP_CONTAINER_NAME}:${prometheus.port ?? input.service.port}`, path: prometheus.path };
}

/** The agent's JSON config, as an object (it is written to the instance as JSON). */
export function cloudWatchAgentConfig(input: SidecarInput): Record<string, unknown> {
  const sidecarsDir = input.sidecarsDir ?? DEFAULT_SIDECARS_DIR;
  const defaults = loadSidecarDefaults(sidecarsDir, METRICS_COLLECTOR_NAME);
  const settings = input.service.sidecars['metrics-collector'];
  const namespace = checkNamespace(metricsNamespace(input.service));

  const main = renderTemplate(
    `${METRICS_COLLECTOR_NAME}/cloudwatch-agent.json.tmpl`,
    readSidecarFile(sidecarsDir, METRICS_COLLECTOR_NAME, 'cloudwatch-agent.json.tmpl'),
    { interval_seconds: String(settings.intervalSeconds), ...literals({ region: input.region, namespace }) },
  );
  const config = JSON.parse(main) as Record<string, unknown>;
  if (prometheusTarget(input)) {
    const logs = renderTemplate(
      `${METRICS_COLLECTOR_NAME}/prometheus-logs.json.tmpl`,
      readSidecarFile(sidecarsDir, METRICS_COLLECTOR_NAME, 'prometheus-logs.json.tmpl'),
      literals({
        cluster_name: input.stackName,
        log_group_name: checkLogGroupName(prometheusLogGroupName(input.service, input.env, input.instance), 'service'),
        prometheus_config_path: defaults.string('prometheusConfigPath'),
        namespace,
        job_matcher: `^${PROMETHEUS_JOB}$`,
      }),
    );
    config['logs'] = JSON.parse(logs) as unknown;
  }
  return config;
}

/** The Prometheus scrape config the agent reads, or undefined when nothing is scraped. */
export function renderPrometheusConfig(input: SidecarInput): string | undefined {
  const scrape = prometheusTarget(input);
  if (!scrape) return undefined;
  const interval = input.service.sidecars['metrics-collector'].intervalSeconds;
  return renderTemplate(
    `${METRICS_COLLECTOR_NAME}/prometheus.yaml.tmpl`,
    readSidecarFile(input.sidecarsDir ?? DEFAULT_SIDECARS_DIR, METRICS_COLLECTOR_NAME, 'prometheus.yaml.tmpl'),
    {
      service: input.service.service,
      env: input.env,
      ...literals({
        scrape_interval: `${interval}s`,
        // Prometheus refuses a timeout longer than the interval.
        scrape_timeout: `${Math.min(10, interval)}s`,
        job_name: PROMETHEUS_JOB,
        metrics_path: scrape.path,
        target: scrape.target,
      }),
    },
  );
}

function iam(input: SidecarInput, namespace: string): IamStatement[] {
  const statements: IamStatement[] = [
    {
      Sid: 'MetricsCollectorPutsMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      // PutMetricData has no resource-level permissions; the namespace condition is the scope.
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': namespace } },
    },
    {
      Sid: 'MetricsCollectorReadsInstanceTags',
      Effect: 'Allow',
      // For the AutoScalingGroupName dimension; DescribeTags has no resource-level permissions.
      Action: ['ec2:DescribeTags'],
      Resource: '*',
    },
  ];
  if (prometheusTarget(input)) {
    statements.push({
      Sid: 'MetricsCollectorWritesPrometheusMetrics',
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      Resource: { 'Fn::GetAtt': [PROMETHEUS_LOG_GROUP_LOGICAL_ID, 'Arn'] },
    });
  }
  return statements;
}

function filesAndMounts(input: SidecarInput, defaults: SidecarDefaults): { files: HostFile[]; mounts: Mount[] } {
  const configHostPath = hostConfigPath(METRICS_COLLECTOR_NAME, 'cloudwatch-agent.json');
  const files: HostFile[] = [{ hostPath: configHostPath, content: `${JSON.stringify(cloudWatchAgentConfig(input), null, 2)}\n` }];
  const mounts: Mount[] = [
    { hostPath: configHostPath, containerPath: defaults.string('configPath'), readOnly: true },
    { hostPath: '/', containerPath: defaults.string('hostRootMount'), readOnly: true },
  ];
  const prometheus = renderPrometheusConfig(input);
  if (prometheus !== undefined) {
    const hostPath = hostConfigPath(METRICS_COLLECTOR_NAME, 'prometheus.yaml');
    files.push({ hostPath, content: prometheus });
    mounts.push({ hostPath, containerPath: defaults.string('prometheusConfigPath'), readOnly: true });
  }
  return { files, mounts };
}

export function metricsCollectorSidecar(input: SidecarInput): SidecarContribution {
  const defaults = loadSidecarDefaults(input.sidecarsDir ?? DEFAULT_SIDECARS_DIR, METRICS_COLLECTOR_NAME);
  const settings = input.service.sidecars['metrics-collector'];
  const namespace = checkNamespace(metricsNamespace(input.service));
  const rootfs = defaults.string('hostRootMount');
  const resources: Record<string, unknown> = {};
  if (prometheusTarget(input)) {
    resources[PROMETHEUS_LOG_GROUP_LOGICAL_ID] = retainedLogGroup(
      prometheusLogGroupName(input.service, input.env, input.instance),
      checkRetentionDays(input.service.sidecars['log-router'].retentionDays),
    );
  }
  return {
    container: {
      name: METRICS_COLLECTOR_NAME,
      image: settings.image ?? defaults.image,
      ...filesAndMounts(input, defaults),
      memory: sidecarMemory(settings, defaults),
      publish: [],
      // The agent reads host, not container, figures from these (gopsutil's documented variables).
      environment: {
        HOST_PROC: `${rootfs}/proc`,
        HOST_SYS: `${rootfs}/sys`,
        HOST_ETC: `${rootfs}/etc`,
        HOST_MOUNT_PREFIX: rootfs,
      },
      // The host's process table, for the Docker daemon process metrics.
      extraArgs: ['--pid=host'],
      logsToRouter: true,
    },
    iamStatements: iam(input, namespace),
    resources,
  };
}

/**
 * A boot plan shaped like the bundled example (examples/hello) with its three sidecars, with
 * configuration files of a realistic size so the 16 KB user data limit is tested honestly.
 */
import type { BootPlan } from '../../src/compose/user-data.js';
import type { ContainerSpec } from '../../src/compose/containers.js';

export const DIGEST = `sha256:${'ab12'.repeat(16)}`;
export const ECR_REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
export const TARGET_GROUP_ARN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/hello-test/0123456789abcdef';

/** Values a shell would love to interpret; the app must receive them byte for byte. */
export const NASTY_ENVIRONMENT: Record<string, string> = {
  GREETING: 'Hello, "world" & $friends; `uname`',
  SINGLE_QUOTES: "it's 'quoted' ''",
  SUBSHELL: '$(touch /tmp/shipper-pwned) ${HOME} $((1+1))',
  CHAINS: 'a; b && c || d | e > f < g',
  BACKSLASHES: 'C:\\path\\to\\n \\\\ \\',
  MULTI_LINE: 'line one\nline two\n  indented # not a comment\n',
  CARRIAGE: 'windows\r\nline',
  EQUALS: 'a=b=c',
  LEADING_SPACE: '  padded  ',
  HASH: '#not-a-comment',
  EMPTY: '',
  UNICODE: 'grüße 👋',
};

const digestOf = (seed: string) => `sha256:${seed.repeat(64 / seed.length)}`;

const NGINX_CONF = `worker_processes auto;
events { worker_connections 1024; }
http {
  access_log /dev/stdout;
  error_log /dev/stderr warn;
  client_max_body_size 10m;
  keepalive_timeout 75s;
  resolver 127.0.0.11 valid=10s ipv6=off;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream app {
    server app:8080 max_fails=0;
    keepalive 32;
  }
  server {
    listen 80 default_server;
    server_name _;
    location = /nginx-health { access_log off; return 200 "ok\\n"; }
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_connect_timeout 5s;
      proxy_read_timeout 60s;
      proxy_send_timeout 60s;
    }
  }
}
`;

const FLUENT_BIT_CONF = `[SERVICE]
    Flush        1
    Log_Level    info
    Parsers_File parsers.conf
[INPUT]
    Name         forward
    Listen       0.0.0.0
    Port         24224
    Buffer_Chunk_Size 1M
    Buffer_Max_Size   6M
[FILTER]
    Name         record_modifier
    Match        *
    Record       service hello
    Record       environment test
[OUTPUT]
    Name              cloudwatch_logs
    Match             *
    region            eu-west-1
    log_group_name    /shipper/hello/test
    log_stream_prefix \${HOSTNAME}/
    auto_create_group false
    retry_limit       5
`;

const CLOUDWATCH_AGENT_JSON = JSON.stringify(
  {
    agent: { metrics_collection_interval: 60, run_as_user: 'root' },
    metrics: {
      namespace: 'Shipper/hello',
      append_dimensions: { AutoScalingGroupName: '${aws:AutoScalingGroupName}', InstanceId: '${aws:InstanceId}' },
      aggregation_dimensions: [['AutoScalingGroupName']],
      metrics_collected: {
        cpu: { measurement: ['cpu_usage_idle', 'cpu_usage_user', 'cpu_usage_system'], totalcpu: true },
        mem: { measurement: ['mem_used_percent'] },
        disk: { measurement: ['used_percent'], resources: ['/'] },
      },
    },
    logs: {
      metrics_collected: {
        prometheus: {
          prometheus_config_path: '/etc/cwagent/prometheus.yml',
          emf_processor: { metric_namespace: 'Shipper/hello/app' },
        },
      },
    },
  },
  null,
  2,
);

const PROMETHEUS_YML = `global:
  scrape_interval: 60s
scrape_configs:
  - job_name: app
    metrics_path: /metrics
    static_configs:
      - targets: ['app:8080']
`;

export function sidecars(): ContainerSpec[] {
  return [
    {
      name: 'reverse-proxy',
      image: `public.ecr.aws/nginx/nginx@${digestOf('1a')}`,
      files: [{ hostPath: '/etc/shipper/reverse-proxy/nginx.conf', content: NGINX_CONF }],
      mounts: [{ hostPath: '/etc/shipper/reverse-proxy/nginx.conf', containerPath: '/etc/nginx/nginx.conf', readOnly: true }],
      publish: [[80, 80]],
      environment: {},
      logsToRouter: true,
    },
    {
      name: 'log-router',
      image: `public.ecr.aws/aws-observability/aws-for-fluent-bit@${digestOf('2b')}`,
      files: [{ hostPath: '/etc/shipper/log-router/fluent-bit.conf', content: FLUENT_BIT_CONF }],
      mounts: [{ hostPath: '/etc/shipper/log-router/fluent-bit.conf', containerPath: '/fluent-bit/etc/fluent-bit.conf', readOnly: true }],
      publish: [[24224, 24224]],
      environment: { AWS_REGION: 'eu-west-1' },
      logsToRouter: false,
    },
    {
      name: 'metrics-collector',
      image: `public.ecr.aws/cloudwatch-agent/cloudwatch-agent@${digestOf('3c')}`,
      files: [
        { hostPath: '/etc/shipper/metrics-collector/config.json', content: CLOUDWATCH_AGENT_JSON },
        { hostPath: '/etc/shipper/metrics-collector/prometheus.yml', content: PROMETHEUS_YML },
      ],
      mounts: [
        { hostPath: '/etc/shipper/metrics-collector/config.json', containerPath: '/etc/cwagentconfig/config.json', readOnly: true },
        { hostPath: '/etc/shipper/metrics-collector/prometheus.yml', containerPath: '/etc/cwagent/prometheus.yml', readOnly: true },
      ],
      publish: [],
      environment: { RUN_IN_CONTAINER: 'True' },
      extraArgs: ['--pid=host'],
      logsToRouter: true,
    },
  ];
}

export function examplePlan(overrides: Partial<BootPlan> = {}): BootPlan {
  return {
    stackName: 'hello-test',
    region: 'eu-west-1',
    resourceLogicalId: 'AutoScalingGroup',
    app: {
      repository: `${ECR_REGISTRY}/hello`,
      digest: { Ref: 'ImageDigest' },
      port: 8080,
      environment: { LOG_LEVEL: 'info', GREETING: 'Hello, "world" & $friends; `uname`' },
      secrets: { DATABASE_PASSWORD: { ssm: '/hello/database-password' } },
    },
    sidecars: sidecars(),
    health: { path: '/health', proxyPort: 80, intervalSeconds: 10, healthyThreshold: 2 },
    bootBudgetSeconds: 780,
    launchHookName: 'shipper-boot',
    logGroupName: '/shipper/hello/test',
    targetGroupArn: { Ref: 'TargetGroup' },
    ...overrides,
  };
}

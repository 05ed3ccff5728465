import { describe, expect, it } from '@jest/globals';
import { parse as parseYaml } from 'yaml';
import { BadInputError } from '../../src/errors.js';
import { cloudWatchAgentConfig, composeSidecars, renderPrometheusConfig } from '../../src/compose/sidecars/index.js';
import { input, service } from './fixtures.js';

// Parsed agent and scrape configs are checked by shape, not by a typed model.
type Json = Record<string, any>;

function collector(svc = service()) {
  return composeSidecars(input(svc)).find((c) => c.container.name === 'metrics-collector')!;
}

function writtenConfig(svc = service()): Json {
  const file = collector(svc).container.files.find((f) => f.hostPath.endsWith('cloudwatch-agent.json'))!;
  return JSON.parse(file.content) as Json;
}

describe('metrics collector', () => {
  it('writes a JSON agent config with host metrics under the default namespace', () => {
    const config = writtenConfig();
    expect(config['agent']).toMatchObject({ region: 'eu-west-1', metrics_collection_interval: 60 });
    expect(config['metrics']['namespace']).toBe('Shipper/hello');
    expect(Object.keys(config['metrics']['metrics_collected'])).toEqual(expect.arrayContaining(['cpu', 'mem', 'disk']));
    const processes = (config['metrics']['metrics_collected']['procstat'] as Json[]).map((p) => p['exe'] ?? p['pattern']);
    expect(processes).toEqual(expect.arrayContaining(['dockerd', 'containerd']));
    expect(config['logs']).toBeUndefined();
  });

  it('uses the descriptor namespace and interval', () => {
    const svc = service({ sidecars: { 'metrics-collector': { namespace: 'Payments/hello', intervalSeconds: 30 } } });
    const config = cloudWatchAgentConfig(input(svc)) as Json;
    expect(config['metrics']['namespace']).toBe('Payments/hello');
    expect(config['agent']['metrics_collection_interval']).toBe(30);
  });

  it('refuses a namespace CloudWatch would reject', () => {
    const svc = service({ sidecars: { 'metrics-collector': { namespace: 'AWS/EC2' } } });
    expect(() => composeSidecars(input(svc))).toThrow(BadInputError);
  });

  it('scrapes nothing when the service declares no Prometheus endpoint', () => {
    const c = collector();
    expect(renderPrometheusConfig(input())).toBeUndefined();
    expect(c.container.files.map((f) => f.hostPath)).toEqual(['/etc/shipper/metrics-collector/cloudwatch-agent.json']);
    expect(c.resources).toEqual({});
  });

  it('scrapes the app port and path when Prometheus is declared', () => {
    const svc = service({ port: 9000, sidecars: { 'metrics-collector': { prometheus: { path: '/internal/metrics' } } } });
    const c = collector(svc);
    const config = writtenConfig(svc);
    const prometheus = config['logs']['metrics_collected']['prometheus'] as Json;
    expect(prometheus['emf_processor']['metric_namespace']).toBe('Shipper/hello');
    expect(prometheus['log_group_name']).toBe('/shipper/hello/test/prometheus');

    const scrapeFile = c.container.files.find((f) => f.hostPath.endsWith('prometheus.yaml'))!;
    const mount = c.container.mounts.find((m) => m.hostPath === scrapeFile.hostPath)!;
    expect(prometheus['prometheus_config_path']).toBe(mount.containerPath);

    const scrape = parseYaml(scrapeFile.content) as Json;
    expect(scrape['scrape_configs']).toEqual([
      { job_name: 'app', metrics_path: '/internal/metrics', static_configs: [{ targets: ['app:9000'] }] },
    ]);
    // Only the scrape job's metrics become CloudWatch metrics.
    expect(prometheus['emf_processor']['metric_declaration'][0]['label_matcher']).toBe('^app$');
    expect(c.resources['PrometheusLogGroup']).toEqual({
      Type: 'AWS::Logs::LogGroup',
      // Kept through a failed first create's rollback, recognisable by its stack tag.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: { LogGroupName: '/shipper/hello/test/prometheus', RetentionInDays: 30, Tags: [{ Key: 'shipper:stack', Value: { Ref: 'AWS::StackName' } }] },
    });
  });

  it('scrapes a separate metrics port when one is given', () => {
    const svc = service({ sidecars: { 'metrics-collector': { prometheus: { port: 9464 } } } });
    const scrape = parseYaml(renderPrometheusConfig(input(svc))!) as Json;
    expect(scrape['scrape_configs'][0]).toMatchObject({ metrics_path: '/metrics', static_configs: [{ targets: ['app:9464'] }] });
    expect(scrape['global']).toEqual({ scrape_interval: '60s', scrape_timeout: '10s' });
  });

  it('may put metrics only into its own namespace', () => {
    const statements = collector().iamStatements;
    expect(statements.find((s) => s.Action.includes('cloudwatch:PutMetricData'))).toEqual({
      Sid: 'MetricsCollectorPutsMetrics',
      Effect: 'Allow',
      Action: ['cloudwatch:PutMetricData'],
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': 'Shipper/hello' } },
    });
  });

  it('reads host figures from the host, not from its container', () => {
    const c = collector().container;
    expect(c.mounts).toContainEqual({ hostPath: '/', containerPath: '/rootfs', readOnly: true });
    expect(c.environment['HOST_PROC']).toBe('/rootfs/proc');
    expect(c.extraArgs).toEqual(['--pid=host']);
    expect(c.logsToRouter).toBe(true);
  });
});

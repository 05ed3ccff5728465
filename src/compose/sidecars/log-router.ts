/**
 * The log router: Fluent Bit receiving every other container's output through Docker's fluentd
 * log driver and shipping it to CloudWatch Logs (default) or Splunk HEC.
 */
import { BadInputError } from '../../errors.js';
import type { IamStatement, SidecarContribution } from '../containers.js';
import { DEFAULT_SIDECARS_DIR, loadSidecarDefaults, readSidecarFile } from './files.js';
import { hostConfigPath, type SidecarInput } from './input.js';
import { APP_LOG_GROUP_LOGICAL_ID, appLogGroupName, checkLogGroupName, checkRetentionDays } from './names.js';
import { secretReadStatement } from './secrets.js';
import { retainedLogGroup } from './log-group.js';
import { sidecarMemory } from './memory.js';
import { renderTemplate } from './template.js';

export const LOG_ROUTER_NAME = 'log-router';
/** Environment variable the Splunk HEC token reaches the log router in (filled at boot). */
export const SPLUNK_TOKEN_ENV = 'SPLUNK_HEC_TOKEN';
/** Container logs are tagged `container.<name>`; outputs match the whole family. */
const TAG_PREFIX = 'container.';
const MATCH = `${TAG_PREFIX}*`;

/** The port other containers' log drivers send to (`fluentd-address=127.0.0.1:<port>`). */
export function logRouterForwardPort(input: Pick<SidecarInput, 'sidecarsDir'>): number {
  return loadSidecarDefaults(input.sidecarsDir ?? DEFAULT_SIDECARS_DIR, LOG_ROUTER_NAME).number('forwardPort');
}

/** Fluent Bit's classic config has one `Key Value` per line: a value must stay on its line. */
function fluentValue(value: string, path: string): string {
  if (value === '' || /[\r\n]/.test(value) || value.includes('${')) {
    throw new BadInputError({ path, message: `${JSON.stringify(value)} cannot be used in the log router config`, expected: 'a single-line value without ${' });
  }
  return value;
}

function renderOutput(input: SidecarInput, sidecarsDir: string): string {
  const settings = input.service.sidecars['log-router'];
  const file = `output-${settings.output}.conf.tmpl`;
  const template = readSidecarFile(sidecarsDir, LOG_ROUTER_NAME, file);
  if (settings.output === 'cloudwatch') {
    return renderTemplate(`${LOG_ROUTER_NAME}/${file}`, template, {
      match: MATCH,
      region: fluentValue(input.region, 'region'),
      log_group_name: checkLogGroupName(appLogGroupName(input.service, input.env), 'sidecars.log-router.logGroup'),
      log_stream_prefix: fluentValue(`${input.stackName}/`, 'stackName'),
    });
  }
  const splunk = settings.splunk;
  if (!splunk) {
    throw new BadInputError({ path: 'sidecars.log-router.splunk', message: 'output is splunk but no splunk settings are given', expected: 'host, port and token' });
  }
  if (!/^[A-Za-z0-9.-]+$/.test(splunk.host)) {
    throw new BadInputError({ path: 'sidecars.log-router.splunk.host', message: `"${splunk.host}" is not a host name`, expected: 'a DNS name or IP address' });
  }
  return renderTemplate(`${LOG_ROUTER_NAME}/${file}`, template, {
    match: MATCH,
    host: splunk.host,
    port: String(splunk.port),
    tls: splunk.tls ? 'On' : 'Off',
    // Fluent Bit expands ${VAR} from its environment when it reads the config.
    token_reference: `\${${SPLUNK_TOKEN_ENV}}`,
  });
}

export function renderFluentBitConf(input: SidecarInput): string {
  const sidecarsDir = input.sidecarsDir ?? DEFAULT_SIDECARS_DIR;
  return renderTemplate(`${LOG_ROUTER_NAME}/fluent-bit.conf.tmpl`, readSidecarFile(sidecarsDir, LOG_ROUTER_NAME, 'fluent-bit.conf.tmpl'), {
    service: input.service.service,
    env: fluentValue(input.env, 'env'),
    forward_port: String(logRouterForwardPort(input)),
    mem_buf_limit: `${Math.max(1, Math.floor(sidecarMemory(input.service.sidecars['log-router'], loadSidecarDefaults(sidecarsDir, LOG_ROUTER_NAME)).limitMiB / 4))}MB`,
    tag_prefix: TAG_PREFIX,
    match: MATCH,
    output: renderOutput(input, sidecarsDir),
  });
}

function cloudWatchLogs(input: SidecarInput): { statements: IamStatement[]; resources: Record<string, unknown> } {
  const settings = input.service.sidecars['log-router'];
  return {
    resources: {
      [APP_LOG_GROUP_LOGICAL_ID]: retainedLogGroup(appLogGroupName(input.service, input.env), checkRetentionDays(settings.retentionDays)),
    },
    statements: [
      {
        Sid: 'LogRouterWritesAppLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        // The group's Arn attribute ends in `:*`, which covers its log streams and nothing else.
        Resource: { 'Fn::GetAtt': [APP_LOG_GROUP_LOGICAL_ID, 'Arn'] },
      },
    ],
  };
}

export function logRouterSidecar(input: SidecarInput): SidecarContribution {
  const sidecarsDir = input.sidecarsDir ?? DEFAULT_SIDECARS_DIR;
  const defaults = loadSidecarDefaults(sidecarsDir, LOG_ROUTER_NAME);
  const settings = input.service.sidecars['log-router'];
  const confPath = hostConfigPath(LOG_ROUTER_NAME, 'fluent-bit.conf');
  const port = defaults.number('forwardPort');
  const content = renderFluentBitConf(input);

  const cloudwatch = settings.output === 'cloudwatch' ? cloudWatchLogs(input) : { statements: [], resources: {} };
  const splunkToken = settings.output === 'splunk' ? settings.splunk?.token : undefined;
  return {
    container: {
      name: LOG_ROUTER_NAME,
      image: settings.image ?? defaults.image,
      files: [{ hostPath: confPath, content }],
      mounts: [{ hostPath: confPath, containerPath: defaults.string('configPath'), readOnly: true }],
      memory: sidecarMemory(settings, defaults),
      publish: [],
      // Loopback only: the Docker daemon on the host is the only sender, nothing outside should be.
      extraArgs: ['--publish', `127.0.0.1:${port}:${port}`],
      environment: {},
      ...(splunkToken ? { secretEnvironment: { [SPLUNK_TOKEN_ENV]: splunkToken } } : {}),
      // It cannot log through itself; its own output stays with Docker's default driver.
      logsToRouter: false,
    },
    iamStatements: [...cloudwatch.statements, ...(splunkToken ? [secretReadStatement(splunkToken, 'LogRouterReadsSplunkToken')] : [])],
    resources: cloudwatch.resources,
  };
}

/**
 * The reverse proxy: nginx on every instance, published on the host, in front of the app on the
 * Docker network. The load balancer (or the allowed CIDRs) reach the app only through it.
 */
import type { SidecarContribution } from '../containers.js';
import { DEFAULT_SIDECARS_DIR, loadSidecarDefaults, readSidecarFile } from './files.js';
import { APP_CONTAINER_NAME, hostConfigPath, type SidecarInput } from './input.js';
import { sidecarMemory } from './memory.js';
import { renderTemplate } from './template.js';

export const REVERSE_PROXY_NAME = 'reverse-proxy';
const TEMPLATE = 'nginx.conf.tmpl';

/** Every value the nginx template takes. Tests override the paths and addresses to run it locally. */
export interface NginxTemplateValues {
  service: string;
  env: string;
  user: string;
  pid_path: string;
  error_log: string;
  access_log: string;
  temp_dir: string;
  resolver: string;
  listen_address: string;
  listen_port: string;
  upstream_host: string;
  upstream_port: string;
  client_max_body_size: string;
  keepalive_timeout: string;
  proxy_connect_timeout: string;
  proxy_send_timeout: string;
  proxy_read_timeout: string;
}

/** The template values for the proxy as it runs in its container on an instance. */
export function nginxTemplateValues(input: SidecarInput): NginxTemplateValues {
  const defaults = loadSidecarDefaults(input.sidecarsDir ?? DEFAULT_SIDECARS_DIR, REVERSE_PROXY_NAME);
  const settings = input.service.sidecars['reverse-proxy'];
  return {
    service: input.service.service,
    env: input.env,
    user: defaults.string('user'),
    pid_path: defaults.string('pidPath'),
    error_log: defaults.string('errorLog'),
    access_log: defaults.string('accessLog'),
    temp_dir: defaults.string('tempDir'),
    resolver: defaults.string('resolver'),
    listen_address: '0.0.0.0',
    listen_port: String(settings.listenPort),
    upstream_host: APP_CONTAINER_NAME,
    upstream_port: String(input.service.port),
    client_max_body_size: settings.clientMaxBodySize,
    keepalive_timeout: String(settings.keepaliveTimeoutSeconds),
    proxy_connect_timeout: String(settings.proxyConnectTimeoutSeconds),
    proxy_send_timeout: String(settings.proxySendTimeoutSeconds),
    proxy_read_timeout: String(settings.proxyReadTimeoutSeconds),
  };
}

export function renderNginxConf(values: NginxTemplateValues, sidecarsDir: string = DEFAULT_SIDECARS_DIR): string {
  const record: Record<string, string> = { ...values };
  for (const [key, value] of Object.entries(record)) {
    // One directive per line, terminated by `;`: a value must not be able to end or add one.
    if (/[;{}\s'"\\]/.test(value) || value === '') throw new Error(`nginx template value ${key} is not a single plain token: ${JSON.stringify(value)}`);
  }
  return renderTemplate(`${REVERSE_PROXY_NAME}/${TEMPLATE}`, readSidecarFile(sidecarsDir, REVERSE_PROXY_NAME, TEMPLATE), record);
}

export function reverseProxySidecar(input: SidecarInput): SidecarContribution {
  const sidecarsDir = input.sidecarsDir ?? DEFAULT_SIDECARS_DIR;
  const defaults = loadSidecarDefaults(sidecarsDir, REVERSE_PROXY_NAME);
  const settings = input.service.sidecars['reverse-proxy'];
  const confPath = hostConfigPath(REVERSE_PROXY_NAME, 'nginx.conf');
  return {
    container: {
      name: REVERSE_PROXY_NAME,
      image: settings.image ?? defaults.image,
      files: [{ hostPath: confPath, content: renderNginxConf(nginxTemplateValues(input), sidecarsDir) }],
      mounts: [{ hostPath: confPath, containerPath: defaults.string('configPath'), readOnly: true }],
      publish: [[settings.listenPort, settings.listenPort]],
      memory: sidecarMemory(settings, defaults),
      environment: {},
      logsToRouter: true,
    },
    // nginx calls nothing in AWS.
    iamStatements: [],
    resources: {},
  };
}

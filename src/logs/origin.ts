/**
 * Where a CloudWatch Logs event came from: which instance and which container. Two kinds of
 * stream live in the service's log group:
 * - `boot/<instance-id>`: what the boot script wrote (src/compose/boot-log.ts), one line each;
 * - `<stack>/container.<name>`: the log router's Fluent Bit `cloudwatch_logs` output names a
 *   stream by its `log_stream_prefix` (`<stack>/`) and the record's tag, which is the Docker
 *   fluentd log driver's `tag=<container>` behind the forward input's `Tag_Prefix container.`.
 *   Every instance writes to the same stream per container; the record itself is JSON with the
 *   line in `log`, the container in `container_name` (`/app`, as Docker names it) and the
 *   instance in `ec2_instance_id` (the `aws` filter).
 * https://docs.fluentbit.io/manual/pipeline/outputs/cloudwatch
 * https://docs.docker.com/engine/logging/drivers/fluentd/
 */
import { BOOT_LOG_STREAM_PREFIX } from '../compose/boot-log.js';

/** The container name `--container boot` and the output use for boot streams. */
export const BOOT_CONTAINER = 'boot';
const CONTAINER_TAG_PREFIX = 'container.';

export interface EventOrigin {
  instance?: string;
  container: string;
  message: string;
}

/** The stream the log router writes a container's lines to. */
export function containerStreamName(stackName: string, container: string): string {
  return `${stackName}/${CONTAINER_TAG_PREFIX}${container}`;
}

export function bootStreamName(instanceId: string): string {
  return `${BOOT_LOG_STREAM_PREFIX}${instanceId}`;
}

export function isBootStream(streamName: string): boolean {
  return streamName.startsWith(BOOT_LOG_STREAM_PREFIX);
}

/** Instance, container and message of one event; streams shipper does not know keep their own name as container. */
export function eventOrigin(streamName: string, message: string, stackName: string): EventOrigin {
  if (isBootStream(streamName)) {
    return { instance: streamName.slice(BOOT_LOG_STREAM_PREFIX.length), container: BOOT_CONTAINER, message: chomp(message) };
  }
  const routed = `${stackName}/${CONTAINER_TAG_PREFIX}`;
  const container = streamName.startsWith(routed) ? streamName.slice(routed.length) : streamName;
  const record = routerRecord(message);
  if (!record) return { container, message: chomp(message) };
  return {
    ...(record.instance ? { instance: record.instance } : {}),
    container: streamName.startsWith(routed) ? container : (record.container ?? container),
    message: record.message,
  };
}

interface RouterRecord {
  message: string;
  instance?: string;
  container?: string;
}

/** The JSON record Fluent Bit sends; anything else is shown as it is. */
function routerRecord(message: string): RouterRecord | undefined {
  if (!message.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  if (typeof record.log !== 'string') return undefined;
  return {
    message: chomp(record.log),
    ...(typeof record.ec2_instance_id === 'string' ? { instance: record.ec2_instance_id } : {}),
    ...(typeof record.container_name === 'string' ? { container: record.container_name.replace(/^\//, '') } : {}),
  };
}

function chomp(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/** How a hint names the target again: `--env test`, or `--env test --instance pr-123` for an instance. */
import type { ServiceEnvironment } from '../descriptor/schema.js';

export function targetFlags(target: Pick<ServiceEnvironment, 'env' | 'instance'>): string {
  return `--env ${target.env}${target.instance ? ` --instance ${target.instance.name}` : ''}`;
}

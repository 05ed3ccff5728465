/** The target a command addresses: the environment's main stack, or one instance of it (`--instance`). */
import { BadInputError } from '../errors.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { instanceTarget } from './target.js';

export function resolveTarget(main: ServiceEnvironment, options: { instance?: string; ttl?: string }): ServiceEnvironment {
  if (options.ttl !== undefined && options.instance === undefined) {
    throw new BadInputError({ path: '--ttl', message: '--ttl applies to an instance only', hint: 'add --instance NAME, or drop --ttl (the main stack never expires)' });
  }
  return options.instance === undefined ? main : instanceTarget(main, { name: options.instance, ttl: options.ttl });
}

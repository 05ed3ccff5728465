import { deployerPolicy } from '../../aws/deployer-policy.js';
import { deployerPolicyScope } from '../../deploy/deployer-policy-scope.js';
import { loadServiceEnvironment } from '../../descriptor/load.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import type { CliIo } from '../io.js';

export interface PolicyOptions {
  env: string;
  file?: string;
}

/** The IAM policy the deployer (or the environment's roleArn) needs, as JSON (offline). */
export function policyCommand(options: PolicyOptions, io: CliIo): ExitCodeValue {
  const target = loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd });
  io.stdout.write(`${JSON.stringify(deployerPolicy(deployerPolicyScope(target)), null, 2)}\n`);
  return ExitCode.ok;
}

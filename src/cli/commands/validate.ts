import { loadServiceEnvironment } from '../../descriptor/load.js';
import { ExitCode, type ExitCodeValue } from '../../errors.js';
import { runCfnLint } from '../../compose/cfn-lint.js';
import { checkOffline } from '../../compose/offline-checks.js';
import type { CliIo } from '../io.js';
import { unresolvedImageNotes } from '../sidecar-images.js';

export interface ValidateOptions {
  env: string;
  file?: string;
}

export async function validateCommand(options: ValidateOptions, io: CliIo): Promise<ExitCodeValue> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const target = loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd });
  out(`ok   descriptor ${target.descriptorPath} (environment ${target.env}, stack ${target.stackName})`);
  // The same checks deploy runs before its first AWS call.
  const report = await checkOffline(target, (template, region) => runCfnLint(template, region, io.env));
  if (target.fragment) out(`ok   fragment ${target.fragment.path} merged (${Object.keys(target.fragment.template.Resources ?? {}).length} resources)`);
  out(`ok   shipper checks (signals, timeouts, capacity, schedules)`);
  for (const line of unresolvedImageNotes(target)) io.stderr.write(`note: ${line}\n`);
  if (typeof report.lint === 'string') {
    out('skip cfn-lint is not installed (pip install cfn-lint) — the template was not linted');
    return ExitCode.ok;
  }
  const { warnings } = report.lint;
  for (const w of warnings) out(`warn cfn-lint ${w.rule} ${w.path}: ${w.message}`);
  out(`ok   cfn-lint${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}`);
  return ExitCode.ok;
}

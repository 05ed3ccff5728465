import { loadServiceEnvironment } from '../../descriptor/load.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { templateProblems } from '../../compose/checks.js';
import { runCfnLint } from '../../compose/cfn-lint.js';
import { composeStack } from '../../compose/stack.js';
import type { CliIo } from '../io.js';
import { unresolvedImageNotes } from '../sidecar-images.js';

export interface ValidateOptions {
  env: string;
  file?: string;
}

/** Placeholder facts so the whole template, parameters included, is linted as deploy sends it. */
const SAMPLE_DIGEST = `sha256:${'0'.repeat(64)}`;

export async function validateCommand(options: ValidateOptions, io: CliIo): Promise<ExitCodeValue> {
  const out = (line: string) => io.stdout.write(`${line}\n`);
  const target = loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd });
  out(`ok   descriptor ${target.descriptorPath} (environment ${target.env}, stack ${target.stackName})`);
  const template = composeStack(target, { imageTag: 'validate', imageDigest: SAMPLE_DIGEST });
  if (target.fragment) out(`ok   fragment ${target.fragment.path} merged (${Object.keys(target.fragment.template.Resources ?? {}).length} resources)`);
  const problems = templateProblems(template);
  if (problems.length) throw new BadInputError(problems);
  out(`ok   shipper checks (signals, timeouts, capacity, schedules)`);
  for (const line of unresolvedImageNotes(target)) io.stderr.write(`note: ${line}\n`);

  const lint = await runCfnLint(template, target.service.region, io.env);
  if (!lint.available) {
    out('skip cfn-lint is not installed (pip install cfn-lint) — the template was not linted');
    return ExitCode.ok;
  }
  const errors = lint.findings.filter((f) => f.level === 'Error');
  const warnings = lint.findings.filter((f) => f.level !== 'Error');
  for (const w of warnings) out(`warn cfn-lint ${w.rule} ${w.path}: ${w.message}`);
  if (errors.length) {
    throw new BadInputError(
      errors.map((f) => ({ location: { file: 'rendered template' }, path: f.path, message: `cfn-lint ${f.rule}: ${f.message}`, hint: f.path.startsWith('Resources.') ? 'if this resource comes from your fragment, fix it there' : undefined })),
    );
  }
  out(`ok   cfn-lint${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}`);
  return ExitCode.ok;
}

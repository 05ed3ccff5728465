import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadServiceEnvironment } from '../../descriptor/load.js';
import { resolveTarget } from '../../instances/resolve.js';
import { stringifyCfnYaml } from '../../descriptor/cfn-yaml.js';
import { BadInputError, ExitCode, type ExitCodeValue } from '../../errors.js';
import { templateProblems } from '../../compose/checks.js';
import { composeStack } from '../../compose/stack.js';
import type { CliIo } from '../io.js';
import { checkDigestFlag } from '../flags.js';
import type { CliDependencies } from '../session.js';
import { resolveForRender, unresolvedImageNotes } from '../sidecar-images.js';

export interface RenderOptions {
  env: string;
  file?: string;
  imageTag?: string;
  imageDigest?: string;
  output?: string;
  format: 'yaml' | 'json';
  /** Render a short-lived instance's stack (its listener rule priority is left to deploy). */
  instance?: string;
  /** Ask the sidecars' registries (and ECR) for their digests: the one network use of render. */
  resolveImages?: boolean;
  profile?: string;
}

export async function renderCommand(options: RenderOptions, io: CliIo, deps: CliDependencies = {}): Promise<ExitCodeValue> {
  checkDigestFlag(options.imageDigest);
  const target = resolveTarget(loadServiceEnvironment({ file: options.file, env: options.env, cwd: io.cwd }), options);
  const sidecarImages = options.resolveImages ? await resolveForRender(target, options, io, deps) : undefined;
  const template = composeStack(target, { imageTag: options.imageTag, imageDigest: options.imageDigest, sidecarImages });
  const problems = templateProblems(template);
  if (problems.length) throw new BadInputError(problems);

  const text = options.format === 'json' ? `${JSON.stringify(template, null, 2)}\n` : stringifyCfnYaml(template);
  if (options.output) {
    writeFileSync(path.resolve(io.cwd, options.output), text);
    io.stderr.write(`wrote ${options.output} (${target.stackName}, ${Object.keys(template.Resources).length} resources)\n`);
  } else {
    io.stdout.write(text);
  }
  if (!options.imageDigest) {
    io.stderr.write(
      options.imageTag
        ? `note: ImageDigest has no default; deploy resolves tag "${options.imageTag}" to its digest (render is offline). Pass --image-digest to pin it here.\n`
        : 'note: no image given; ImageTag and ImageDigest are template parameters without defaults.\n',
    );
  }
  if (!sidecarImages) for (const line of unresolvedImageNotes(target)) io.stderr.write(`note: ${line}\n`);
  return ExitCode.ok;
}

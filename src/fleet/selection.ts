/**
 * Which services one command acts on: every `-f` given (in order), or every service of the
 * workspace file (`--all`). All of them are loaded and validated before anything else happens,
 * so one bad descriptor refuses the whole command (exit 2, naming its file) before any AWS call.
 */
import path from 'node:path';
import { BadInputError, type InputProblem } from '../errors.js';
import { DEFAULT_DESCRIPTOR, loadServiceEnvironment } from '../descriptor/load.js';
import { resolveTarget } from '../instances/resolve.js';
import type { ServiceEnvironment } from '../descriptor/schema.js';
import { singleFile, type SelectionFlags } from './flags.js';
import { loadWorkspace } from './workspace.js';

export type { SelectionFlags };

export interface SelectedService {
  /** How the service is named in output: its `service`, or its stack when two share a name. */
  label: string;
  target: ServiceEnvironment;
}

export function descriptorPaths(flags: SelectionFlags, cwd: string): string[] {
  const files = Array.isArray(flags.file) ? flags.file : [];
  if (flags.all || flags.workspace) {
    if (files.length > 0) {
      throw new BadInputError({ path: '--all', message: '--all selects every service of the workspace; -f cannot be combined with it', hint: 'pass either --all or one -f per service' });
    }
    return loadWorkspace(cwd, flags.workspace).services.map((s) => s.descriptor);
  }
  return (files.length ? files : [singleFile(flags) ?? DEFAULT_DESCRIPTOR]).map((f) => path.resolve(cwd, f));
}

/** Loads and validates every selected descriptor for `env`; all problems of all of them in one error. */
export function selectServices(flags: SelectionFlags, env: string, cwd: string): SelectedService[] {
  const files = descriptorPaths(flags, cwd);
  const problems: InputProblem[] = [];
  const targets: ServiceEnvironment[] = [];
  for (const file of files) {
    try {
      targets.push(resolveTarget(loadServiceEnvironment({ file, env, cwd }), flags));
    } catch (err) {
      if (!(err instanceof BadInputError)) throw err;
      // Every problem already names its file; a problem without one (none today) gets this one.
      problems.push(...err.problems.map((p) => (p.location ? p : { ...p, location: { file } })));
    }
  }
  if (problems.length) throw new BadInputError(problems);
  problems.push(...sameStackProblems(targets));
  if (problems.length) throw new BadInputError(problems);
  const names = new Map<string, number>();
  for (const t of targets) names.set(t.service.service, (names.get(t.service.service) ?? 0) + 1);
  return targets.map((target) => ({ label: names.get(target.service.service)! > 1 ? target.stackName : target.service.service, target }));
}

/** Two descriptors deploying one stack would race each other's updates: refuse before anything starts. */
function sameStackProblems(targets: ServiceEnvironment[]): InputProblem[] {
  const problems: InputProblem[] = [];
  const seen = new Map<string, ServiceEnvironment>();
  for (const t of targets) {
    const key = `${t.service.account}/${t.service.region}/${t.stackName}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, t);
      continue;
    }
    problems.push({
      location: { file: t.descriptorPath },
      path: 'stackName',
      message:
        first.descriptorPath === t.descriptorPath
          ? `selected twice: both deploy stack ${t.stackName}`
          : `deploys stack ${t.stackName} in ${t.service.account}/${t.service.region}, as ${first.descriptorPath} does`,
      hint: 'select each service once; two services need different `service` names',
    });
  }
  return problems;
}

/**
 * The workspace file (`shipper.workspace.yml`): the services one repository holds, so that
 * `shipper deploy --env test --all` deploys every one of them. Found in the working directory
 * or the nearest parent that has one (like git finds .git), or named with `--workspace FILE`.
 *
 *   services:
 *     - services/billing          # a directory holding shipper.yml
 *     - services/search/shipper.prod.yml   # or a descriptor itself
 *
 * Validated like a descriptor: every problem names the file, the line and the key path.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BadInputError, type InputProblem } from '../errors.js';
import { DEFAULT_DESCRIPTOR, toProblem } from '../descriptor/load.js';
import { YamlSource, formatPath } from '../descriptor/source.js';

export const WORKSPACE_FILE = 'shipper.workspace.yml';

export const workspaceSchema = z.strictObject({
  /** Service directories (each with a shipper.yml) or descriptor files, relative to the workspace file. */
  services: z.array(z.string().min(1, 'must not be empty')).min(1),
});

export interface WorkspaceService {
  /** The descriptor's absolute path. */
  descriptor: string;
  /** As written in the workspace file, for messages. */
  entry: string;
}

export interface Workspace {
  file: string;
  services: WorkspaceService[];
}

/** The workspace file in `cwd` or the nearest parent directory that has one. */
export function findWorkspace(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, WORKSPACE_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `--workspace FILE`, or the one found from `cwd` upward; bad input when there is none. */
export function loadWorkspace(cwd: string, explicit?: string): Workspace {
  const file = explicit ? path.resolve(cwd, explicit) : findWorkspace(cwd);
  if (!file) {
    throw new BadInputError({
      path: '--all',
      message: `no ${WORKSPACE_FILE} in ${cwd} or any directory above it`,
      hint: `create one listing the service directories (services: [svc/a, svc/b]), pass --workspace FILE, or name each descriptor with -f`,
    });
  }
  const source = YamlSource.read(file, { what: 'workspace file', pointAt: `pass --workspace PATH/TO/${WORKSPACE_FILE}` });
  const raw = source.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadInputError({ location: { file, line: 1 }, message: 'the workspace file must be a YAML mapping', expected: 'a key services: with a list of service directories' });
  }
  const parsed = workspaceSchema.safeParse(raw);
  if (!parsed.success) throw new BadInputError(parsed.error.issues.map((issue) => toProblem(issue, source, workspaceSchema, [])));

  const root = path.dirname(file);
  const problems: InputProblem[] = [];
  const services: WorkspaceService[] = [];
  const seen = new Map<string, number>();
  parsed.data.services.forEach((entry, index) => {
    const where = { location: source.locate(['services', index]), path: formatPath(['services', index]) };
    const descriptor = descriptorOf(path.resolve(root, entry));
    if (!descriptor.ok) {
      problems.push({ ...where, message: descriptor.problem, expected: `a directory holding ${DEFAULT_DESCRIPTOR}, or a descriptor file`, hint: `paths are relative to ${root}` });
      return;
    }
    const first = seen.get(descriptor.file);
    if (first !== undefined) {
      problems.push({ ...where, message: `"${entry}" is listed twice (first as services[${first}])`, hint: 'list each service once' });
      return;
    }
    seen.set(descriptor.file, index);
    services.push({ descriptor: descriptor.file, entry });
  });
  if (problems.length) throw new BadInputError(problems);
  return { file, services };
}

function descriptorOf(target: string): { ok: true; file: string } | { ok: false; problem: string } {
  let stats;
  try {
    stats = statSync(target);
  } catch {
    return { ok: false, problem: `${target} does not exist` };
  }
  if (!stats.isDirectory()) return { ok: true, file: target };
  const file = path.join(target, DEFAULT_DESCRIPTOR);
  return existsSync(file) ? { ok: true, file } : { ok: false, problem: `no ${DEFAULT_DESCRIPTOR} in ${target}` };
}

/**
 * Load `shipper.yml`, apply one environment's overlay, and validate the result completely.
 * Every problem is reported with the file, line and key path where the user must fix it.
 */
import path from 'node:path';
import type { z } from 'zod';
import { BadInputError, type InputProblem } from '../errors.js';
import { deepMerge } from './merge.js';
import { loadFragment, type FragmentReference } from './fragment.js';
import { resolvedServiceSchema, descriptorFileSchema, environmentOnlyFields, type ServiceEnvironment } from './schema.js';
import { knownKeysAt } from './schema-walk.js';
import { serviceRuleProblems } from './service-rules.js';
import { closest } from './suggest.js';
import { YamlSource, formatPath, type KeyPath } from './source.js';

export const DEFAULT_DESCRIPTOR = 'shipper.yml';

export interface LoadOptions {
  /** Path to the descriptor; default ./shipper.yml. */
  file?: string;
  env: string;
  cwd?: string;
}

export function loadServiceEnvironment(options: LoadOptions): ServiceEnvironment {
  const file = path.resolve(options.cwd ?? process.cwd(), options.file ?? DEFAULT_DESCRIPTOR);
  const source = YamlSource.read(file, { what: 'descriptor', pointAt: 'run shipper in the service\'s directory, or pass -f PATH/TO/shipper.yml' });
  const raw = source.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new BadInputError({ location: { file, line: 1 }, message: 'the descriptor must be a YAML mapping', expected: 'keys such as service, image, network, environments' });
  }

  const fileCheck = descriptorFileSchema.safeParse(raw);
  if (!fileCheck.success) {
    throw new BadInputError(fileCheck.error.issues.map((issue) => toProblem(issue, source, descriptorFileSchema, [])));
  }

  const { environments, ...base } = raw as Record<string, unknown> & { environments: Record<string, Record<string, unknown>> };
  if ('scheduledActions' in base) {
    // A schedule sizes one environment's group: inherited by every environment, a night-time
    // scale-in written for test would shrink prod too.
    throw new BadInputError({
      location: source.locate(['scheduledActions']),
      path: 'scheduledActions',
      message: 'scheduled actions belong to an environment, not the base',
      hint: `move them under environments.<env>.scheduledActions (e.g. environments.${Object.keys(environments)[0] ?? 'test'}.scheduledActions), each within that environment's capacity`,
    });
  }
  // Own keys only: `--env constructor` must not find Object.prototype.constructor.
  const overlay = Object.hasOwn(environments, options.env) ? environments[options.env] : undefined;
  if (!overlay) {
    const known = Object.keys(environments);
    const suggestion = closest(options.env, known);
    throw new BadInputError({
      location: source.locate(['environments']),
      path: 'environments',
      message: `unknown environment "${options.env}"`,
      expected: known.length ? `one of: ${known.join(', ')}` : 'an entry under environments',
      hint: suggestion ? `did you mean --env ${suggestion}?` : `add it under environments: with its account and region`,
    });
  }

  const merged = deepMerge(base, overlay);
  const parsed = resolvedServiceSchema.safeParse(merged);
  if (!parsed.success) {
    const envPath = ['environments', options.env];
    throw new BadInputError(
      parsed.error.issues.map((issue) => {
        // Report where the user wrote the value: the overlay when it set it, else the base.
        const issuePath = issue.path as KeyPath;
        const inOverlay =
          source.has([...envPath, ...issuePath]) ||
          (issuePath.length > 0 && (issuePath[0] as string) in environmentOnlyFields);
        return toProblem(issue, source, resolvedServiceSchema, inOverlay ? envPath : []);
      }),
    );
  }

  const service = parsed.data;
  const envPath = ['environments', options.env];
  const ruleProblems = serviceRuleProblems(service, (p) => source.has([...envPath, ...p]) || source.has(p));
  if (ruleProblems.length) {
    throw new BadInputError(
      ruleProblems.map((problem) => {
        const where = source.has([...envPath, ...problem.path]) ? [...envPath, ...problem.path] : source.has(problem.path) ? [...problem.path] : [...envPath, ...problem.path];
        return { location: source.locate(where), path: formatPath(where), message: problem.message, expected: problem.expected, hint: problem.hint };
      }),
    );
  }
  const registryRegion = /^\d{12}\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/.exec(service.image.repository)?.[1];
  if (registryRegion && registryRegion !== service.region) {
    const inOverlay = source.has(['environments', options.env, 'image', 'repository']);
    const path = inOverlay ? ['environments', options.env, 'image', 'repository'] : ['image', 'repository'];
    throw new BadInputError({
      location: source.locate(path),
      path: formatPath(path),
      message: `the repository is in ${registryRegion}, but environment "${options.env}" deploys to ${service.region}`,
      expected: `a repository in ${service.region}`,
      hint: 'replicate the repository to this region (ECR replication) and name that one: tags are resolved and images pulled in the environment\'s region',
    });
  }
  const fragment = service.fragment ? loadFragment(path.resolve(path.dirname(file), service.fragment), fragmentKey(source, options.env, file)) : undefined;
  return {
    env: options.env,
    stackName: service.stackName ?? `${service.service}-${options.env}`,
    service,
    descriptorPath: file,
    fragment,
    locateKey: (keyPath) => source.locate(source.has(['environments', options.env, ...keyPath]) ? ['environments', options.env, ...keyPath] : keyPath),
  };
}

/** Where `fragment:` is written (the overlay wins), so a fragment problem can point back at it. */
function fragmentKey(source: YamlSource, env: string, descriptorPath: string): FragmentReference {
  const inOverlay = source.has(['environments', env, 'fragment']);
  const keyPath = inOverlay ? ['environments', env, 'fragment'] : ['fragment'];
  return { descriptorPath, location: source.locate(keyPath), path: formatPath(keyPath) };
}

/** A zod issue as a located problem (file, line, key path, what was expected, a hint); also used for the workspace file. */
export function toProblem(issue: z.core.$ZodIssue, source: YamlSource, schema: z.ZodType, prefix: KeyPath): InputProblem {
  const issuePath = issue.path as KeyPath;
  const fullPath = [...prefix, ...issuePath];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const known = knownKeysAt(schema, issuePath);
    const suggestion = closest(key, known);
    return {
      location: source.locate([...fullPath, key]),
      path: formatPath([...fullPath, key]),
      message: `unknown key "${key}"${issue.keys.length > 1 ? ` (and ${issue.keys.slice(1).map((k) => `"${k}"`).join(', ')})` : ''}`,
      expected: known.length ? `one of: ${known.join(', ')}` : undefined,
      hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
    };
  }
  return {
    location: source.locate(fullPath),
    path: formatPath(fullPath) || undefined,
    ...describeIssue(issue, source.has(fullPath)),
  };
}

function describeIssue(issue: z.core.$ZodIssue, present: boolean): Pick<InputProblem, 'message' | 'expected' | 'hint'> {
  switch (issue.code) {
    case 'invalid_type':
      return present
        ? { message: `wrong type`, expected: article(issue.expected) }
        : { message: 'required key is missing', expected: article(issue.expected) };
    case 'invalid_union':
      return { message: 'not one of the accepted forms', expected: unionForms(issue) };
    case 'invalid_value':
      return { message: 'not an accepted value', expected: `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'too_small':
      return { message: issue.message, expected: issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : `at least ${issue.minimum}` };
    case 'too_big':
      return { message: issue.message, expected: `at most ${issue.maximum}` };
    default:
      return { message: issue.message };
  }
}

function unionForms(issue: z.core.$ZodIssueInvalidUnion): string | undefined {
  // Secret references are the one union users write by hand; name both forms.
  const paths = issue.errors.flatMap((errs) => errs.flatMap((e) => (e.code === 'unrecognized_keys' ? e.keys : e.path.slice(0, 1))));
  if (paths.includes('ssm') || paths.includes('secretsManager')) return '{ ssm: /parameter/name } or { secretsManager: arn:aws:secretsmanager:… }';
  return undefined;
}

function article(type: string): string {
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/**
 * The service's own CloudFormation fragment: extra parameters, conditions, resources and
 * outputs, written in ordinary CloudFormation YAML (short tags included).
 */
import path from 'node:path';
import { BadInputError, type InputProblem, type SourceLocation } from '../errors.js';
import type { LoadedFragment } from './schema.js';
import { isPlainObject } from './merge.js';
import { closest } from './suggest.js';
import { YamlSource, formatPath } from './source.js';

export const FRAGMENT_SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs'] as const;

/** Where the descriptor names the fragment, so problems with the file itself point back there. */
export interface FragmentReference {
  descriptorPath: string;
  location: SourceLocation;
  /** `fragment` or `environments.<env>.fragment`. */
  path: string;
}

export function loadFragment(file: string, ref?: FragmentReference): LoadedFragment {
  const namedAt = ref ? `${ref.path} (${ref.location.file}${ref.location.line ? `:${ref.location.line}` : ''})` : 'fragment:';
  if (ref && path.resolve(file) === path.resolve(ref.descriptorPath)) {
    throw new BadInputError({
      location: ref.location,
      path: ref.path,
      message: 'names the descriptor itself, not a CloudFormation fragment',
      expected: "a separate CloudFormation YAML file (Resources, Outputs, …), relative to the descriptor's directory",
      hint: 'remove the fragment key if the service has no resources of its own',
    });
  }
  const source = YamlSource.read(file, { what: 'CloudFormation fragment', pointAt: `fix ${namedAt}: it is a path relative to the descriptor's directory` });
  const template = source.toJS();
  const problems: InputProblem[] = [];
  const at = (path: Array<string | number>, message: string, expected?: string, hint?: string) =>
    problems.push({ location: source.locate(path), path: formatPath(path), message, expected, hint });

  if (!isPlainObject(template)) {
    throw new BadInputError({ location: { file, line: 1 }, message: 'the fragment must be a CloudFormation template mapping', expected: 'sections such as Resources and Outputs', hint: `is ${namedAt} the right file?` });
  }
  const keys = Object.keys(template);
  if (keys.length > 0 && !keys.some((k) => (FRAGMENT_SECTIONS as readonly string[]).includes(k))) {
    // Not one template section: this is some other YAML file, and listing every key helps nobody.
    throw new BadInputError({
      location: { file, line: 1 },
      message: `not a CloudFormation fragment: none of its top-level keys (${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}) is a template section`,
      expected: 'sections such as Resources and Outputs',
      hint: `is ${namedAt} the right file?`,
    });
  }
  for (const section of Object.keys(template)) {
    if (!(FRAGMENT_SECTIONS as readonly string[]).includes(section)) {
      const suggestion = closest(section, FRAGMENT_SECTIONS);
      at([section], `unknown template section "${section}"`, `one of: ${FRAGMENT_SECTIONS.join(', ')}`, suggestion ? `did you mean "${suggestion}"?` : undefined);
    }
  }
  for (const section of ['Parameters', 'Mappings', 'Conditions', 'Resources', 'Outputs']) {
    if (section in template && !isPlainObject(template[section])) at([section], `${section} must be a mapping`, 'a mapping of logical ids');
  }
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  for (const [id, resource] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id)) at(['Resources', id], `logical id "${id}" is not alphanumeric`, 'letters and digits only');
    if (!isPlainObject(resource) || typeof resource.Type !== 'string') {
      at(['Resources', id], `resource "${id}" has no Type`, 'Type: AWS::Service::Resource');
    }
  }
  const outputs = isPlainObject(template.Outputs) ? template.Outputs : {};
  for (const [id, output] of Object.entries(outputs)) {
    if (!isPlainObject(output) || !('Value' in output)) at(['Outputs', id], `output "${id}" has no Value`, 'Value: …');
  }
  if (problems.length) throw new BadInputError(problems);
  return { path: file, template, locate: (path) => source.locate(path) };
}

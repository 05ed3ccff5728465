/**
 * The service's own CloudFormation fragment: extra parameters, conditions, resources and
 * outputs, written in ordinary CloudFormation YAML (short tags included).
 */
import { BadInputError, type InputProblem } from '../errors.js';
import type { LoadedFragment } from './schema.js';
import { isPlainObject } from './merge.js';
import { closest } from './suggest.js';
import { YamlSource, formatPath } from './source.js';

export const FRAGMENT_SECTIONS = ['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs'] as const;

export function loadFragment(file: string): LoadedFragment {
  const source = YamlSource.read(file, 'CloudFormation fragment');
  const template = source.toJS();
  const problems: InputProblem[] = [];
  const at = (path: Array<string | number>, message: string, expected?: string, hint?: string) =>
    problems.push({ location: source.locate(path), path: formatPath(path), message, expected, hint });

  if (!isPlainObject(template)) {
    throw new BadInputError({ location: { file, line: 1 }, message: 'the fragment must be a CloudFormation template mapping', expected: 'sections such as Resources and Outputs' });
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

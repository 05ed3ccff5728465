/**
 * Merge the service's fragment into the composed stack. A name the fragment shares with
 * shipper's own is an error (never a silent override), and so is a reference to a resource,
 * parameter or condition that exists in neither.
 */
import { BadInputError, type InputProblem } from '../errors.js';
import type { LoadedFragment } from '../descriptor/schema.js';
import { formatPath } from '../descriptor/source.js';
import { closest } from '../descriptor/suggest.js';
import type { CfnTemplate } from './template.js';

const MERGED_SECTIONS = ['Parameters', 'Mappings', 'Conditions', 'Rules', 'Resources', 'Outputs'] as const;

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region',
  'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix',
]);

export function mergeFragment(stack: CfnTemplate, fragment: LoadedFragment): CfnTemplate {
  const problems: InputProblem[] = [];
  const merged = structuredClone(stack) as CfnTemplate & Record<string, Record<string, unknown> | undefined>;
  const fragmentTemplate = fragment.template as Record<string, Record<string, unknown> | undefined>;

  for (const section of MERGED_SECTIONS) {
    const entries = fragmentTemplate[section];
    if (!entries) continue;
    const target = (merged[section] ??= {}) as Record<string, unknown>;
    for (const [name, value] of Object.entries(entries)) {
      if (name in target || (section === 'Resources' && name in (merged.Parameters ?? {})) || (section === 'Parameters' && name in merged.Resources)) {
        problems.push({
          location: fragment.locate([section, name]),
          path: formatPath([section, name]),
          message: `"${name}" clashes with a ${section === 'Parameters' || section === 'Resources' ? 'resource or parameter' : section.slice(0, -1).toLowerCase()} shipper defines`,
          hint: `rename it in the fragment; shipper's own names are listed in the README ("Fragment")`,
        });
        continue;
      }
      target[name] = value;
    }
  }
  if (problems.length) throw new BadInputError(problems);

  problems.push(...checkReferences(merged, fragment));
  if (problems.length) throw new BadInputError(problems);
  return merged;
}

/** Every Ref, GetAtt, Sub variable and condition name in the fragment must resolve. */
function checkReferences(template: CfnTemplate, fragment: LoadedFragment): InputProblem[] {
  const refTargets = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters), ...PSEUDO_PARAMETERS]);
  const resources = Object.keys(template.Resources);
  const conditions = new Set(Object.keys(template.Conditions ?? {}));
  const problems: InputProblem[] = [];
  const report = (path: Array<string | number>, kind: string, name: string, candidates: Iterable<string>) => {
    const suggestion = closest(name, [...candidates]);
    problems.push({
      location: fragment.locate(path),
      path: formatPath(path),
      message: `${kind} "${name}" is not defined in the fragment or by shipper`,
      hint: suggestion ? `did you mean "${suggestion}"?` : 'define it under Resources or Parameters',
    });
  };

  walk(fragment.template, [], (value, path) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return;
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string' && !refTargets.has(node.Ref)) report(path, 'reference', node.Ref, refTargets);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && !resources.includes(getAtt[0])) report(path, 'resource', getAtt[0], resources);
    const sub = node['Fn::Sub'];
    const [subText, subVars] = Array.isArray(sub) ? [sub[0], (sub[1] ?? {}) as Record<string, unknown>] : [sub, {}];
    if (typeof subText === 'string') {
      for (const name of subVariables(subText)) {
        const base = name.split('.')[0]!;
        if (!(base in subVars) && !refTargets.has(base)) report(path, 'reference', base, refTargets);
      }
    }
    const ifArgs = node['Fn::If'];
    if (Array.isArray(ifArgs) && typeof ifArgs[0] === 'string' && !conditions.has(ifArgs[0])) report(path, 'condition', ifArgs[0], conditions);
    if (typeof node.Condition === 'string' && path.length > 0 && !conditions.has(node.Condition)) report([...path, 'Condition'], 'condition', node.Condition, conditions);
    const dependsOn = node.DependsOn;
    for (const dep of typeof dependsOn === 'string' ? [dependsOn] : Array.isArray(dependsOn) ? dependsOn : []) {
      if (typeof dep === 'string' && !resources.includes(dep)) report([...path, 'DependsOn'], 'resource', dep, resources);
    }
  });
  return problems;
}

/** `${Name}` and `${Res.Attr}` in a Sub string; `${!Literal}` is an escape, not a variable. */
export function subVariables(text: string): string[] {
  return [...text.matchAll(/\$\{([^!}][^}]*)\}/g)].map((m) => m[1]!.trim());
}

function walk(value: unknown, path: Array<string | number>, visit: (value: unknown, path: Array<string | number>) => void): void {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((item, i) => walk(item, [...path, i], visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...path, k], visit);
}


/**
 * The Details of a change set's resource change, as DescribeChangeSet reports them
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChangeDetail.html,
 * API_ResourceTargetDefinition.html), from the changes diff.ts planned: one entry per changed
 * property and cause. A property edited in the template is a Static DirectModification; one that
 * changes only because a parameter it names did is a Static ParameterReference naming the
 * parameter; one that refers to a resource being changed is a Dynamic ResourceReference (Ref) or
 * ResourceAttribute (Fn::GetAtt, CausingEntity "Id.Attribute"), known only during the update.
 * With IncludePropertyValues, static entries carry Path, BeforeValue, AfterValue and
 * AttributeChangeType.
 */
import type * as cfn from '@aws-sdk/client-cloudformation';
import type { PlannedChange } from './diff.js';
import { resolveParameterRefs, type ParsedTemplate } from './template.js';

const stable = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

export function changeDetails(
  change: PlannedChange,
  before: { template: ParsedTemplate; params: Record<string, string> } | undefined,
  after: { template: ParsedTemplate; params: Record<string, string> },
): cfn.ResourceChangeDetail[] {
  const was = before?.template.resources.get(change.logicalId);
  const now = after.template.resources.get(change.logicalId);
  return change.details.flatMap((d): cfn.ResourceChangeDetail[] => {
    const target = { Attribute: 'Properties', Name: d.property, RequiresRecreation: d.requiresRecreation } as const;
    if (d.evaluation === 'Dynamic' || !was || !now) {
      const causingEntity = d.changeSource === 'ResourceAttribute' && d.causingEntity ? attributeOf(now?.properties[d.property], d.causingEntity) : d.causingEntity;
      return [{ Target: target, Evaluation: d.evaluation, ChangeSource: d.changeSource, ...(causingEntity ? { CausingEntity: causingEntity } : {}) }];
    }
    const rawBefore = was.properties[d.property];
    const rawAfter = now.properties[d.property];
    const values = {
      Path: `/Properties/${d.property}`,
      ...(rawBefore === undefined ? {} : { BeforeValue: asValue(resolveParameterRefs(rawBefore, before!.params)) }),
      ...(rawAfter === undefined ? {} : { AfterValue: asValue(resolveParameterRefs(rawAfter, after.params)) }),
      AttributeChangeType: rawBefore === undefined ? 'Add' : rawAfter === undefined ? 'Remove' : 'Modify',
    } as const;
    // The template's text is the same: the value changed because a parameter it names did.
    const params = stable(rawBefore) === stable(rawAfter) ? [...parameterRefs(rawAfter)].filter((p) => before!.params[p] !== after.params[p]) : [];
    if (params.length === 0) return [{ Target: { ...target, ...values }, Evaluation: 'Static', ChangeSource: 'DirectModification' }];
    return params.map((p) => ({ Target: { ...target, ...values }, Evaluation: 'Static', ChangeSource: 'ParameterReference', CausingEntity: p }));
  });
}

/** "Id.Attribute" for a Fn::GetAtt (or ${Id.Attribute}) of `id` in the property, as CloudFormation names the causing entity. */
function attributeOf(value: unknown, id: string): string {
  const ref = resourceRefs(value).find((r) => r.id === id && r.attribute);
  return ref ? `${id}.${ref.attribute}` : id;
}

/** Without IncludePropertyValues, DescribeChangeSet leaves the values out. */
export function withoutValues(detail: cfn.ResourceChangeDetail): cfn.ResourceChangeDetail {
  const { Path: _p, BeforeValue: _b, AfterValue: _a, AttributeChangeType: _c, ...target } = detail.Target ?? {};
  return { ...detail, Target: target };
}

function asValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Parameters named by Ref or ${Name} in Fn::Sub (pseudo parameters excluded). */
function parameterRefs(value: unknown, into = new Set<string>()): Set<string> {
  walk(value, (key, v) => {
    if (key === 'Ref' && typeof v === 'string' && !v.startsWith('AWS::')) into.add(v);
    if (key === 'Fn::Sub') for (const m of String(Array.isArray(v) ? v[0] : v).matchAll(/\$\{([A-Za-z0-9_]+)\}/g)) into.add(m[1]!);
  });
  return into;
}

/** Resources named by Ref, Fn::GetAtt or ${Id.Attribute} in Fn::Sub. */
function resourceRefs(value: unknown): Array<{ id: string; attribute?: string }> {
  const refs: Array<{ id: string; attribute?: string }> = [];
  walk(value, (key, v) => {
    if (key === 'Ref' && typeof v === 'string') refs.push({ id: v });
    if (key === 'Fn::GetAtt') {
      const [id, ...attribute] = Array.isArray(v) ? v.map(String) : String(v).split('.');
      refs.push({ id: id!, attribute: attribute.join('.') });
    }
    if (key === 'Fn::Sub') for (const m of String(Array.isArray(v) ? v[0] : v).matchAll(/\$\{([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_.]+))?\}/g)) refs.push({ id: m[1]!, attribute: m[2] });
  });
  return refs;
}

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((v) => walk(v, visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      visit(k, v);
      walk(v, visit);
    }
  }
}

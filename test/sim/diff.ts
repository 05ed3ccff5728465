/**
 * Which resources an update changes, and which of them CloudFormation replaces, following the
 * resource reference's "Update requires" rules for the types shipper deploys. A change reaches
 * the resources that refer to a changed one: a replaced group gets a new name, so scheduled
 * actions naming it are replaced too, exactly as in a real replacing update.
 */
import { dependenciesOf, groupSpec, resolveParameterRefs, type ParsedTemplate, type TemplateResource } from './template.js';

export interface PlannedChange {
  logicalId: string;
  resourceType: string;
  action: 'Add' | 'Modify' | 'Remove';
  replacement: boolean;
}

/** Properties whose change makes CloudFormation apply the group's AutoScalingReplacingUpdate policy. */
const GROUP_REPLACING_PROPERTIES = ['LaunchTemplate', 'LaunchConfigurationName', 'VPCZoneIdentifier', 'MixedInstancesPolicy'];

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Resources ordered so each comes after everything it depends on. */
export function topologicalOrder(template: ParsedTemplate): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string) => {
    if (state.get(id) === 'done' || state.get(id) === 'visiting') return;
    state.set(id, 'visiting');
    for (const dep of dependenciesOf(template.resources.get(id)!, template)) visit(dep);
    state.set(id, 'done');
    order.push(id);
  };
  for (const id of template.resources.keys()) visit(id);
  return order;
}

export function planChanges(
  previous: { template: ParsedTemplate; params: Record<string, string> } | undefined,
  next: { template: ParsedTemplate; params: Record<string, string> },
): PlannedChange[] {
  const changes = new Map<string, PlannedChange>();
  for (const id of topologicalOrder(next.template)) {
    const resource = next.template.resources.get(id)!;
    const before = previous?.template.resources.get(id);
    if (!before) {
      changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Add', replacement: false });
      continue;
    }
    const changedProps = changedProperties(before, previous!.params, resource, next.params);
    const deps = dependenciesOf(resource, next.template).filter((d) => changes.get(d)?.action === 'Modify' || changes.get(d)?.action === 'Add');
    if (before.type !== resource.type) {
      changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Modify', replacement: true });
    } else if (changedProps.length > 0 || deps.length > 0 || policiesChanged(before, resource)) {
      const replacedDeps = deps.filter((d) => changes.get(d)!.replacement);
      changes.set(id, {
        logicalId: id,
        resourceType: resource.type,
        action: 'Modify',
        replacement: requiresReplacement(resource, changedProps, deps, replacedDeps, next.params),
      });
    }
  }
  for (const [id, resource] of previous?.template.resources ?? []) {
    if (!next.template.resources.has(id)) changes.set(id, { logicalId: id, resourceType: resource.type, action: 'Remove', replacement: false });
  }
  return [...changes.values()];
}

function changedProperties(before: TemplateResource, beforeParams: Record<string, string>, after: TemplateResource, afterParams: Record<string, string>): string[] {
  const a = resolveParameterRefs(before.properties, beforeParams) as Record<string, unknown>;
  const b = resolveParameterRefs(after.properties, afterParams) as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => stableJson(a[k]) !== stableJson(b[k]));
}

function policiesChanged(before: TemplateResource, after: TemplateResource): boolean {
  return stableJson(before.creationPolicy) !== stableJson(after.creationPolicy) || stableJson(before.updatePolicy) !== stableJson(after.updatePolicy);
}

function requiresReplacement(resource: TemplateResource, changedProps: string[], changedDeps: string[], replacedDeps: string[], params: Record<string, string>): boolean {
  switch (resource.type) {
    case 'AWS::AutoScaling::LaunchConfiguration':
      // Launch configurations are immutable: every property change replaces them.
      return true;
    case 'AWS::EC2::LaunchTemplate':
      // A changed launch template gets a new version in place.
      return false;
    case 'AWS::AutoScaling::AutoScalingGroup': {
      const spec = groupSpec(resource, params);
      const launchChanged = spec.launchResource !== undefined && changedDeps.includes(spec.launchResource);
      return spec.willReplace && (launchChanged || changedProps.some((p) => GROUP_REPLACING_PROPERTIES.includes(p)));
    }
    case 'AWS::AutoScaling::ScheduledAction':
      return changedProps.includes('AutoScalingGroupName') || replacedDeps.length > 0;
    default:
      return false;
  }
}

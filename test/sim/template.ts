/**
 * Just enough understanding of a CloudFormation template to simulate deploying it: resources
 * (logical id, type, properties, dependencies), parameters resolved to values, and the Auto
 * Scaling group's creation and update policies.
 */
import type { Parameter } from '@aws-sdk/client-cloudformation';
import { awsError } from '../../src/aws/api.js';
import { parseCfnYaml } from './cfn-yaml.js';

export interface TemplateResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  dependsOn: string[];
  creationPolicy?: Record<string, any>;
  updatePolicy?: Record<string, any>;
  /** `Retain`: DeleteStack skips the resource (DELETE_SKIPPED) and leaves it in the account. */
  deletionPolicy?: string;
}

export interface ParsedTemplate {
  parameters: Record<string, { Type?: string; Default?: unknown; NoEcho?: boolean }>;
  resources: Map<string, TemplateResource>;
  outputs: Record<string, { Value: unknown; Description?: string }>;
}

export function parseTemplate(body: string): ParsedTemplate {
  let doc: any;
  try {
    doc = body.trimStart().startsWith('{') ? JSON.parse(body) : parseCfnYaml(body);
  } catch (err) {
    throw awsError('ValidationError', `Template format error: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !doc.Resources || typeof doc.Resources !== 'object') {
    throw awsError('ValidationError', 'Template format error: At least one Resources member must be defined.');
  }
  const resources = new Map<string, TemplateResource>();
  for (const [logicalId, r] of Object.entries<any>(doc.Resources)) {
    if (!r || typeof r.Type !== 'string') {
      throw awsError('ValidationError', `Template format error: [/Resources/${logicalId}] Every Resources object must contain a Type member.`);
    }
    resources.set(logicalId, {
      logicalId,
      type: r.Type,
      properties: r.Properties ?? {},
      dependsOn: r.DependsOn === undefined ? [] : [r.DependsOn].flat(),
      creationPolicy: r.CreationPolicy,
      updatePolicy: r.UpdatePolicy,
      deletionPolicy: r.DeletionPolicy,
    });
  }
  return { parameters: doc.Parameters ?? {}, resources, outputs: doc.Outputs ?? {} };
}

/**
 * Parameter values for this deploy: given values, else `UsePreviousValue`, else the default.
 * A parameter with none of these is a ValidationError, as CloudFormation answers.
 */
export function resolveParameters(template: ParsedTemplate, given: Parameter[] = [], previous: Record<string, string> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(template.parameters)) {
    const p = given.find((g) => g.ParameterKey === name);
    if (p?.UsePreviousValue && name in previous) values[name] = previous[name]!;
    else if (p?.ParameterValue !== undefined) values[name] = p.ParameterValue;
    else if (spec.Default !== undefined) values[name] = String(spec.Default);
    else missing.push(name);
  }
  for (const p of given) {
    if (!(p.ParameterKey! in template.parameters)) {
      throw awsError('ValidationError', `Parameters: [${p.ParameterKey}] do not exist in the template`);
    }
  }
  if (missing.length > 0) throw awsError('ValidationError', `Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

/**
 * Replaces references to parameters (Ref and ${Param} in Fn::Sub) by their values; references
 * to resources stay symbolic. Two resources whose resolved properties differ have changed.
 */
export function resolveParameterRefs(value: unknown, params: Record<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveParameterRefs(v, params));
  if (!value || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof obj.Ref === 'string' && obj.Ref in params) return params[obj.Ref];
  if (keys.length === 1 && keys[0] === 'Fn::Sub') {
    const sub = obj['Fn::Sub'];
    if (typeof sub === 'string') return { 'Fn::Sub': substitute(sub, params) };
    if (Array.isArray(sub)) return { 'Fn::Sub': [substitute(String(sub[0]), params), resolveParameterRefs(sub[1], params)] };
  }
  return Object.fromEntries(keys.map((k) => [k, resolveParameterRefs(obj[k], params)]));
}

function substitute(text: string, params: Record<string, string>): string {
  return text.replace(/\$\{([A-Za-z0-9_:]+)\}/g, (whole, name: string) => (name in params ? params[name]! : whole));
}

/** Logical ids of other resources this value refers to (Ref, Fn::GetAtt, ${X} / ${X.Attr} in Fn::Sub). */
export function referencedIds(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) referencedIds(v, into);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') into.add(v);
      else if (k === 'Fn::GetAtt') into.add(Array.isArray(v) ? String(v[0]) : String(v).split('.')[0]!);
      else if (k === 'Fn::Sub') {
        const text = Array.isArray(v) ? String(v[0]) : String(v);
        for (const m of text.matchAll(/\$\{([A-Za-z0-9_]+)(\.[A-Za-z0-9_.]+)?\}/g)) into.add(m[1]!);
        if (Array.isArray(v)) referencedIds(v[1], into);
      } else referencedIds(v, into);
    }
  }
  return into;
}

/** The resources `resource` depends on, within `template`. */
export function dependenciesOf(resource: TemplateResource, template: ParsedTemplate): string[] {
  const ids = referencedIds(resource.properties);
  for (const d of resource.dependsOn) ids.add(d);
  return [...ids].filter((id) => id !== resource.logicalId && template.resources.has(id));
}

/** What the simulation needs to know about an Auto Scaling group resource. */
export interface GroupSpec {
  desired: number;
  min: number;
  max: number;
  /** Signals CloudFormation waits for (CreationPolicy.ResourceSignal.Count); 0 = it does not wait. */
  signalCount: number;
  signalTimeoutSeconds: number;
  minSuccessfulPercent: number;
  willReplace: boolean;
  /** Logical id of the launch template or launch configuration it uses. */
  launchResource?: string;
}

export function groupSpec(resource: TemplateResource, params: Record<string, string>): GroupSpec {
  const props = resolveParameterRefs(resource.properties, params) as Record<string, any>;
  const policy = resolveParameterRefs(resource.creationPolicy ?? {}, params) as Record<string, any>;
  const update = resource.updatePolicy ?? {};
  const min = toInt(props.MinSize, 0);
  const launch = props.LaunchTemplate?.LaunchTemplateId ?? props.LaunchTemplate?.LaunchTemplateName ?? props.LaunchConfigurationName;
  return {
    min,
    max: toInt(props.MaxSize, min),
    desired: toInt(props.DesiredCapacity, min),
    signalCount: policy.ResourceSignal ? toInt(policy.ResourceSignal.Count, 1) : 0,
    signalTimeoutSeconds: parseDuration(policy.ResourceSignal?.Timeout ?? 'PT5M'),
    minSuccessfulPercent: toInt(policy.AutoScalingCreationPolicy?.MinSuccessfulInstancesPercent, 100),
    willReplace: String(update.AutoScalingReplacingUpdate?.WillReplace) === 'true',
    launchResource: launch && typeof launch === 'object' && typeof launch.Ref === 'string' ? launch.Ref : undefined,
  };
}

function toInt(value: unknown, fallback: number): number {
  const n = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isFinite(n) ? n : fallback;
}

/** ISO 8601 durations as CloudFormation accepts them for signal timeouts (PT15M, PT1H30M, PT900S). */
export function parseDuration(text: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(String(text));
  if (!m) throw awsError('ValidationError', `Invalid duration: ${text}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

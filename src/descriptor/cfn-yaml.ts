/**
 * YAML with CloudFormation's short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`, `!If`, ...).
 *
 * Parsing turns every short tag into the long form (`{ Ref: X }`, `{ 'Fn::Sub': ... }`), so the
 * rest of shipper works on one plain JSON shape. Stringifying turns the long form back into
 * short tags, so a rendered template reads like the fragment its author wrote.
 */
import YAML, { type Document, type Tags, isMap, isSeq, isScalar, type Node } from 'yaml';

/** Short tag name (without `!`) → long-form key. */
const INTRINSICS: Record<string, string> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  If: 'Fn::If',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  FindInMap: 'Fn::FindInMap',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  ImportValue: 'Fn::ImportValue',
  Equals: 'Fn::Equals',
  And: 'Fn::And',
  Or: 'Fn::Or',
  Not: 'Fn::Not',
  Transform: 'Fn::Transform',
  ToJsonString: 'Fn::ToJsonString',
  Length: 'Fn::Length',
};
const LONG_TO_SHORT = Object.fromEntries(Object.entries(INTRINSICS).map(([s, l]) => [l, s]));

function longForm(short: string, value: unknown): Record<string, unknown> {
  // `!GetAtt Resource.Attribute` is the one short form whose scalar differs from its long form.
  if (short === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [INTRINSICS[short]!]: value };
}

export const cfnTags: Tags = Object.keys(INTRINSICS).flatMap((short) => [
  { tag: `!${short}`, resolve: (value: string) => longForm(short, value) },
  { tag: `!${short}`, collection: 'seq' as const, resolve: (seq: unknown) => longForm(short, (seq as Node).toJSON()) },
  { tag: `!${short}`, collection: 'map' as const, resolve: (map: unknown) => longForm(short, (map as Node).toJSON()) },
]);

export function parseCfnYamlDocument(text: string): Document.Parsed {
  return YAML.parseDocument(text, { customTags: cfnTags, prettyErrors: false, uniqueKeys: true });
}

/** Is this value a single-key long-form intrinsic, e.g. `{ Ref: 'X' }`? */
export function intrinsicKey(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && LONG_TO_SHORT[keys[0]!] !== undefined ? keys[0] : undefined;
}

/** Stringify a template as YAML, writing intrinsics as short tags. */
export function stringifyCfnYaml(template: unknown): string {
  const doc = new YAML.Document();
  doc.contents = toNode(doc, template) as never;
  return doc.toString({ lineWidth: 0 });
}

function toNode(doc: Document, value: unknown): unknown {
  const key = intrinsicKey(value);
  if (key) {
    const short = LONG_TO_SHORT[key]!;
    let inner = (value as Record<string, unknown>)[key];
    // YAML allows one tag per node: `!Base64 !Sub x` is invalid, so the outer one stays long-form.
    if (intrinsicKey(inner)) {
      const map = doc.createNode({});
      if (isMap(map)) map.add(doc.createPair(key, toNode(doc, inner)) as never);
      return map;
    }
    if (short === 'GetAtt' && Array.isArray(inner) && inner.length === 2 && inner.every((p) => typeof p === 'string')) {
      inner = `${inner[0]}.${inner[1]}`;
    }
    const node = toNode(doc, inner) as Node;
    node.tag = `!${short}`;
    return node;
  }
  if (Array.isArray(value)) {
    const seq = doc.createNode([]);
    if (isSeq(seq)) for (const item of value) seq.items.push(toNode(doc, item) as never);
    return seq;
  }
  if (value !== null && typeof value === 'object') {
    const map = doc.createNode({});
    if (isMap(map)) for (const [k, v] of Object.entries(value)) map.add(doc.createPair(k, toNode(doc, v)) as never);
    return map;
  }
  const scalar = doc.createNode(value);
  // Keep strings such as account ids ("012345678901") and "yes" quoted so they stay strings.
  if (isScalar(scalar) && typeof value === 'string' && needsQuotes(value)) scalar.type = 'QUOTE_DOUBLE';
  return scalar;
}

function needsQuotes(s: string): boolean {
  return s === '' || /^[\d.+-]/.test(s) || /^(true|false|yes|no|on|off|null|~)$/i.test(s);
}

/** Reads CloudFormation YAML, turning short tags (!Ref, !Sub, !GetAtt ...) into their long JSON form. */
import { parse, YAMLMap, type Tags } from 'yaml';

const FUNCTIONS = ['Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub', 'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Length', 'ToJsonString'];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const TAGS: Tags = [...FUNCTIONS, 'Ref', 'Condition'].flatMap((name) => {
  const key = longName(name);
  return [
    { tag: `!${name}`, resolve: (value: string) => ({ [key]: name === 'GetAtt' ? String(value).split('.') : value }) },
    ...(['seq', 'map'] as const).map((collection) => ({
      tag: `!${name}`,
      collection,
      resolve: (node: unknown) => {
        const wrapper = new YAMLMap();
        wrapper.set(key, node);
        return wrapper;
      },
    })),
  ];
}) as Tags;

export function parseCfnYaml(text: string): unknown {
  return parse(text, { customTags: TAGS });
}

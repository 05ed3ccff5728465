/**
 * YAML that cannot become data, as one located problem with a hint that fits the mistake:
 * syntax errors by their code, a key written twice, and aliases that expand without bound
 * (a "billion laughs" document) or point at no anchor.
 */
import { isAlias, isNode, visit, type Alias, type Document, type LineCounter, type Node, type YAMLError } from 'yaml';
import type { InputProblem } from '../errors.js';

/** The yaml package's default, kept explicit: no real descriptor comes near it. */
export const MAX_ALIAS_EXPANSIONS = 100;

export function syntaxProblem(file: string, error: YAMLError, doc: Document.Parsed, lines: LineCounter): InputProblem {
  const pos = error.linePos?.[0];
  const location = { file, line: pos?.line, column: pos?.col };
  if (error.code === 'DUPLICATE_KEY') {
    const key = duplicateKeyAt(doc, error.pos[0]);
    const first = key?.first === undefined ? undefined : lines.linePos(key.first).line;
    return {
      location,
      message: `duplicate key${key ? ` "${key.name}"` : ''}${first ? ` (first written on line ${first})` : ''}`,
      hint: 'a key may appear only once in a mapping: keep one of them (to change a value for one environment, set it under environments.<env>)',
    };
  }
  return { location, message: `malformed YAML: ${firstLine(error.message)}`, hint: hintFor(error.code) };
}

function hintFor(code: YAMLError['code']): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs';
    case 'BAD_INDENT':
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY':
    case 'MISSING_CHAR':
      return 'check the indentation and the closing brackets and quotes on that line and the one above';
    default:
      return 'check the syntax on that line (quote values that contain ": " or start with a special character)';
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The key whose second occurrence starts at `offset`, and where it was first written. */
function duplicateKeyAt(doc: Document.Parsed, offset: number): { name: string; first?: number } | undefined {
  let found: { name: string; first?: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const pairs = map.items;
      const index = pairs.findIndex((p) => isNode(p.key) && p.key.range?.[0] === offset);
      if (index < 0) return undefined;
      const key = pairs[index]!.key as Node;
      const name = String((key as { value?: unknown }).value ?? key.toString());
      const earlier = pairs.slice(0, index).find((p) => isNode(p.key) && String((p.key as { value?: unknown }).value) === name);
      found = { name, first: (earlier?.key as Node | undefined)?.range?.[0] };
      return visit.BREAK;
    },
  });
  return found;
}

/**
 * Converting to data failed with a ReferenceError from the yaml package: too many alias
 * expansions, or an alias without an anchor. Name the alias where it happens.
 */
export function aliasProblem(file: string, error: Error, doc: Document.Parsed, lines: LineCounter): InputProblem {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_, node) => void aliases.push(node) });
  const at = (node: Alias | undefined) => {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file };
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  if (/^Unresolved alias/.test(error.message)) {
    const unresolved = aliases.find((a) => !a.resolve(doc));
    return {
      location: at(unresolved),
      message: `alias *${unresolved?.source ?? '?'} refers to no anchor`,
      hint: `define the anchor (&${unresolved?.source ?? 'name'}) before the alias, or write the value out`,
    };
  }
  const culprit = firstAliasBeyondLimit(doc, aliases) ?? aliases[0];
  return {
    location: at(culprit),
    message: `YAML aliases expand to more than ${MAX_ALIAS_EXPANSIONS} copies from here${culprit ? ` (*${culprit.source})` : ''}; shipper refuses documents that grow like this`,
    hint: 'write the values out instead of nesting anchors (&name) and aliases (*name)',
  };
}

/** Counts expansions in document order, as a reader would: the alias where the total passes the limit. */
function firstAliasBeyondLimit(doc: Document.Parsed, aliases: Alias[]): Alias | undefined {
  const memo = new Map<Node, number>();
  const expansions = (node: unknown, depth: number): number => {
    if (!isNode(node) || depth > 50) return 0;
    const cached = memo.get(node);
    if (cached !== undefined) return cached;
    let total = 0;
    if (isAlias(node)) {
      total = 1 + expansions(node.resolve(doc), depth + 1);
    } else {
      visit(node, {
        Alias: (_, inner) => {
          total += expansions(inner, depth + 1);
          return visit.SKIP;
        },
      });
    }
    memo.set(node, total);
    return total;
  };
  let running = 0;
  for (const alias of aliases) {
    running += expansions(alias, 0);
    if (running > MAX_ALIAS_EXPANSIONS) return alias;
  }
  return undefined;
}

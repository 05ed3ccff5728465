/**
 * A parsed YAML file that remembers where every key came from, so a validation problem can
 * name the file, the line and the key path.
 */
import { LineCounter, isMap, isSeq, type Document, type Node } from 'yaml';
import { BadInputError, type SourceLocation } from '../errors.js';
import { readInputFile, type InputFileKind } from './read-input.js';
import { MAX_ALIAS_EXPANSIONS, aliasProblem, syntaxProblem } from './yaml-problems.js';
import { cfnTags } from './cfn-yaml.js';
import YAML from 'yaml';

export type KeyPath = ReadonlyArray<string | number>;

export class YamlSource {
  private constructor(
    readonly file: string,
    readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  /** Read and parse a YAML file; malformed YAML, a missing file or a directory is bad input. */
  static read(file: string, kind: InputFileKind): YamlSource {
    return YamlSource.parse(file, readInputFile(file, kind));
  }

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    const doc = YAML.parseDocument(text, { customTags: cfnTags, lineCounter: lines, uniqueKeys: true, prettyErrors: true });
    const source = new YamlSource(file, doc, lines);
    const [first] = doc.errors;
    if (first) throw new BadInputError(syntaxProblem(file, first, doc, lines));
    return source;
  }

  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
    } catch (err) {
      if (err instanceof ReferenceError) throw new BadInputError(aliasProblem(this.file, err, this.doc, this.lines));
      throw err;
    }
  }

  /** Where the value at `path` starts; falls back to the nearest ancestor that exists. */
  locate(path: KeyPath): SourceLocation {
    for (let n = path.length; n >= 0; n--) {
      const node = this.nodeAt(path.slice(0, n));
      if (node?.range) {
        // For a key that exists, point at the key itself rather than its value.
        const keyNode = n > 0 ? this.keyNodeAt(path.slice(0, n)) : undefined;
        const offset = (keyNode?.range ?? node.range)[0];
        const { line, col } = this.lines.linePos(offset);
        return { file: this.file, line, column: col };
      }
    }
    return { file: this.file };
  }

  has(path: KeyPath): boolean {
    return this.doc.hasIn(path as unknown[]);
  }

  private nodeAt(path: KeyPath): Node | undefined {
    if (path.length === 0) return (this.doc.contents as Node | null) ?? undefined;
    const node = this.doc.getIn(path as unknown[], true);
    return node && typeof node === 'object' && 'range' in (node as object) ? (node as Node) : undefined;
  }

  private keyNodeAt(path: KeyPath): Node | undefined {
    const parent = this.nodeAt(path.slice(0, -1));
    const last = path[path.length - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
      return (pair?.key as Node | undefined) ?? undefined;
    }
    if (isSeq(parent) && typeof last === 'number') return parent.items[last] as Node | undefined;
    return undefined;
  }
}

export function formatPath(path: KeyPath): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

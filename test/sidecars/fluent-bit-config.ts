/**
 * A reader for Fluent Bit's classic configuration format, enough to check what shipper renders:
 * `[SECTION]` headers, `Key Value` lines (keys are case-insensitive), `#` comments.
 */

export interface FluentSection {
  /** Upper-case section name: SERVICE, INPUT, FILTER, OUTPUT, PARSER. */
  kind: string;
  /** Keys lower-cased; a key given twice (e.g. `Record`) keeps every value in order. */
  entries: Map<string, string[]>;
  line: number;
}

export function parseFluentBitConfig(text: string): FluentSection[] {
  const sections: FluentSection[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || (line.startsWith('#') && raw.startsWith('#'))) return;
    const header = /^\[([A-Za-z_]+)\]$/.exec(line);
    if (header) {
      sections.push({ kind: header[1]!.toUpperCase(), entries: new Map(), line: index + 1 });
      return;
    }
    if (line.startsWith('@')) throw new Error(`line ${index + 1}: directives such as ${line.split(/\s/)[0]} are not expected`);
    const current = sections.at(-1);
    if (!current) throw new Error(`line ${index + 1}: key outside of any section: ${line}`);
    if (!/^\s+/.test(raw)) throw new Error(`line ${index + 1}: entries must be indented under their section`);
    // Keep comments on their own unindented lines, where every Fluent Bit version reads them as such.
    if (line.startsWith('#')) throw new Error(`line ${index + 1}: indented comment`);
    const kv = /^(\S+)\s+(.+)$/.exec(line);
    if (!kv) throw new Error(`line ${index + 1}: expected "Key Value", got ${JSON.stringify(line)}`);
    const key = kv[1]!.toLowerCase();
    current.entries.set(key, [...(current.entries.get(key) ?? []), kv[2]!.trim()]);
  });
  return sections;
}

export function value(section: FluentSection, key: string): string | undefined {
  return section.entries.get(key.toLowerCase())?.[0];
}

export function sectionsOf(sections: FluentSection[], kind: string): FluentSection[] {
  return sections.filter((s) => s.kind === kind);
}

/** Fluent Bit's Match: `*` matches any run of characters, everything else literally. */
export function tagMatches(pattern: string, tag: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return regex.test(tag);
}

/**
 * The tags records from an input carry: its `Tag` when set; for a forward input, the sender's
 * tag (here: each container name) behind `Tag_Prefix`.
 */
export function tagsOf(input: FluentSection, senderTags: string[]): string[] {
  const tag = value(input, 'Tag');
  if (tag) return [tag];
  if (value(input, 'Name') === 'forward') return senderTags.map((t) => `${value(input, 'Tag_Prefix') ?? ''}${t}`);
  return [`${value(input, 'Name')}.0`];
}

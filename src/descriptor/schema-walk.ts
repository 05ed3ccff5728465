/** Reads the zod schema's structure, to suggest known keys for a typo. */
import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  schema?: z.ZodType;
}

function def(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strip optional/default/pipe wrappers down to the structural schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let i = 0; i < 20; i++) {
    const d = def(current);
    const next = d.innerType ?? (d.type === 'pipe' ? (def(d.in!).type === 'transform' ? d.out : d.in) : undefined);
    if (!next) return current;
    current = next;
  }
  return current;
}

/** The keys an object schema accepts at `path`, or [] when there is no object there. */
export function knownKeysAt(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  let candidates: z.ZodType[] = [schema];
  for (const part of path) {
    candidates = candidates.flatMap((c) => childSchemas(unwrap(c), part));
  }
  return [...new Set(candidates.flatMap((c) => objectKeys(unwrap(c))))];
}

function childSchemas(schema: z.ZodType, part: string | number): z.ZodType[] {
  const d = def(schema);
  if (d.type === 'object' && typeof part === 'string' && d.shape?.[part]) return [d.shape[part]!];
  if (d.type === 'array' && d.element) return [d.element];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => childSchemas(unwrap(o), part));
  return [];
}

function objectKeys(schema: z.ZodType): string[] {
  const d = def(schema);
  if (d.type === 'object' && d.shape) return Object.keys(d.shape);
  if (d.type === 'union' && d.options) return d.options.flatMap((o) => objectKeys(unwrap(o)));
  return [];
}

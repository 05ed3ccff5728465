/**
 * Environment overlays: mappings merge key by key, everything else (lists included) replaces.
 * Replacing lists is deliberate: a prod subnet list that silently appended the test subnets
 * would put prod instances in the wrong network.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
      out[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return out;
  }
  return overlay === undefined ? base : overlay;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

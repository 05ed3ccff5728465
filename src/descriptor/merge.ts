/**
 * Environment overlays: mappings merge key by key, everything else (lists included) replaces.
 * Replacing lists is deliberate: a prod subnet list that silently appended the test subnets
 * would put prod instances in the wrong network.
 */
export function deepMerge(base: unknown, overlay: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(overlay)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overlay)) {
      // Own keys only, defined rather than assigned: a key named `constructor` or `__proto__`
      // is data (and then an unknown key), never the object's prototype.
      Object.defineProperty(out, key, { value: Object.hasOwn(base, key) ? deepMerge(base[key], value) : value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return overlay === undefined ? base : overlay;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A value as CEL (@bufbuild/cel) reads it: objects become Maps and arrays lists, all the way down;
 * Maps already converted stay as they are.
 */
export function toCel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toCel);
  if (value && typeof value === 'object' && !(value instanceof Map))
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(v)]));
  return value;
}

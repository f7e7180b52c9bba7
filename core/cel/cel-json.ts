/**
 * A JSON/YAML value as CEL sees an unstructured Kubernetes object: whole numbers are `int` (bigint),
 * other numbers `double`; objects stay plain objects (cel-js reads them as maps). Converted objects
 * are cached, so the many policies that read one object convert it once.
 */
export function celJson(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (!value || typeof value !== 'object') return value;
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  let result: unknown;
  if (Array.isArray(value)) result = value.map(celJson);
  else {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = celJson(item);
    result = out;
  }
  converted.set(value, result);
  return result;
}

const converted = new WeakMap<object, unknown>();

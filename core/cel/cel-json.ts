/**
 * A JSON/YAML value as CEL sees an unstructured Kubernetes object: whole numbers are `int` (bigint),
 * other numbers `double`; objects stay plain objects (cel-js reads them as maps). A plain object or
 * array with no number (and no undefined entry) below it is returned as it is, not copied: evaluation
 * never writes to its input, and most of a manifest (names, labels, images) has no numbers. Converted
 * top-level objects are cached, so the many policies that read one param or namespace convert it once.
 */
export function celJson(value: unknown): unknown {
  if (!value || typeof value !== 'object') return convert(value);
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  const result = convert(value);
  converted.set(value, result);
  return result;
}

const converted = new WeakMap<object, unknown>();

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return convertArray(value);
  return convertObject(value as Record<string, unknown>);
}

function convertArray(value: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const next = convert(item);
    if (next !== item && !out) out = value.slice(0, i);
    if (out) out.push(next);
  }
  return out ?? value;
}

function convertObject(value: Record<string, unknown>): Record<string, unknown> {
  // Anything but a plain object (a YAML timestamp's Date) becomes a map of its own fields, as before.
  const plain = Object.getPrototypeOf(value) === Object.prototype;
  let out: Record<string, unknown> | undefined = plain ? undefined : {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    const next = item === undefined ? undefined : convert(item);
    if (!out && next !== item) out = copyBefore(value, key);
    if (out && next !== undefined) out[key] = next;
  }
  return out ?? value;
}

/** A copy of `value`'s fields that come before `stop`, in order. */
function copyBefore(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key === stop) break;
    out[key] = value[key];
  }
  return out;
}

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

/**
 * celJson without the cache, for an object converted once and never again (the object a review
 * reads): a WeakMap entry per reviewed object cost more than the conversion it could save.
 */
export function celJsonOnce(value: unknown): unknown {
  return convert(value);
}

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (!value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return convertArray(value);
  return convertObject(value as Record<string, unknown>);
}

// The loops below test an item's type before calling convert: most of a manifest is strings, which
// stay as they are, and the call per leaf showed in the policy row's profile.

function convertArray(value: unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < value.length; i++) {
    const item = value[i];
    const next = typeof item === 'object' || typeof item === 'number' ? convert(item) : item;
    if (next !== item && !out) out = value.slice(0, i);
    if (out) out.push(next);
  }
  return out ?? value;
}

function convertObject(value: Record<string, unknown>): Record<string, unknown> {
  const plain = Object.getPrototypeOf(value) === Object.prototype;
  if (!plain || inheritsEnumerable()) return convertOwnKeys(value, plain);
  let out: Record<string, unknown> | undefined;
  // for-in rather than Object.keys: no array per object, and V8's enum cache makes the reads fast
  // (a third less time on the bench's workloads). On a plain object it visits exactly the own
  // enumerable keys, in Object.keys' order (ES2020 for-in order), when Object.prototype has no
  // enumerable property (checked above).
  for (const key in value) {
    const item = value[key];
    const next = typeof item === 'object' || typeof item === 'number' ? convert(item) : item;
    if (!out && next !== item) out = copyBefore(value, key);
    // An undefined field is left out of a copy (and kept where nothing is copied).
    if (out && next !== undefined) out[key] = next;
  }
  return out ?? value;
}

/** Whether Object.prototype has an enumerable property (polluted): for-in would visit it too. */
function inheritsEnumerable(): boolean {
  for (const _ in Object.prototype) return true;
  return false;
}

/** A copy of `value`'s fields before `stop`, in order. */
function copyBefore(value: Record<string, unknown>, stop: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (key === stop) break;
    out[key] = value[key];
  }
  return out;
}

/** convertObject by Object.keys: anything but a plain object (a YAML timestamp's Date) becomes a map of its own fields. */
function convertOwnKeys(value: Record<string, unknown>, plain: boolean): Record<string, unknown> {
  let out: Record<string, unknown> | undefined = plain ? undefined : {};
  const keys = Object.keys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const item = value[key];
    const next = item === undefined ? undefined : convert(item);
    if (!out) {
      if (next === item) continue;
      out = {};
      for (let j = 0; j < i; j++) out[keys[j] as string] = value[keys[j] as string];
    }
    if (next !== undefined) out[key] = next;
  }
  return out ?? value;
}

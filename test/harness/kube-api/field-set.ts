import { isObject } from './patch.js';
import { mergeKeyOf } from './strategic-merge.js';

/**
 * Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff fieldpath): a path is
 * a list of segments `f:<field>`, `k:<json key>` (associative list item), `v:<json>` (set item) and
 * `.` (the item itself). A set is stored as JSON-encoded paths; managedFields carries it as FieldsV1.
 */
export type FieldPath = string[];
export type FieldSet = Set<string>;

const PRIMITIVE_SETS = new Set(['finalizers']);
// Never owned: identity and bookkeeping that apply does not manage.
const IGNORED_TOP = new Set(['apiVersion', 'kind', 'status']);
const IGNORED_META = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'managedFields',
  'deletionTimestamp',
  'selfLink',
]);

function itemSegment(item: Record<string, unknown>, key: string): string {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

function walk(
  value: unknown,
  path: FieldPath,
  field: string | undefined,
  parent: string | undefined,
  out: FieldSet,
): void {
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => !(path.length === 0 && IGNORED_TOP.has(k)));
    const metaKeys =
      path.length === 1 && path[0] === 'f:metadata' ? keys.filter((k) => !IGNORED_META.has(k)) : keys;
    // An empty map is a value someone set; a map emptied by the ignore lists is not.
    if (Object.keys(value).length === 0 && path.length > 0) out.add(JSON.stringify(path));
    for (const key of metaKeys) walk(value[key], [...path, `f:${key}`], key, field, out);
    return;
  }
  if (Array.isArray(value) && field) {
    const key = mergeKeyOf(field, parent);
    if (key && value.every((item) => isObject(item) && item[key] !== undefined)) {
      for (const item of value as Array<Record<string, unknown>>) {
        const itemPath = [...path, itemSegment(item, key)];
        out.add(JSON.stringify([...itemPath, '.']));
        for (const [k, v] of Object.entries(item)) walk(v, [...itemPath, `f:${k}`], k, field, out);
      }
      return;
    }
    if (PRIMITIVE_SETS.has(field)) {
      for (const item of value) out.add(JSON.stringify([...path, `v:${JSON.stringify(item)}`]));
      return;
    }
  }
  out.add(JSON.stringify(path));
}

/** Every leaf field the object sets (atomic lists and scalars are leaves). */
export function fieldSetOf(object: unknown): FieldSet {
  const out: FieldSet = new Set();
  walk(object, [], undefined, undefined, out);
  return out;
}

function matchItem(list: unknown[], segment: string): number {
  const wanted = JSON.parse(segment.slice(2)) as Record<string, unknown>;
  const [key, value] = Object.entries(wanted)[0]!;
  return list.findIndex((item) => isObject(item) && JSON.stringify(item[key]) === JSON.stringify(value));
}

/** The value at a path, or undefined; `.` yields the list item itself. */
export function valueAt(object: unknown, path: FieldPath): unknown {
  let current = object;
  for (const segment of path) {
    if (segment === '.') return current;
    if (segment.startsWith('f:')) current = isObject(current) ? current[segment.slice(2)] : undefined;
    else if (segment.startsWith('k:'))
      current = Array.isArray(current) ? current[matchItem(current, segment)] : undefined;
    else if (segment.startsWith('v:')) {
      const wanted = segment.slice(2);
      return Array.isArray(current) && current.some((v) => JSON.stringify(v) === wanted)
        ? JSON.parse(wanted)
        : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Removes the field at a path from the object in place (a `.` or `v:` segment removes a list item). */
export function removeAt(object: unknown, path: FieldPath): void {
  const last = path[path.length - 1];
  if (last === undefined) return;
  const container = valueAt(object, path.slice(0, last === '.' ? -2 : -1));
  if (last === '.') {
    const itemSegment = path[path.length - 2]!;
    if (Array.isArray(container)) {
      const index = matchItem(container, itemSegment);
      if (index >= 0) container.splice(index, 1);
    }
  } else if (last.startsWith('v:') && Array.isArray(container)) {
    const index = container.findIndex((v) => JSON.stringify(v) === last.slice(2));
    if (index >= 0) container.splice(index, 1);
  } else if (last.startsWith('f:') && isObject(container)) delete container[last.slice(2)];
}

/** FieldsV1 tree (`{"f:spec":{"f:replicas":{}}}`) from a set of paths. */
export function toFieldsV1(set: FieldSet): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const encoded of set) {
    let node = root;
    for (const segment of JSON.parse(encoded) as FieldPath) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  }
  return root;
}

/** The set of paths a FieldsV1 tree names (its leaves and `.` markers). */
export function fromFieldsV1(tree: unknown, path: FieldPath = [], out: FieldSet = new Set()): FieldSet {
  if (!isObject(tree)) return out;
  const entries = Object.entries(tree);
  if (entries.length === 0 && path.length > 0) out.add(JSON.stringify(path));
  for (const [segment, child] of entries) fromFieldsV1(child, [...path, segment], out);
  return out;
}

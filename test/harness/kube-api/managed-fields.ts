import {
  type FieldPath,
  type FieldSet,
  fieldSetOf,
  fromFieldsV1,
  removeAt,
  toFieldsV1,
  valueAt,
} from './field-set.js';
import { isObject } from './patch.js';
import { applyConflict, type StatusCause } from './status.js';
import { type KubeObject, kubeTime } from './store.js';
import { mergeKeyOf } from './strategic-merge.js';

/**
 * Server-side apply (kubernetes.io/docs/reference/using-api/server-side-apply): each manager owns the
 * fields it last set; an apply that changes a field another manager owns is a 409 Conflict unless
 * forced (force moves ownership); fields a manager applied before and omits now are removed when no
 * one else owns them. Plain updates record their changed fields under an `Update` entry.
 */
interface Manager {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

interface Owned {
  entry: Manager;
  set: FieldSet;
}

function managersOf(object: KubeObject | undefined): Owned[] {
  const raw = object?.metadata?.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw
    .filter((m): m is Manager => isObject(m) && typeof m.manager === 'string')
    .map((entry) => ({ entry, set: fromFieldsV1(entry.fieldsV1) }));
}

function writeManagers(object: KubeObject, owned: Owned[]): void {
  const entries = owned
    .filter((o) => o.set.size > 0)
    .map((o) => ({ ...o.entry, fieldsType: 'FieldsV1' as const, fieldsV1: toFieldsV1(o.set) }));
  object.metadata ??= {};
  if (entries.length > 0) object.metadata.managedFields = entries;
  else delete object.metadata.managedFields;
}

function ownerEntry(
  owned: Owned[],
  manager: string,
  operation: Manager['operation'],
  apiVersion: string,
): Owned {
  let found = owned.find((o) => o.entry.manager === manager && o.entry.operation === operation);
  if (!found) {
    found = {
      entry: { manager, operation, apiVersion, time: '', fieldsType: 'FieldsV1', fieldsV1: {} },
      set: new Set(),
    };
    owned.push(found);
  }
  found.entry.time = kubeTime();
  found.entry.apiVersion = apiVersion;
  return found;
}

/** `.spec.template.spec.containers[name="web"].image`, as the apiserver names conflicting fields. */
function describe(path: FieldPath): string {
  return path
    .map((segment) => {
      if (segment.startsWith('f:')) return `.${segment.slice(2)}`;
      if (segment.startsWith('k:')) {
        const [[k, v]] = Object.entries(JSON.parse(segment.slice(2)) as Record<string, unknown>) as [
          [string, unknown],
        ];
        return `[${k}=${JSON.stringify(v)}]`;
      }
      if (segment.startsWith('v:')) return `[=${segment.slice(2)}]`;
      return '';
    })
    .join('');
}

/** SSA merge: maps recurse, associative lists merge by key (applied order first), the rest replace. */
function mergeApplied(live: unknown, applied: unknown, field?: string, parent?: string): unknown {
  if (isObject(live) && isObject(applied)) {
    const result: Record<string, unknown> = { ...live };
    for (const [k, v] of Object.entries(applied)) result[k] = mergeApplied(live[k], v, k, field);
    return result;
  }
  const key = field ? mergeKeyOf(field, parent) : undefined;
  if (Array.isArray(live) && Array.isArray(applied) && key) {
    const same = (a: unknown, b: unknown) =>
      isObject(a) && isObject(b) && JSON.stringify(a[key]) === JSON.stringify(b[key]);
    const merged = applied.map((item) =>
      mergeApplied(
        live.find((l) => same(l, item)),
        item,
        field,
        parent,
      ),
    );
    return [...merged, ...live.filter((l) => !applied.some((a) => same(l, a)))];
  }
  if (Array.isArray(live) && Array.isArray(applied) && field === 'finalizers') {
    return [...applied, ...live.filter((v) => !applied.includes(v))];
  }
  return structuredClone(applied);
}

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** Applies `applied` as `manager` over `live` (undefined when creating); throws 409 on conflicts. */
export function serverSideApply(
  live: KubeObject | undefined,
  applied: KubeObject,
  manager: string,
  force: boolean,
  target: { group: string; resource: string; name: string },
): KubeObject {
  const owned = managersOf(live);
  const appliedSet = fieldSetOf(applied);
  const apiVersion = String(applied.apiVersion);
  const causes: StatusCause[] = [];
  for (const other of owned.filter((o) => !(o.entry.manager === manager && o.entry.operation === 'Apply'))) {
    for (const encoded of appliedSet) {
      if (!other.set.has(encoded)) continue;
      const path = JSON.parse(encoded) as FieldPath;
      // A list item's `.` is membership, shared by all who set the item; only leaf values conflict.
      if (path[path.length - 1] === '.' || !differs(valueAt(live, path), valueAt(applied, path))) continue;
      if (force) other.set.delete(encoded);
      else
        causes.push({
          reason: 'FieldManagerConflict',
          message: `conflict with "${other.entry.manager}" using ${other.entry.apiVersion}`,
          field: describe(path),
        });
    }
  }
  if (causes.length > 0) throw applyConflict(target, causes);
  const mine = ownerEntry(owned, manager, 'Apply', apiVersion);
  const result = structuredClone(live ?? {}) as KubeObject;
  for (const encoded of mine.set) {
    if (appliedSet.has(encoded) || owned.some((o) => o !== mine && o.set.has(encoded))) continue;
    removeAt(result, JSON.parse(encoded) as FieldPath);
  }
  mine.set = appliedSet;
  const merged = mergeApplied(result, applied) as KubeObject;
  writeManagers(merged, owned);
  return merged;
}

/** Records a non-apply write: the fields it changed move to `manager` (operation Update). */
export function recordUpdate(before: KubeObject | undefined, after: KubeObject, manager: string): void {
  const owned = managersOf(before);
  const afterSet = fieldSetOf(after);
  const changed = [...afterSet].filter((e) =>
    differs(valueAt(before, JSON.parse(e)), valueAt(after, JSON.parse(e))),
  );
  for (const o of owned) {
    for (const encoded of o.set) {
      if (!afterSet.has(encoded) || changed.includes(encoded)) o.set.delete(encoded);
    }
  }
  if (changed.length > 0) {
    const mine = ownerEntry(owned, manager, 'Update', String(after.apiVersion));
    for (const encoded of changed) mine.set.add(encoded);
  }
  writeManagers(after, owned);
}

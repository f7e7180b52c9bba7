import { isObject } from './patch.js';
import { badRequest } from './status.js';

/**
 * Strategic merge patch (community/contributors/devel/sig-api-machinery/strategic-merge-patch.md) for
 * the built-in types seco uses. Lists merge by the Go types' `patchMergeKey` tags; lists without one
 * are replaced. Directives: `$patch` (replace|delete|merge), `$retainKeys`, `$setElementOrder/<list>`,
 * `$deleteFromPrimitiveList/<list>`, and null to delete a key.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  ownerReferences: 'uid',
  conditions: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
};
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
/** Primitive lists with patchStrategy "merge": treated as sets. */
const PRIMITIVE_MERGE = new Set(['finalizers']);

/** The merge key of the list at `field`, whose parent field is `parent`; undefined means replace. */
export function mergeKeyOf(field: string, parent: string | undefined): string | undefined {
  // ContainerPort merges on containerPort; ServicePort on port (core/v1 types.go tags).
  if (field === 'ports') return parent && CONTAINER_LISTS.has(parent) ? 'containerPort' : 'port';
  return MERGE_KEYS[field];
}

function sameKey(a: unknown, b: unknown, key: string): boolean {
  return (
    isObject(a) && isObject(b) && a[key] !== undefined && JSON.stringify(a[key]) === JSON.stringify(b[key])
  );
}

function withoutDirectives(item: Record<string, unknown>): Record<string, unknown> {
  const { $patch: _p, ...rest } = item;
  return rest;
}

function mergeList(
  original: unknown,
  patch: unknown[],
  field: string,
  parent: string | undefined,
): unknown[] {
  const key = mergeKeyOf(field, parent);
  if (PRIMITIVE_MERGE.has(field)) {
    const base = Array.isArray(original) ? [...original] : [];
    for (const value of patch) if (!base.includes(value)) base.push(value);
    return base;
  }
  if (!key) return patch.map((v) => stripDirectives(v));
  if (patch.some((item) => isObject(item) && item.$patch === 'replace')) {
    return patch
      .filter((item) => !(isObject(item) && item.$patch === 'replace'))
      .map((v) => stripDirectives(v));
  }
  const result = Array.isArray(original) ? original.map((v) => structuredClone(v)) : [];
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`strategic merge patch: list ${field} holds a non-object item`);
    const index = result.findIndex((existing) => sameKey(existing, item, key));
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
    } else if (index >= 0) result[index] = mergeMap(result[index], withoutDirectives(item), field);
    else result.push(stripDirectives(item));
  }
  return result;
}

function orderList(list: unknown[], order: unknown[], field: string, parent: string | undefined): unknown[] {
  const key = mergeKeyOf(field, parent);
  const position = (item: unknown): number =>
    order.findIndex((o) => (key ? sameKey(item, o, key) : JSON.stringify(item) === JSON.stringify(o)));
  const ordered = list.filter((item) => position(item) >= 0).sort((a, b) => position(a) - position(b));
  return [...ordered, ...list.filter((item) => position(item) < 0)];
}

/** Removes directive keys from a value that is added as a whole (nothing to merge it with). */
function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.startsWith('$') || v === null) continue;
    out[k] = stripDirectives(v);
  }
  return out;
}

function applyListDirectives(
  result: Record<string, unknown>,
  patch: Record<string, unknown>,
  parent?: string,
): void {
  for (const [directive, value] of Object.entries(patch)) {
    const [prefix, field] = directive.split('/');
    if (!field || !Array.isArray(value)) continue;
    if (prefix === '$deleteFromPrimitiveList' && Array.isArray(result[field])) {
      result[field] = (result[field] as unknown[]).filter((v) => !value.includes(v));
    }
    if (prefix === '$setElementOrder' && Array.isArray(result[field])) {
      result[field] = orderList(result[field] as unknown[], value, field, parent);
    }
  }
}

/** Merges a patch map into an original map; `parent` is the field name the map sits under. */
function mergeMap(original: unknown, patch: Record<string, unknown>, parent?: string): unknown {
  if (patch.$patch === 'delete') return undefined;
  if (patch.$patch === 'replace') return stripDirectives(withoutDirectives(patch));
  const result: Record<string, unknown> = isObject(original) ? structuredClone(original) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = mergeList(result[key], value, key, parent);
    else if (isObject(value)) {
      const merged = mergeMap(result[key], value, key);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    } else result[key] = value;
  }
  applyListDirectives(result, patch, parent);
  if (Array.isArray(patch.$retainKeys)) {
    for (const key of Object.keys(result)) if (!patch.$retainKeys.includes(key)) delete result[key];
  }
  return result;
}

export function strategicMergePatch(original: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  return mergeMap(original, patch) ?? {};
}

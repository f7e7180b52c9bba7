import { randomUUID } from 'node:crypto';
import { groupVersion, RESOURCE_TYPES, type ResourceType, typeForKind } from './resources.js';

/** Any object the API serves: kind and apiVersion plus metadata; the rest is untyped JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: Record<string, unknown> & { name?: string; namespace?: string; resourceVersion?: string };
  [key: string]: unknown;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  resourceType: ResourceType;
  object: KubeObject;
  resourceVersion: number;
  /** The state before a MODIFIED change, so watches can tell when an object left their selector. */
  previous?: KubeObject;
}

// Kinds whose objects carry metadata.generation (those with a spec the controllers reconcile).
const NO_GENERATION = new Set(['ConfigMap', 'Secret', 'Event', 'ServiceAccount', 'Namespace', 'Node']);
const HISTORY_LIMIT = 2000;

function keyOf(type: ResourceType, namespace: string, name: string): string {
  return `${type.group}/${type.resource}/${type.namespaced ? namespace : ''}/${name}`;
}

/** RFC 3339 with seconds precision, as metav1.Time marshals. */
export function kubeTime(date = new Date()): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

function specChanged(before: KubeObject, after: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: KubeObject) => JSON.stringify(rest);
  return strip(before) !== strip(after);
}

/**
 * The harness's etcd: objects by resource, namespace and name; one global resourceVersion counter
 * (like etcd's revision), and the history of changes that watches resume from.
 */
export class KubeStore {
  private revision = 0;
  private readonly objects = new Map<string, KubeObject>();
  private history: StoreEvent[] = [];
  /** The oldest resourceVersion a watch may still start from; older ones are 410 Gone. */
  private oldestWatchable = 0;
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  get resourceVersion(): number {
    return this.revision;
  }

  get(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const found = this.objects.get(keyOf(type, namespace, name));
    return found ? structuredClone(found) : undefined;
  }

  /** Objects of a type, in one namespace or (namespace undefined) all, sorted by namespace then name. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const prefix = `${type.group}/${type.resource}/${type.namespaced && namespace !== undefined ? `${namespace}/` : ''}`;
    return [...this.objects]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, object]) => structuredClone(object));
  }

  /** Stores a new object, filling uid, creationTimestamp, resourceVersion and generation. */
  create(type: ResourceType, object: KubeObject): KubeObject {
    const stored = structuredClone(object);
    stored.apiVersion = groupVersion(type);
    stored.kind = type.kind;
    stored.metadata ??= {};
    const metadata = stored.metadata;
    if (!type.namespaced) delete metadata.namespace;
    metadata.uid = randomUUID();
    metadata.creationTimestamp = kubeTime();
    if (!NO_GENERATION.has(type.kind)) metadata.generation = 1;
    else delete metadata.generation;
    delete metadata.deletionTimestamp;
    return this.commit('ADDED', type, stored);
  }

  /** Replaces a stored object, bumping generation when anything outside metadata and status changed. */
  update(type: ResourceType, object: KubeObject): KubeObject {
    const metadata = object.metadata ?? {};
    const previous = this.objects.get(keyOf(type, String(metadata.namespace ?? ''), String(metadata.name)));
    if (!previous) throw new Error(`update of missing ${type.resource} ${metadata.name}`);
    const stored = structuredClone(object);
    stored.apiVersion = groupVersion(type);
    stored.kind = type.kind;
    const meta = stored.metadata!;
    for (const field of ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp'] as const) {
      if (previous.metadata?.[field] !== undefined) meta[field] = previous.metadata[field];
    }
    if (typeof meta.generation === 'number' && specChanged(previous, stored)) meta.generation += 1;
    return this.commit('MODIFIED', type, stored, previous);
  }

  /** Removes an object; the DELETED event carries its last state with a fresh resourceVersion. */
  remove(type: ResourceType, namespace: string, name: string): KubeObject | undefined {
    const key = keyOf(type, namespace, name);
    const previous = this.objects.get(key);
    if (!previous) return undefined;
    this.objects.delete(key);
    return this.commit('DELETED', type, structuredClone(previous));
  }

  /** Changes since `resourceVersion` (exclusive), or 'expired' when history no longer reaches back. */
  eventsSince(resourceVersion: number): StoreEvent[] | 'expired' {
    if (resourceVersion < this.oldestWatchable) return 'expired';
    return this.history.filter((e) => e.resourceVersion > resourceVersion);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops the watch history, as etcd compaction does: watches from older versions then get 410 Gone. */
  compact(): void {
    this.history = [];
    this.oldestWatchable = this.revision;
  }

  /** Test convenience: creates or replaces an object found by its apiVersion and kind. */
  put(object: KubeObject): KubeObject {
    const type = typeForKind(String(object.apiVersion), String(object.kind));
    if (!type) throw new Error(`the harness serves no ${object.apiVersion} ${object.kind}`);
    const meta = object.metadata ?? {};
    const existing = this.get(type, String(meta.namespace ?? ''), String(meta.name));
    if (!existing) return this.create(type, object);
    return this.update(type, { ...object, metadata: { ...meta, namespace: existing.metadata?.namespace } });
  }

  /** Test convenience: the stored object with this apiVersion, kind, namespace and name. */
  find(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    const type = typeForKind(apiVersion, kind);
    return type ? this.get(type, namespace, name) : undefined;
  }

  /** Every stored object, for dumps in failing tests. */
  all(): KubeObject[] {
    return RESOURCE_TYPES.flatMap((t) => this.list(t));
  }

  private commit(
    type: EventType,
    resourceType: ResourceType,
    object: KubeObject,
    previous?: KubeObject,
  ): KubeObject {
    this.revision += 1;
    object.metadata!.resourceVersion = String(this.revision);
    if (type !== 'DELETED') {
      const meta = object.metadata!;
      this.objects.set(keyOf(resourceType, String(meta.namespace ?? ''), String(meta.name)), object);
    }
    const event: StoreEvent = { type, resourceType, object, resourceVersion: this.revision, previous };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.shift()!;
      this.oldestWatchable = dropped.resourceVersion;
    }
    for (const listener of this.listeners) listener(event);
    return structuredClone(object);
  }
}

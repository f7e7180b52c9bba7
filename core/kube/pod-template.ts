import {
  CONTAINER_LIST_FIELDS,
  type Container,
  type ContainerListField,
  isRecord,
  type KubeObject,
  type ObjectMeta,
  type PodSpec,
} from './types.js';

/** A pod spec found inside a workload, with the metadata that applies to its pods. */
export interface PodTemplate {
  /** The pod's metadata: for a Pod its own, for a workload the template's. */
  metadata: ObjectMeta;
  spec: PodSpec;
  /** Path from the object's root to `spec`, e.g. `['spec', 'template', 'spec']`: shared, never changed. */
  specPath: ReadonlyArray<string | number>;
}

/** Kinds whose objects carry a pod template, and where it is. */
const TEMPLATE_PATHS: Record<string, string[]> = {
  Pod: [],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  PodTemplate: ['template'],
};

export const WORKLOAD_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

// Each kind's path to its pod spec, one array shared by all its templates: callers only read it.
const SPEC_PATHS: Record<string, Array<string | number>> = Object.fromEntries(
  Object.entries(TEMPLATE_PATHS).map(([kind, path]) => [kind, [...path, 'spec']]),
);

/** The pod template of a workload object, or undefined for kinds without one (or a malformed one). */
export function podTemplateOf(object: KubeObject): PodTemplate | undefined {
  // Own kinds only: a hostile `kind: constructor` is not a template path.
  const path =
    object.kind && Object.hasOwn(TEMPLATE_PATHS, object.kind) ? TEMPLATE_PATHS[object.kind] : undefined;
  if (!path) return undefined;
  let holder: unknown = object;
  for (const key of path) holder = isRecord(holder) ? holder[key] : undefined;
  if (!isRecord(holder) || !isRecord(holder.spec)) return undefined;
  return {
    metadata: isRecord(holder.metadata) ? (holder.metadata as ObjectMeta) : {},
    spec: holder.spec as PodSpec,
    specPath: SPEC_PATHS[object.kind!]!,
  };
}

export interface ContainerEntry {
  container: Container;
  field: ContainerListField;
  index: number;
}

/** Every container of a pod spec (containers, initContainers, ephemeralContainers), skipping malformed entries. */
export function containersOf(spec: PodSpec): ContainerEntry[] {
  const entries: ContainerEntry[] = [];
  for (const field of CONTAINER_LIST_FIELDS) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, index) => {
      if (isRecord(container)) entries.push({ container: container as Container, field, index });
    });
  }
  return entries;
}

// A template's container entries and an entry's description, kept on the objects they describe: a
// config scan runs some 25 checks over each pod template, each listing its containers and most of them
// naming one. Symbol keys, so nothing that lists or serialises these objects sees them.
const ENTRIES = Symbol('container entries');
const DESCRIPTION = Symbol('container description');

/**
 * `containersOf(pod.spec)`, listed once per template and shared by every check of it. The template is
 * built for one scan of one object (podTemplateOf), which nothing changes while checks run; callers
 * only read the list.
 */
export function podContainers(pod: PodTemplate): readonly ContainerEntry[] {
  const cached = (pod as PodTemplate & { [ENTRIES]?: ContainerEntry[] })[ENTRIES];
  if (cached) return cached;
  const entries = containersOf(pod.spec);
  (pod as PodTemplate & { [ENTRIES]?: ContainerEntry[] })[ENTRIES] = entries;
  return entries;
}

/** `container "web"` / `init container "setup"` / `ephemeral container "debug"`, as pod-security-admission words it. */
export function describeContainer(entry: ContainerEntry): string {
  const described = entry as ContainerEntry & { [DESCRIPTION]?: string };
  let description = described[DESCRIPTION];
  if (description === undefined) {
    description = containerDescription(entry);
    described[DESCRIPTION] = description;
  }
  return description;
}

function containerDescription(entry: ContainerEntry): string {
  const kind =
    entry.field === 'initContainers'
      ? 'init container'
      : entry.field === 'ephemeralContainers'
        ? 'ephemeral container'
        : 'container';
  return `${kind} ${JSON.stringify(String(entry.container.name ?? `#${entry.index}`))}`;
}

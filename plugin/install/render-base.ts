import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { containersOf, podTemplateOf } from '../../core/kube/pod-template.js';
import type { KubeObject } from '../../core/kube/types.js';

/**
 * The part of kustomize seco's own base uses — `resources` (files), `namespace`, `images` — so
 * `kubectl seco install` needs no kustomize binary. Anything else in the kustomization is refused
 * rather than ignored: a field silently dropped would install something other than the base says.
 */
/** One `images:` rule of a kustomization: which image to change, and to what. */
export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface Kustomization {
  namespace?: string;
  resources?: string[];
  images?: ImageRule[];
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images']);

/** Kinds without a namespace among those a base may hold. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
  'PersistentVolume',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

/** kustomize's legacy apply order: what others depend on first. */
const ORDER = [
  'Namespace',
  'CustomResourceDefinition',
  'ServiceAccount',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'StatefulSet',
  // Kinds kustomize does not list come next, by name: APIService, DaemonSet, Job, NetworkPolicy.
  'APIService',
  'DaemonSet',
  'Job',
  'CronJob',
  'NetworkPolicy',
];

/**
 * The base's two namespaces (manifests/namespace.yaml): seco's own, Pod Security `restricted`, and the
 * agents', the only one that admits privileged pods. A kustomization without `namespace:` leaves each
 * object in the one it names; install moves each to the namespace the user chose for it.
 */
export const BASE_NAMESPACE = 'seco-system';
export const BASE_AGENT_NAMESPACE = 'seco-agents';

export interface RenderOptions {
  /** Install into this namespace instead of the base's. */
  namespace?: string;
  /** The agents' namespace instead of the base's (`--agent-namespace`). */
  agentNamespace?: string;
  /** Image rules that replace the kustomization's rule for the same name (as `kustomize edit set image`). */
  images?: ImageRule[];
}

export interface RenderedBase {
  namespace: string;
  /** Where the agent DaemonSet runs: its own namespace, or `namespace` with a one-namespace base. */
  agentNamespace: string;
  objects: KubeObject[];
  /** Objects of the base this install leaves out (NATS/Minio with external servers): deleted if present. */
  retired?: KubeObject[];
}

export async function renderBase(dir: string, options: RenderOptions = {}): Promise<RenderedBase> {
  const file = join(dir, 'kustomization.yaml');
  const kustomization = parse(await readFile(file, 'utf8')) as Kustomization & Record<string, unknown>;
  const unknown = Object.keys(kustomization).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) {
    throw new Error(
      `${file}: ${unknown.join(', ')} not supported by kubectl seco install (use kubectl apply -k)`,
    );
  }
  const namespace = options.namespace ?? kustomization.namespace ?? BASE_NAMESPACE;
  // With `namespace:` kustomize moves everything into one namespace; without, each object keeps its own.
  const agentNamespace = kustomization.namespace
    ? namespace
    : (options.agentNamespace ?? BASE_AGENT_NAMESPACE);
  if (agentNamespace === namespace && !kustomization.namespace)
    throw new Error(
      `the agents' namespace must differ from seco's (${namespace}): only the agents' admits privileged pods`,
    );
  const moves = kustomization.namespace
    ? undefined
    : new Map([
        [BASE_NAMESPACE, namespace],
        [BASE_AGENT_NAMESPACE, agentNamespace],
      ]);
  const objects: KubeObject[] = [];
  for (const resource of kustomization.resources ?? [])
    for (const object of await readObjects(join(dir, resource))) objects.push(object);
  const overridden = new Set((options.images ?? []).map((rule) => rule.name));
  const rules = [
    ...(kustomization.images ?? []).filter((rule) => !overridden.has(rule.name)),
    ...(options.images ?? []),
  ];
  for (const object of objects) {
    if (moves) moveNamespaces(object, moves, namespace);
    else setNamespace(object, namespace, kustomization.namespace);
    for (const image of rules) setImage(object, image);
  }
  const rank = (o: KubeObject) => {
    const i = ORDER.indexOf(o.kind ?? '');
    return i < 0 ? ORDER.length : i;
  };
  return {
    namespace,
    agentNamespace,
    objects: objects
      .map((o, i) => ({ o, i }))
      .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
      .map((x) => x.o),
  };
}

async function readObjects(path: string): Promise<KubeObject[]> {
  const docs = parseAllDocuments(await readFile(path, 'utf8'));
  const objects: KubeObject[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]!.message}`);
    const object = doc.toJS() as KubeObject | null;
    if (object === null) continue;
    if (!object.apiVersion || !object.kind || !object.metadata?.name) {
      throw new Error(`${path}: an object without apiVersion, kind or metadata.name`);
    }
    objects.push(object);
  }
  return objects;
}

/**
 * As kustomize's namespace transformer: namespaced objects, the Namespace itself, service-account
 * subjects, and the Service an APIService points at (its fieldspec `spec/service/namespace`).
 */
function setNamespace(object: KubeObject, namespace: string, baseNamespace: string | undefined): void {
  const metadata = object.metadata!;
  if (object.kind === 'Namespace') metadata.name = namespace;
  else if (!CLUSTER_SCOPED.has(object.kind!)) metadata.namespace = namespace;
  const service = (object.spec as { service?: { namespace?: unknown } } | undefined)?.service;
  if (object.kind === 'APIService' && service && typeof service === 'object') service.namespace = namespace;
  if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
    for (const subject of (object.subjects ?? []) as Array<Record<string, unknown>>) {
      if (
        subject.kind === 'ServiceAccount' &&
        (subject.namespace === undefined || subject.namespace === baseNamespace)
      ) {
        subject.namespace = namespace;
      }
    }
  }
}

/**
 * A base whose objects name their namespaces: each reference to a base namespace moves to the chosen one
 * — the object's own, a Namespace's name, service-account subjects, an APIService's service, and the
 * NetworkPolicy peers that select a namespace by name (`kubernetes.io/metadata.name`, which the API
 * server sets on every namespace). A namespaced object naming none goes to seco's.
 */
function moveNamespaces(object: KubeObject, moves: ReadonlyMap<string, string>, fallback: string): void {
  const metadata = object.metadata!;
  const moved = (name: unknown) => (typeof name === 'string' ? (moves.get(name) ?? name) : name);
  if (object.kind === 'Namespace') metadata.name = moved(metadata.name) as string;
  else if (!CLUSTER_SCOPED.has(object.kind!))
    metadata.namespace = metadata.namespace ? (moved(metadata.namespace) as string) : fallback;
  const service = (object.spec as { service?: { namespace?: unknown } } | undefined)?.service;
  if (object.kind === 'APIService' && service && typeof service === 'object')
    service.namespace = moved(service.namespace);
  if (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') {
    for (const subject of (object.subjects ?? []) as Array<Record<string, unknown>>)
      if (subject.kind === 'ServiceAccount') subject.namespace = moved(subject.namespace ?? fallback);
  }
  if (object.kind === 'NetworkPolicy') {
    const spec = object.spec as { ingress?: PolicyRule[]; egress?: PolicyRule[] } | undefined;
    for (const rule of [...(spec?.ingress ?? []), ...(spec?.egress ?? [])])
      for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) {
        const labels = peer.namespaceSelector?.matchLabels;
        if (labels?.[NAMESPACE_NAME_LABEL])
          labels[NAMESPACE_NAME_LABEL] = moved(labels[NAMESPACE_NAME_LABEL]);
      }
  }
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface PolicyPeer {
  namespaceSelector?: { matchLabels?: Record<string, unknown> };
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
}

function setImage(object: KubeObject, rule: ImageRule): void {
  const template = podTemplateOf(object);
  if (!template) return;
  for (const { container } of containersOf(template.spec)) {
    if (typeof container.image !== 'string') continue;
    const { name, tag, digest } = splitImage(container.image);
    if (name !== rule.name) continue;
    const newName = rule.newName ?? name;
    container.image = rule.digest
      ? `${newName}@${rule.digest}`
      : `${newName}${rule.newTag ? `:${rule.newTag}` : tag ? `:${tag}` : ''}${!rule.newTag && digest ? `@${digest}` : ''}`;
  }
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@') as [string, string | undefined];
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}

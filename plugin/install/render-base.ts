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

export interface RenderOptions {
  /** Install into this namespace instead of the base's. */
  namespace?: string;
  /** Image rules that replace the kustomization's rule for the same name (as `kustomize edit set image`). */
  images?: ImageRule[];
}

export interface RenderedBase {
  namespace: string;
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
  const namespace = options.namespace ?? kustomization.namespace;
  if (!namespace) throw new Error(`${file}: no namespace, and none given`);
  const objects: KubeObject[] = [];
  for (const resource of kustomization.resources ?? [])
    for (const object of await readObjects(join(dir, resource))) objects.push(object);
  const overridden = new Set((options.images ?? []).map((rule) => rule.name));
  const rules = [
    ...(kustomization.images ?? []).filter((rule) => !overridden.has(rule.name)),
    ...(options.images ?? []),
  ];
  for (const object of objects) {
    setNamespace(object, namespace, kustomization.namespace);
    for (const image of rules) setImage(object, image);
  }
  const rank = (o: KubeObject) => {
    const i = ORDER.indexOf(o.kind ?? '');
    return i < 0 ? ORDER.length : i;
  };
  return {
    namespace,
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

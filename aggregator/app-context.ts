import type { KubeView } from '../core/kube/kube-view.js';
import { podTemplateOf } from '../core/kube/pod-template.js';
import type { KubeObject } from '../core/kube/types.js';
import { isRecord } from '../core/kube/types.js';

/** What the config checks read beside the workloads, per namespace (network policy, mesh policy, defaults). */
const NAMESPACE_CONTEXT_KINDS = [
  'NetworkPolicy',
  'LimitRange',
  'PeerAuthentication',
  'ServiceAccount',
  'Service',
];

export interface AppContext {
  objects: KubeObject[];
  /** Context that could not be read (forbidden, unreachable): the scan goes on, the report says so. */
  problems: Array<{ source: string; message: string }>;
}

/**
 * The objects the config checks need to judge an app: its namespaces and their network and mesh
 * policies, LimitRanges, ServiceAccounts and Services, Istio's mesh-wide policy, and the RBAC bindings
 * that grant something to the app's service accounts together with the roles they bind.
 */
export async function appContext(kube: KubeView, workloads: readonly KubeObject[]): Promise<AppContext> {
  const problems: AppContext['problems'] = [];
  const read = async (what: string, load: () => Promise<KubeObject[]>): Promise<KubeObject[]> => {
    try {
      return await load();
    } catch (error) {
      problems.push({ source: what, message: (error as Error).message });
      return [];
    }
  };
  const namespaces = [
    ...new Set(workloads.map((w) => w.metadata?.namespace).filter((n): n is string => !!n)),
  ];
  const objects: KubeObject[] = [];
  for (const namespace of namespaces) {
    const ns = await read(`Namespace ${namespace}`, async () => {
      const found = await kube.get('Namespace', undefined, namespace);
      return found ? [found] : [];
    });
    for (const object of ns) objects.push(object);
    for (const kind of NAMESPACE_CONTEXT_KINDS)
      for (const object of await read(`${kind} in ${namespace}`, () => kube.list(kind, { namespace })))
        objects.push(object);
  }
  const meshPolicies = await read('PeerAuthentication in istio-system', () =>
    kube.list('PeerAuthentication', { namespace: 'istio-system' }),
  );
  // Loops, not a spread into push: a cluster's lists are as long as the cluster is large.
  for (const object of meshPolicies) objects.push(object);
  for (const object of await rbacOf(kube, workloads, read)) objects.push(object);
  return { objects: unique(objects), problems };
}

type Reader = (what: string, load: () => Promise<KubeObject[]>) => Promise<KubeObject[]>;

async function rbacOf(kube: KubeView, workloads: readonly KubeObject[], read: Reader): Promise<KubeObject[]> {
  const accounts = new Set(workloads.map((w) => `${w.metadata?.namespace ?? ''}/${serviceAccountOf(w)}`));
  const grants = (binding: KubeObject) =>
    Array.isArray(binding.subjects) &&
    binding.subjects.some(
      (s) =>
        isRecord(s) &&
        s.kind === 'ServiceAccount' &&
        accounts.has(`${String(s.namespace ?? binding.metadata?.namespace ?? '')}/${String(s.name)}`),
    );
  const namespaces = [...new Set(workloads.map((w) => w.metadata?.namespace ?? ''))].filter(Boolean);
  const bindings = [
    ...(await read('ClusterRoleBinding', () => kube.list('ClusterRoleBinding'))).filter(grants),
    ...(
      await Promise.all(
        namespaces.map((ns) =>
          read(`RoleBinding in ${ns}`, () => kube.list('RoleBinding', { namespace: ns })),
        ),
      )
    )
      .flat()
      .filter(grants),
  ];
  const roles: KubeObject[] = [];
  for (const binding of bindings) {
    const ref = isRecord(binding.roleRef) ? binding.roleRef : {};
    if (typeof ref.name !== 'string' || (ref.kind !== 'Role' && ref.kind !== 'ClusterRole')) continue;
    const namespace = ref.kind === 'Role' ? binding.metadata?.namespace : undefined;
    roles.push(
      ...(await read(`${ref.kind} ${ref.name}`, async () => {
        const role = await kube.get(ref.kind as string, namespace, ref.name as string);
        return role ? [role] : [];
      })),
    );
  }
  return [...bindings, ...roles];
}

function serviceAccountOf(workload: KubeObject): string {
  const name = podTemplateOf(workload)?.spec.serviceAccountName;
  return typeof name === 'string' && name ? name : 'default';
}

function unique(objects: KubeObject[]): KubeObject[] {
  const seen = new Set<string>();
  return objects.filter((o) => {
    const key = `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

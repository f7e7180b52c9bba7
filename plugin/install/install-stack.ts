import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { ApiDiscovery } from '../../core/kube/api-discovery.js';
import { KubeApiError, KubeRest } from '../../core/kube/kube-rest.js';
import { podTemplateOf } from '../../core/kube/pod-template.js';
import { deleteObject, objectRef, serverSideApply } from '../../core/kube/server-side-apply.js';
import type { KubeObject } from '../../core/kube/types.js';
import { waitForRollout } from '../../core/kube/wait-for-rollout.js';
import { makeTrustMaterial } from '../../core/trust/trust-material.js';
import {
  AGGREGATOR_TLS_SECRET,
  storedServingCertificate,
  withServingCertificate,
} from './aggregated-api-tls.js';
import { BUS_KEYS_SECRET, storedBusKeys } from './bus-keys-secret.js';
import {
  AGENT_BUS_SECRET,
  busHosts,
  busTrustSecretRefs,
  MINIO_TLS_SECRET,
  NATS_TLS_SECRET,
  withBusTrust,
} from './bus-trust.js';
import { keepVolumeTemplates } from './keep-volume-templates.js';
import { MINIO_CREDENTIALS_SECRET, minioCredentialsSecret } from './minio-credentials.js';
import { supersededObjects } from './old-layout.js';
import { pullSecretCopy } from './pull-secret.js';
import type { RenderedBase } from './render-base.js';
import { deploysMinio, deploysNats } from './render-stack.js';
import { checkS3CredentialsSecret } from './s3-credentials-secret.js';

/** kubectl's convention for a plugin's field manager: who applied these fields, visible in managedFields. */
const FIELD_MANAGER = 'kubectl-seco';
/** The label that marks a namespace as seco's own, so install and uninstall never take over someone else's. */
const OWNER_LABEL = 'app.kubernetes.io/part-of';
const OWNER_VALUE = 'seco';

export interface StackOptions {
  kc: KubeConfig;
  log: (line: string) => void;
  /** Take over fields another field manager owns (kubectl's --force-conflicts). */
  forceConflicts?: boolean;
  /** Wait this long for the Deployments, StatefulSets and DaemonSet to roll out; no wait when undefined. */
  waitMs?: number;
  /** The external S3's credentials Secret (`--s3-credentials-secret`), checked before anything is applied. */
  s3CredentialsSecret?: string;
  /** `--rotate-bus-keys`: new NATS operator/account keys too, not only new certificates. */
  rotateBusKeys?: boolean;
}

export interface UninstallOptions extends Pick<StackOptions, 'kc' | 'log'> {
  /** Keep the volumes (PersistentVolumeClaims), the Minio credentials and so the namespace. */
  keepData?: boolean;
}

/** What `--dry-run` prints: the objects as they would be applied; the generated Secret is named, not shown. */
export function renderYaml(base: RenderedBase): string {
  const created = deploysMinio(base)
    ? `# Also created on first install: Secret ${base.namespace}/${MINIO_CREDENTIALS_SECRET} (random Minio keys, never printed).\n`
    : '';
  const tls = `# Also created on every install: Secret ${base.namespace}/${AGGREGATOR_TLS_SECRET} (the aggregated API's serving certificate; its CA goes into the APIService's caBundle).\n`;
  const bus = `# Also created on every install: Secrets ${base.namespace}/${BUS_KEYS_SECRET} (NATS operator and account keys, kept on re-install), the certificates and NATS users each component mounts, and ${base.agentNamespace}/${AGENT_BUS_SECRET} (seco's CA and the agents' enrollment user).\n`;
  const retired = [...(base.retired ?? []), ...supersededObjects(base)].map(
    (o) => `# Deleted if present (an earlier install's): ${objectRef(o)}\n`,
  );
  return created + tls + bus + retired.join('') + base.objects.map((o) => `---\n${stringify(o)}`).join('');
}

/** Applies the stack with server-side apply. Re-running applies again and changes only what changed. */
export async function installStack(base: RenderedBase, options: StackOptions): Promise<void> {
  const rest = new KubeRest(options.kc);
  const discovery = new ApiDiscovery(rest);
  const apply = async (object: KubeObject) => {
    await serverSideApply(rest, discovery, object, {
      fieldManager: FIELD_MANAGER,
      force: options.forceConflicts,
    });
    options.log(`${objectRef(object)} applied`);
  };
  const other = await otherInstall(rest, base);
  if (other) {
    throw new Error(
      `seco is already installed in namespace ${other} (ClusterRoleBinding seco-aggregator binds its service account there): uninstall it first, or install with --namespace ${other}`,
    );
  }
  if (options.s3CredentialsSecret)
    await checkS3CredentialsSecret(rest, base.namespace, options.s3CredentialsSecret);
  const minio = deploysMinio(base);
  const stored = storedServingCertificate(await readSecret(rest, base.namespace, AGGREGATOR_TLS_SECRET));
  const keep = options.rotateBusKeys
    ? undefined
    : await storedBusKeys(await readSecret(rest, base.namespace, BUS_KEYS_SECRET));
  const material = await makeTrustMaterial(busHosts(base.namespace), keep ? { keep } : {});
  options.log(
    keep
      ? `bus keys kept (Secret ${base.namespace}/${BUS_KEYS_SECRET}: NATS users already issued stay valid); new CA and certificates`
      : `new bus keys (NATS operator, accounts, users), new CA and certificates`,
  );
  const objects = withBusTrust(withServingCertificate(base.objects, base.namespace, stored), base, material, {
    nats: deploysNats(base),
    minio,
  });
  let agentsPullSecret = await agentsPullSecretCopy(rest, base);
  for (const object of objects) {
    if (object.kind === 'DaemonSet' && agentsPullSecret) {
      await apply(agentsPullSecret);
      agentsPullSecret = undefined;
    }
    if (object.kind === 'Namespace') {
      const name = object.metadata!.name!;
      if (!(await namespaceIsForeign(rest, name, options.log))) await apply(object);
      // A namespace that is not seco's still gets the credentials Minio needs to start.
      if (minio && name === base.namespace) await ensureMinioSecret(rest, base.namespace, options.log);
    } else {
      await apply(await keepVolumeTemplates(rest, object, options.log));
    }
  }
  if (minio && !base.objects.some((o) => o.kind === 'Namespace'))
    await ensureMinioSecret(rest, base.namespace, options.log);
  await retire(rest, discovery, base, options.log);
  await deleteSuperseded(rest, discovery, base, options.log);
  for (const [deployed, name] of [
    [deploysNats(base), NATS_TLS_SECRET],
    [minio, MINIO_TLS_SECRET],
  ] as const) {
    const stale = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: base.namespace } };
    if (!deployed && (await deleteObject(rest, discovery, stale)) === 'deleted')
      options.log(`${objectRef(stale)} deleted (its server is external now)`);
  }
  if (options.waitMs !== undefined) {
    await waitForRollout(rest, discovery, base.objects, {
      timeoutMs: options.waitMs,
      onProgress: (ref, what) => options.log(`${ref}: ${what}`),
    });
  }
}

/**
 * Deletes what install made, the generated Secret included; the namespace too when it is seco's own.
 * With `keepData`, the Minio credentials and the namespace stay, and with them the PersistentVolumeClaims
 * the StatefulSets made (deleting a StatefulSet never deletes its claims: retention policy Retain).
 */
export async function uninstallStack(base: RenderedBase, options: UninstallOptions): Promise<void> {
  const rest = new KubeRest(options.kc);
  const discovery = new ApiDiscovery(rest);
  const secret = minioCredentialsSecret(base.namespace);
  // Cluster-wide objects bound to an install in another namespace are that install's: keep them.
  const other = await otherInstall(rest, base);
  const tlsSecret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AGGREGATOR_TLS_SECRET, namespace: base.namespace },
  };
  // --keep-data keeps the bus keys too: JetStream's data on the NATS volume belongs to the account they sign.
  const busSecrets = busTrustSecretRefs(base).filter(
    (o) => !(options.keepData && o.metadata?.name === BUS_KEYS_SECRET),
  );
  const objects = [
    ...base.objects.filter((o) => o.kind !== 'Namespace'),
    tlsSecret,
    ...busSecrets,
    ...(options.keepData ? [] : [secret]),
  ].reverse();
  for (const object of objects) {
    if (other && !object.metadata?.namespace) {
      options.log(`${objectRef(object)} kept: it belongs to the seco installed in namespace ${other}`);
    } else {
      options.log(`${objectRef(object)} ${await deleteObject(rest, discovery, object)}`);
    }
  }
  await deleteSuperseded(rest, discovery, base, options.log);
  // The agents' namespace holds no data: it goes whenever it is seco's own.
  if (base.agentNamespace !== base.namespace)
    await deleteOwnNamespace(rest, discovery, base.agentNamespace, options.log, '');
  const namespace = base.objects.find((o) => o.kind === 'Namespace' && o.metadata?.name === base.namespace);
  if (options.keepData) {
    options.log(`${objectRef(secret)} kept (--keep-data)`);
    options.log(
      `Secret/${base.namespace}/${BUS_KEYS_SECRET} kept (--keep-data): JetStream's data belongs to its account`,
    );
    if (namespace)
      options.log(`${objectRef(namespace)} kept (--keep-data): it holds the NATS and Minio volumes`);
    return;
  }
  if (!namespace) return;
  // Deleting the namespace also removes the NATS and Minio volumes (their PersistentVolumeClaims).
  await deleteOwnNamespace(
    rest,
    discovery,
    base.namespace,
    options.log,
    ' (with the NATS and Minio volumes)',
  );
}

/** The agents' copy of `--image-pull-secret` when they run in a namespace of their own. */
async function agentsPullSecretCopy(rest: KubeRest, base: RenderedBase): Promise<KubeObject | undefined> {
  if (base.agentNamespace === base.namespace) return undefined;
  const daemonSet = base.objects.find(
    (o) => o.kind === 'DaemonSet' && o.metadata?.namespace === base.agentNamespace,
  );
  const name = (daemonSet && podTemplateOf(daemonSet)?.spec.imagePullSecrets?.[0]?.name) as
    | string
    | undefined;
  return name ? pullSecretCopy(rest, base.namespace, base.agentNamespace, name) : undefined;
}

/** An upgrade from the one-namespace layout (or an uninstall after one) removes what it left behind. */
async function deleteSuperseded(
  rest: KubeRest,
  discovery: ApiDiscovery,
  base: RenderedBase,
  log: (line: string) => void,
): Promise<void> {
  for (const object of supersededObjects(base))
    if ((await deleteObject(rest, discovery, object)) === 'deleted')
      log(`${objectRef(object)} deleted (left by an earlier install's layout)`);
}

/** Deletes a namespace labelled as seco's own; any other is kept and said so. */
async function deleteOwnNamespace(
  rest: KubeRest,
  discovery: ApiDiscovery,
  name: string,
  log: (line: string) => void,
  note: string,
): Promise<void> {
  const current = await readNamespace(rest, name);
  if (!current) return log(`Namespace/${name} not found`);
  if (current.metadata?.labels?.[OWNER_LABEL] !== OWNER_VALUE)
    return log(`Namespace/${name} kept: it is not seco's (no ${OWNER_LABEL}=${OWNER_VALUE} label)`);
  const object = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  log(`${objectRef(object)} ${await deleteObject(rest, discovery, object)}${note}`);
}

/**
 * Switching to an external NATS or S3 deletes the bundled server an earlier install made. Its
 * PersistentVolumeClaim and the Minio credentials stay (a StatefulSet's claims outlive it), so
 * switching back finds the data again.
 */
async function retire(
  rest: KubeRest,
  discovery: ApiDiscovery,
  base: RenderedBase,
  log: (line: string) => void,
): Promise<void> {
  for (const object of [...(base.retired ?? [])].reverse()) {
    if ((await deleteObject(rest, discovery, object)) === 'deleted')
      log(`${objectRef(object)} deleted (replaced by the external server; its volume is kept)`);
  }
}

/**
 * The namespace of another seco install, if any: ClusterRoles and ClusterRoleBindings are cluster-wide,
 * so two installs in two namespaces would take them from each other.
 */
async function otherInstall(rest: KubeRest, base: RenderedBase): Promise<string | undefined> {
  for (const binding of base.objects.filter((o) => o.kind === 'ClusterRoleBinding')) {
    let current: KubeObject;
    try {
      current = await rest.json<KubeObject>({
        path: `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${encodeURIComponent(binding.metadata!.name!)}`,
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404) continue;
      throw new Error(`cannot read ${objectRef(binding)}: ${error instanceof Error ? error.message : error}`);
    }
    const subjects = (current.subjects ?? []) as Array<{ kind?: string; namespace?: string }>;
    const elsewhere = subjects.find((s) => s.kind === 'ServiceAccount' && s.namespace !== base.namespace);
    if (elsewhere?.namespace) return elsewhere.namespace;
  }
  return undefined;
}

async function readNamespace(rest: KubeRest, name: string): Promise<KubeObject | undefined> {
  try {
    return await rest.json<KubeObject>({ path: `/api/v1/namespaces/${encodeURIComponent(name)}` });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw new Error(`cannot read Namespace/${name}: ${error instanceof Error ? error.message : error}`);
  }
}

/** An existing namespace that is not seco's (`default`, a team's) is used as it is, never relabelled. */
async function namespaceIsForeign(
  rest: KubeRest,
  name: string,
  log: (line: string) => void,
): Promise<boolean> {
  const current = await readNamespace(rest, name);
  if (!current) return false;
  if ((current.status as { phase?: string } | undefined)?.phase === 'Terminating') {
    throw new Error(`Namespace/${name} is being deleted; wait until it is gone and install again`);
  }
  if (current.metadata?.labels?.[OWNER_LABEL] === OWNER_VALUE) return false;
  log(
    `Namespace/${name} exists and is not seco's: installing into it without changing its labels (seco's pods meet Pod Security restricted; the agents' namespace must admit privileged)`,
  );
  return true;
}

/** A Secret of seco's namespace, undefined when it (or the namespace) is not there yet. */
async function readSecret(rest: KubeRest, namespace: string, name: string): Promise<KubeObject | undefined> {
  try {
    return (await rest.json({
      method: 'GET',
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
    })) as KubeObject;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** Creates the Minio credentials once; a re-run keeps them, since Minio's data is bound to them. */
async function ensureMinioSecret(
  rest: KubeRest,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const secret = minioCredentialsSecret(namespace);
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`;
  try {
    await rest.json({ method: 'POST', path, query: { fieldManager: FIELD_MANAGER }, body: secret });
    log(`${objectRef(secret)} created (random keys)`);
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 409)) {
      throw new Error(
        `cannot create ${objectRef(secret)}: ${error instanceof Error ? error.message : error}`,
      );
    }
    log(`${objectRef(secret)} kept`);
  }
}

import { type KeyringEntry, readPullSecret } from '../../core/image/pull-secret-credentials.js';
import type { KubeRest } from '../../core/kube/kube-rest.js';
import { podTemplateOf } from '../../core/kube/pod-template.js';
import type { KubeObject } from '../../core/kube/types.js';
import { readNamedSecret } from './read-named-secret.js';

/** Every seco pod pulls with the given Secret, as the kubelet reads `imagePullSecrets`. */
export function setPullSecret(objects: readonly KubeObject[], name: string): void {
  for (const object of objects) {
    const template = podTemplateOf(object);
    if (template) template.spec.imagePullSecrets = [{ name }];
  }
}

/**
 * The registry credentials of the pull secret, read from the install namespace: install resolves the
 * tags with the same credentials the kubelet will pull with. A missing or malformed Secret is an error
 * naming it, as the kubelet would fail every pull on it.
 */
export async function readPullSecretKeyring(
  rest: KubeRest,
  namespace: string,
  name: string,
): Promise<KeyringEntry[]> {
  return readPullSecret(await readPullSecretObject(rest, namespace, name));
}

function readPullSecretObject(rest: KubeRest, namespace: string, name: string): Promise<KubeObject> {
  return readNamedSecret(
    rest,
    namespace,
    name,
    '--image-pull-secret',
    `kubectl create secret docker-registry ${name} -n ${namespace} --docker-server=… --docker-username=… --docker-password=…`,
  );
}

/**
 * The pull secret as a copy in another namespace (the agents'): a pod can only name a Secret of its own
 * namespace. Type and data as they are; renewed on every install, so a rotated secret reaches the agents.
 */
export async function pullSecretCopy(
  rest: KubeRest,
  from: string,
  to: string,
  name: string,
): Promise<KubeObject> {
  const secret = await readPullSecretObject(rest, from, name);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: to, labels: { 'app.kubernetes.io/part-of': 'seco' } },
    ...(secret.type ? { type: secret.type } : {}),
    data: secret.data ?? {},
  };
}

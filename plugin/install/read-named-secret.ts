import { KubeApiError, type KubeRest } from '../../core/kube/kube-rest.js';
import type { KubeObject } from '../../core/kube/types.js';

const OWNER_LABEL = 'app.kubernetes.io/part-of=seco';

async function namespaceExists(rest: KubeRest, namespace: string): Promise<boolean> {
  try {
    await rest.json({ path: `/api/v1/namespaces/${encodeURIComponent(namespace)}` });
    return true;
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) return false;
    throw error;
  }
}

/**
 * A Secret the user was asked to create in the install namespace before installing (`flag` names
 * which). When it is missing, the error says how to make it — and, on a first install, that the
 * namespace has to be made first, labelled so that install treats it as seco's own.
 */
export async function readNamedSecret(
  rest: KubeRest,
  namespace: string,
  name: string,
  flag: string,
  createCommand: string,
): Promise<KubeObject> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`;
  try {
    return await rest.json<KubeObject>({ path });
  } catch (error) {
    if (!(error instanceof KubeApiError && error.status === 404)) {
      throw new Error(
        `${flag}: cannot read Secret ${namespace}/${name}: ${error instanceof Error ? error.message : error}`,
      );
    }
  }
  const first = (await namespaceExists(rest, namespace))
    ? ''
    : `kubectl create namespace ${namespace} && kubectl label namespace ${namespace} ${OWNER_LABEL}, then `;
  throw new Error(
    `${flag}: Secret ${namespace}/${name} not found; create it first (${first}${createCommand})`,
  );
}

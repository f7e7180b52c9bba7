import { KubeApiError, type KubeRest } from '../../core/kube/kube-rest.js';
import type { KubeObject } from '../../core/kube/types.js';

const KEYS = ['access-key', 'secret-key'];

/**
 * The external S3's credentials must be in the install namespace before the pods start, with both
 * keys: otherwise every aggregator and agent pod would sit in CreateContainerConfigError. The values
 * are never read into logs, only checked for presence.
 */
export async function checkS3CredentialsSecret(
  rest: KubeRest,
  namespace: string,
  name: string,
): Promise<void> {
  let secret: KubeObject;
  try {
    secret = await rest.json<KubeObject>({
      path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 404) {
      throw new Error(
        `--s3-credentials-secret: Secret ${namespace}/${name} not found; create it first (kubectl create secret generic ${name} -n ${namespace} --from-literal=access-key=… --from-file=secret-key=…)`,
      );
    }
    throw new Error(
      `--s3-credentials-secret: cannot read Secret ${namespace}/${name}: ${error instanceof Error ? error.message : error}`,
    );
  }
  const data = {
    ...((secret.data ?? {}) as Record<string, unknown>),
    ...((secret.stringData ?? {}) as Record<string, unknown>),
  };
  const missing = KEYS.filter((key) => typeof data[key] !== 'string' || data[key] === '');
  if (missing.length > 0)
    throw new Error(
      `--s3-credentials-secret: Secret ${namespace}/${name} has no ${missing.join(' and no ')}`,
    );
}

import type { KubeRest } from '../../core/kube/kube-rest.js';
import { readNamedSecret } from './read-named-secret.js';

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
  const secret = await readNamedSecret(
    rest,
    namespace,
    name,
    '--s3-credentials-secret',
    `kubectl create secret generic ${name} -n ${namespace} --from-literal=access-key=… --from-file=secret-key=…`,
  );
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

import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../core/kube/types.js';

export const MINIO_CREDENTIALS_SECRET = 'seco-minio-credentials';

/** Letters and digits only: Minio accepts them everywhere, and no shell or URL ever needs them quoted. */
function randomKey(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
      if (byte < 248 && out.length < length) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/**
 * The Minio root credentials as a Secret, random on every call: made once at first install and kept
 * afterwards (Minio's data is bound to them). Never printed: `--dry-run` shows a placeholder.
 */
export function minioCredentialsSecret(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: MINIO_CREDENTIALS_SECRET,
      namespace,
      labels: { 'app.kubernetes.io/name': 'minio', 'app.kubernetes.io/part-of': 'seco' },
    },
    type: 'Opaque',
    data: {
      'access-key': Buffer.from(`seco${randomKey(16)}`).toString('base64'),
      'secret-key': Buffer.from(randomKey(40)).toString('base64'),
    },
  };
}

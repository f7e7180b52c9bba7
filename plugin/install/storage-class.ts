import type { KubeObject } from '../../core/kube/types.js';

// A StorageClass name is a DNS subdomain (RFC 1123), as the API server validates object names.
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** Puts every StatefulSet volume (NATS', Minio's) on the given StorageClass instead of the cluster's default. */
export function setStorageClass(objects: readonly KubeObject[], storageClass: string): void {
  if (!DNS_SUBDOMAIN.test(storageClass) || storageClass.length > 253)
    throw new Error(`--storage-class ${JSON.stringify(storageClass)}: not a valid StorageClass name`);
  for (const object of objects) {
    if (object.kind !== 'StatefulSet') continue;
    const templates = ((object.spec as Record<string, unknown>).volumeClaimTemplates ?? []) as Array<{
      spec?: Record<string, unknown>;
    }>;
    for (const template of templates) {
      template.spec ??= {};
      template.spec.storageClassName = storageClass;
    }
  }
}

import type { KubeObject } from '../../core/kube/types.js';
import { setContainerEnv } from './container-env.js';
import type { ExternalNats, ExternalS3 } from './stack-settings.js';

const NAME_LABEL = 'app.kubernetes.io/name';
// A Secret's name is a DNS subdomain; an S3 bucket name per AWS' rules (3–63, lower case, dots, hyphens).
const DNS_SUBDOMAIN = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function checkedUrl(flag: string, text: string, schemes: readonly string[]): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag} ${JSON.stringify(text)}: not a URL (expected ${schemes[0]}//HOST:PORT)`);
  }
  if (!schemes.includes(url.protocol))
    throw new Error(`${flag} ${JSON.stringify(text)}: the scheme must be ${schemes.join(' or ')}`);
  // Credentials in the URL would sit in plain text in every pod spec and in `--dry-run` output.
  if (url.username || url.password)
    throw new Error(
      `${flag}: put no credentials in the URL (they would be stored in the pod specs in plain text)`,
    );
  if (!url.hostname) throw new Error(`${flag} ${JSON.stringify(text)}: no host`);
  return text;
}

export function checkNatsUrl(text: string): ExternalNats {
  return { url: checkedUrl('--nats-url', text, ['nats:', 'tls:']) };
}

export function checkS3(endpoint: string, credentialsSecret: string | undefined): ExternalS3 {
  checkedUrl('--s3-endpoint', endpoint, ['http:', 'https:']);
  const { pathname, search } = new URL(endpoint);
  if ((pathname !== '/' && pathname !== '') || search)
    throw new Error(
      `--s3-endpoint ${JSON.stringify(endpoint)}: give the server's address only; the bucket is --s3-bucket`,
    );
  if (!credentialsSecret)
    throw new Error(
      '--s3-endpoint needs --s3-credentials-secret NAME (a Secret with keys access-key and secret-key)',
    );
  checkSecretName('--s3-credentials-secret', credentialsSecret);
  return { endpoint, credentialsSecret };
}

export function checkBucket(bucket: string): string {
  if (!BUCKET.test(bucket) || bucket.includes('..'))
    throw new Error(
      `--s3-bucket ${JSON.stringify(bucket)}: not a valid bucket name (3–63 lower-case letters, digits, dots, hyphens)`,
    );
  return bucket;
}

export function checkSecretName(flag: string, name: string): string {
  if (!DNS_SUBDOMAIN.test(name) || name.length > 253)
    throw new Error(`${flag} ${JSON.stringify(name)}: not a valid Secret name`);
  return name;
}

/**
 * Uses the NATS and/or S3 the user already runs: drops the bundled server's objects (everything
 * labelled with its name: StatefulSet, Service, ConfigMap, NetworkPolicy) and points the aggregator's
 * and agents' SECO_NATS / SECO_S3_* at the given addresses.
 */
export function withExternalServices(
  objects: readonly KubeObject[],
  services: { nats?: ExternalNats; s3?: ExternalS3; bucket?: string },
): { kept: KubeObject[]; dropped: KubeObject[] } {
  const dropped = new Set<string>();
  if (services.nats) dropped.add('nats');
  if (services.s3) dropped.add('minio');
  const isDropped = (o: KubeObject) => dropped.has(o.metadata?.labels?.[NAME_LABEL] ?? '');
  const kept = objects.filter((o) => !isDropped(o));
  if (services.nats) setContainerEnv(kept, 'SECO_NATS', { value: services.nats.url });
  if (services.s3) {
    setContainerEnv(kept, 'SECO_S3_ENDPOINT', { value: services.s3.endpoint });
    const secret = services.s3.credentialsSecret;
    setContainerEnv(kept, 'SECO_S3_ACCESS_KEY', {
      valueFrom: { secretKeyRef: { name: secret, key: 'access-key' } },
    });
    setContainerEnv(kept, 'SECO_S3_SECRET_KEY', {
      valueFrom: { secretKeyRef: { name: secret, key: 'secret-key' } },
    });
  }
  if (services.bucket) setContainerEnv(kept, 'SECO_S3_BUCKET', { value: services.bucket });
  return { kept, dropped: objects.filter(isDropped) };
}

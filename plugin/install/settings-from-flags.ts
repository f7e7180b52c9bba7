import { parseReference } from '../../core/image/source/reference.js';
import { checkBucket, checkNatsUrl, checkS3, checkSecretName } from './external-services.js';
import { parseMirror } from './image-mirror.js';
import { BASE_AGENT_NAMESPACE } from './render-base.js';
import type { StackSettings } from './stack-settings.js';
import { parseOverrides } from './value-overrides.js';

/** The install flags that shape the stack, as oclif parsed them. */
export interface InstallFlagValues {
  namespace: string;
  'agent-namespace'?: string;
  'metrics-namespace'?: string[];
  image?: string;
  'image-registry'?: string;
  'image-pull-secret'?: string;
  'nats-url'?: string;
  's3-endpoint'?: string;
  's3-credentials-secret'?: string;
  's3-bucket'?: string;
  'storage-class'?: string;
  set?: string[];
}

/** Checks every flag before anything is rendered or sent: a bad value is an error naming the flag. */
export function settingsFromFlags(flags: InstallFlagValues, version: string): StackSettings {
  if (flags.image !== undefined) {
    try {
      parseReference(flags.image);
    } catch (error) {
      throw new Error(`--image: ${(error as Error).message}`);
    }
  }
  if (flags['image-registry'] !== undefined) parseMirror(flags['image-registry']);
  if (flags['s3-credentials-secret'] !== undefined && flags['s3-endpoint'] === undefined)
    throw new Error(
      '--s3-credentials-secret is for --s3-endpoint; the bundled Minio makes its own credentials',
    );
  checkNamespace('--namespace', flags.namespace);
  const agentNamespace = checkNamespace(
    '--agent-namespace',
    flags['agent-namespace'] ?? BASE_AGENT_NAMESPACE,
  );
  if (agentNamespace === flags.namespace)
    throw new Error(
      `--agent-namespace ${agentNamespace}: must differ from --namespace (only the agents' namespace admits privileged pods)`,
    );
  for (const name of flags['metrics-namespace'] ?? []) checkNamespace('--metrics-namespace', name);
  return {
    namespace: flags.namespace,
    agentNamespace,
    ...(flags['metrics-namespace'] !== undefined ? { metricsNamespaces: flags['metrics-namespace'] } : {}),
    version,
    ...(flags.image !== undefined ? { image: flags.image } : {}),
    ...(flags['image-registry'] !== undefined ? { imageRegistry: flags['image-registry'] } : {}),
    ...(flags['image-pull-secret'] !== undefined
      ? { imagePullSecret: checkSecretName('--image-pull-secret', flags['image-pull-secret']) }
      : {}),
    ...(flags['nats-url'] !== undefined ? { nats: checkNatsUrl(flags['nats-url']) } : {}),
    ...(flags['s3-endpoint'] !== undefined
      ? { s3: checkS3(flags['s3-endpoint'], flags['s3-credentials-secret']) }
      : {}),
    ...(flags['s3-bucket'] !== undefined ? { s3Bucket: checkBucket(flags['s3-bucket']) } : {}),
    ...(flags['storage-class'] !== undefined ? { storageClass: flags['storage-class'] } : {}),
    overrides: parseOverrides(flags.set ?? []),
  };
}

// A namespace name is an RFC 1123 label (Kubernetes "Namespaces": at most 63 characters).
const DNS_LABEL = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

export function checkNamespace(flag: string, name: string): string {
  if (!DNS_LABEL.test(name))
    throw new Error(
      `${flag} ${JSON.stringify(name)}: not a namespace name (lower-case letters, digits, '-'; at most 63)`,
    );
  return name;
}

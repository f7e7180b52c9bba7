import type { ValueOverride } from './value-overrides.js';

/** NATS the user already runs: the stack deploys none and points SECO_NATS at it. */
export interface ExternalNats {
  url: string;
}

/** S3 the user already runs: the stack deploys no Minio and points SECO_S3_* at it. */
export interface ExternalS3 {
  endpoint: string;
  /** A Secret in the install namespace with keys `access-key` and `secret-key`. */
  credentialsSecret: string;
}

/** Everything `kubectl seco install` renders from besides the manifests: one value per flag. */
export interface StackSettings {
  namespace: string;
  /** `--agent-namespace`: the agents' own namespace (Pod Security privileged), default seco-agents. */
  agentNamespace?: string;
  /** `--metrics-namespace`: namespaces whose pods may scrape the aggregator's metrics port. */
  metricsNamespaces?: readonly string[];
  /** seco's image tag when `image` is not given: package.json's version (buildInfo().version). */
  version: string;
  /** `--image REF`: seco's image exactly as given (never mirrored). */
  image?: string;
  /** `--image-registry HOST[/PREFIX]`: every other image pulled from this mirror. */
  imageRegistry?: string;
  nats?: ExternalNats;
  s3?: ExternalS3;
  /** `--s3-bucket`: the bucket, in the bundled Minio or the external S3. */
  s3Bucket?: string;
  /** `--storage-class` for NATS' and Minio's volumes. */
  storageClass?: string;
  /** `--image-pull-secret`: a dockerconfigjson Secret in the install namespace. */
  imagePullSecret?: string;
  /** `--set KEY=VALUE`, already validated. */
  overrides?: readonly ValueOverride[];
}

import { booleanFlag, flagsUsage, listFlag, parseServiceFlags } from '../core/service/service-flags.js';
import { DEFAULT_CACHE_DIR } from './agent-vuln-db.js';

const FLAGS = {
  node: { env: 'SECO_NODE', help: 'this node name (in a DaemonSet: spec.nodeName via the downward API)' },
  'host-root': { env: 'SECO_HOST_ROOT', help: 'host filesystem mount', fallback: '/host' },
  'proc-root': { env: 'SECO_PROC_ROOT', help: 'host /proc mount', fallback: '/host/proc' },
  nats: { env: 'SECO_NATS', help: 'NATS URL', fallback: 'nats://seco-nats:4222' },
  's3-endpoint': { env: 'SECO_S3_ENDPOINT', help: 'S3 endpoint URL', fallback: 'http://seco-minio:9000' },
  's3-bucket': { env: 'SECO_S3_BUCKET', help: 'bucket', fallback: 'seco' },
  's3-access-key': { env: 'SECO_S3_ACCESS_KEY', help: 'S3 access key' },
  's3-secret-key': { env: 'SECO_S3_SECRET_KEY', help: 'S3 secret key' },
  'cache-dir': {
    env: 'SECO_CACHE_DIR',
    help: 'local cache of the vulnerability database fetched from the object store',
    fallback: DEFAULT_CACHE_DIR,
  },
  'insecure-registry': {
    env: 'SECO_INSECURE_REGISTRIES',
    help: 'plain-HTTP registries, host[:port], comma-separated',
    optional: true,
  },
  'runtime-rules': {
    env: 'SECO_RUNTIME_RULES',
    help: 'directories of extra runtime rule files (*.yaml, e.g. a mounted ConfigMap), comma-separated; same id overrides a built-in',
    optional: true,
  },
  runtime: { env: 'SECO_RUNTIME', help: 'watch processes as they start (true|false)', fallback: 'true' },
  cluster: { env: 'SECO_CLUSTER', help: 'cluster name shown in findings', optional: true },
} as const;

export interface AgentConfig {
  node: string;
  hostRoot: string;
  procRoot: string;
  nats: string;
  s3Endpoint: string;
  s3Bucket: string;
  s3AccessKey: string;
  s3SecretKey: string;
  cacheDir: string;
  insecureRegistries: string[];
  runtimeRules: string[];
  runtime: boolean;
  cluster?: string;
}

export const AGENT_USAGE = flagsUsage(
  'seco-agent — the seco node agent (one per node, a DaemonSet in the cluster)',
  FLAGS,
);

/** Flags win over SECO_* environment variables, which win over defaults; a missing required value is an error naming it. */
export function agentConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AgentConfig {
  const values = parseServiceFlags(FLAGS, argv, env);
  return {
    node: values.node,
    hostRoot: values['host-root'],
    procRoot: values['proc-root'],
    nats: values.nats,
    s3Endpoint: values['s3-endpoint'],
    s3Bucket: values['s3-bucket'],
    s3AccessKey: values['s3-access-key'],
    s3SecretKey: values['s3-secret-key'],
    cacheDir: values['cache-dir'],
    insecureRegistries: listFlag(values['insecure-registry']),
    runtimeRules: listFlag(values['runtime-rules']),
    runtime: booleanFlag('runtime', values.runtime),
    cluster: values.cluster,
  };
}

import { parseArgs } from 'node:util';

export interface AgentConfig {
  node: string;
  hostRoot: string;
  procRoot: string;
  nats: string;
  s3Endpoint: string;
  s3Bucket: string;
  s3AccessKey: string;
  s3SecretKey: string;
}

const FLAGS = {
  node: { env: 'SECO_NODE', help: 'this node name (in a DaemonSet: spec.nodeName via the downward API)' },
  'host-root': { env: 'SECO_HOST_ROOT', help: 'host filesystem mount', fallback: '/host' },
  'proc-root': { env: 'SECO_PROC_ROOT', help: 'host /proc mount', fallback: '/host/proc' },
  nats: { env: 'SECO_NATS', help: 'NATS URL', fallback: 'nats://seco-nats:4222' },
  's3-endpoint': { env: 'SECO_S3_ENDPOINT', help: 'S3 endpoint URL', fallback: 'http://seco-minio:9000' },
  's3-bucket': { env: 'SECO_S3_BUCKET', help: 'bucket', fallback: 'seco' },
  's3-access-key': { env: 'SECO_S3_ACCESS_KEY', help: 'S3 access key' },
  's3-secret-key': { env: 'SECO_S3_SECRET_KEY', help: 'S3 secret key' },
} as const;

export const AGENT_USAGE = `seco-agent — the seco node agent (one per node, a DaemonSet in the cluster)\n\n${Object.entries(
  FLAGS,
)
  .map(
    ([flag, f]) =>
      `  --${flag.padEnd(15)} ${f.help} (env ${f.env}${'fallback' in f ? `, default ${f.fallback}` : ''})`,
  )
  .join('\n')}\n`;

/** Flags win over SECO_* environment variables, which win over defaults; a missing required value is an error naming it. */
export function agentConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AgentConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(Object.keys(FLAGS).map((k) => [k, { type: 'string' as const }])),
    strict: true,
  });
  const value = (flag: keyof typeof FLAGS): string => {
    const spec = FLAGS[flag];
    const found =
      (values as Record<string, string | undefined>)[flag] ??
      env[spec.env] ??
      ('fallback' in spec ? spec.fallback : undefined);
    if (!found) throw new Error(`missing --${flag} (or ${spec.env})`);
    return found;
  };
  return {
    node: value('node'),
    hostRoot: value('host-root'),
    procRoot: value('proc-root'),
    nats: value('nats'),
    s3Endpoint: value('s3-endpoint'),
    s3Bucket: value('s3-bucket'),
    s3AccessKey: value('s3-access-key'),
    s3SecretKey: value('s3-secret-key'),
  };
}

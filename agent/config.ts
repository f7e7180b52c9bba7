import { nodeInboxPrefix } from '../core/bus/nats/nats-permissions.js';
import type { WatcherSource } from '../core/runtime/watcher.js';
import { perKindText } from '../core/service/job-kind-seconds.js';
import {
  booleanFlag,
  type FlagValues,
  flagsUsage,
  listFlag,
  parseServiceFlags,
} from '../core/service/service-flags.js';
import { readFlagFile, TRUST_FLAGS, type TrustConfig, trustConfig } from '../core/service/trust-flags.js';
import { DEFAULT_CACHE_DIR } from './agent-vuln-db.js';
import {
  DEFAULT_DEADLINE_S,
  DEFAULT_IDLE_S,
  type JobLimits,
  jobLimits,
  type LaneSizes,
  parseLanes,
  perKindSeconds,
} from './job-limits.js';

export const AGENT_FLAGS = {
  node: { env: 'SECO_NODE', help: 'this node name (in a DaemonSet: spec.nodeName via the downward API)' },
  'host-root': { env: 'SECO_HOST_ROOT', help: 'host filesystem mount', fallback: '/host' },
  'proc-root': { env: 'SECO_PROC_ROOT', help: 'host /proc mount', fallback: '/host/proc' },
  nats: { env: 'SECO_NATS', help: 'NATS URL', fallback: 'nats://seco-nats:4222' },
  ...TRUST_FLAGS,
  'nats-enroll-creds': {
    env: 'SECO_NATS_ENROLL_CREDS',
    help: "the bootstrap NATS user (.creds) to enroll with: the aggregator then mints this node's own user (instead of --nats-creds)",
    optional: true,
  },
  'enroll-token-file': {
    env: 'SECO_ENROLL_TOKEN_FILE',
    help: "the pod's projected service-account token (audience seco-aggregator) proving its node when enrolling",
    fallback: '/var/run/secrets/seco/token',
  },
  // Without keys (the default) the agent holds no store credentials: each job's objects come as pre-signed
  // URLs from the aggregator. Keys are still taken for a self-managed agent that must reach the store itself.
  's3-endpoint': {
    env: 'SECO_S3_ENDPOINT',
    help: 'S3 endpoint URL, used with keys only (deprecated: agents use pre-signed URLs)',
    fallback: 'http://seco-minio:9000',
  },
  's3-bucket': { env: 'SECO_S3_BUCKET', help: 'bucket, with keys only', fallback: 'seco' },
  's3-access-key': {
    env: 'SECO_S3_ACCESS_KEY',
    help: 'S3 access key (deprecated, see above)',
    optional: true,
    secret: true,
  },
  's3-secret-key': {
    env: 'SECO_S3_SECRET_KEY',
    help: 'S3 secret key (deprecated, see above)',
    optional: true,
    secret: true,
  },
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
  'runtime-sensor': {
    env: 'SECO_RUNTIME_SENSOR',
    help: 'runtime event source: auto (eBPF, else the process-events connector, else /proc polling), ebpf, netlink or poll',
    fallback: 'auto',
  },
  'cgroup-root': {
    env: 'SECO_CGROUP_ROOT',
    help: "the host's cgroup file system (container roots for the eBPF sensor's filter)",
    fallback: '/sys/fs/cgroup',
  },
  'runtime-rules': {
    env: 'SECO_RUNTIME_RULES',
    help: 'directories of extra runtime rule files (*.yaml, e.g. a mounted ConfigMap), comma-separated; same id overrides a built-in',
    optional: true,
  },
  runtime: { env: 'SECO_RUNTIME', help: 'watch processes as they start (true|false)', fallback: 'true' },
  cluster: { env: 'SECO_CLUSTER', help: 'cluster name shown in findings', optional: true },
  listen: {
    env: 'SECO_LISTEN',
    help: 'HOST:PORT to serve /healthz and /readyz on (unset: no listener)',
    optional: true,
  },
  'job-deadline': {
    env: 'SECO_JOB_DEADLINE',
    help: `seconds one job may run: N for every kind, or KIND=N,... (default ${perKindText(DEFAULT_DEADLINE_S)})`,
    optional: true,
  },
  'job-idle': {
    env: 'SECO_JOB_IDLE',
    help: `seconds a job may go without progress (a byte pulled, a check or process done): N or KIND=N,... (default ${perKindText(DEFAULT_IDLE_S)})`,
    optional: true,
  },
  heartbeat: {
    env: 'SECO_HEARTBEAT',
    help: "seconds between heartbeats (the aggregator's --agent-stale should be about three of them)",
    fallback: '10',
  },
  lanes: {
    env: 'SECO_LANES',
    help: 'jobs at once per lane: image pulls beside host and runtime scans, so a stalled registry blocks only its lane',
    fallback: 'image=1,node=1',
  },
} as const;

export interface AgentConfig {
  node: string;
  hostRoot: string;
  procRoot: string;
  nats: string;
  /** NATS credentials (with this node's inbox) and seco's CA. */
  trust: TrustConfig;
  /** Enrollment instead of a creds file: the bootstrap user and the pod's token. */
  enroll?: { bootstrapCreds: string; tokenFile: string };
  /** Only for an agent given store keys; unset, jobs use pre-signed URLs. */
  s3?: { endpoint: string; bucket: string; accessKey: string; secretKey: string };
  cacheDir: string;
  insecureRegistries: string[];
  runtimeRules: string[];
  runtime: boolean;
  runtimeSensor: WatcherSource;
  cgroupRoot: string;
  cluster?: string;
  listen?: { host: string; port: number };
  limits: JobLimits;
  lanes: LaneSizes;
  heartbeatMs: number;
}

const SENSORS: readonly WatcherSource[] = ['auto', 'ebpf', 'netlink', 'poll'];

function runtimeSensor(value: string | undefined): WatcherSource {
  const v = (value ?? 'auto') as WatcherSource;
  if (!SENSORS.includes(v))
    throw new Error(`--runtime-sensor: ${JSON.stringify(value)} is not one of ${SENSORS.join(', ')}`);
  return v;
}

export const AGENT_USAGE = flagsUsage(
  'seco-agent — the seco node agent (one per node, a DaemonSet in the cluster)',
  AGENT_FLAGS,
);

/** Flags win over SECO_* environment variables, which win over defaults; a missing required value is an error naming it. */
export function agentConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AgentConfig {
  const values = parseServiceFlags(AGENT_FLAGS, argv, env);
  return {
    ...nodeServiceConfig(values),
    ...s3Keys(values),
    cacheDir: values['cache-dir'],
    insecureRegistries: listFlag(values['insecure-registry']),
    runtimeRules: listFlag(values['runtime-rules']),
    runtimeSensor: runtimeSensor(values['runtime-sensor']),
    cgroupRoot: values['cgroup-root'],
    runtime: booleanFlag('runtime', values.runtime),
    cluster: values.cluster,
    lanes: parseLanes(values.lanes),
  };
}

/** The flags of a node service (the agent, the tools runner beside it) they share, as config. */
type NodeServiceFlags = Pick<
  FlagValues<typeof AGENT_FLAGS>,
  | 'node'
  | 'host-root'
  | 'proc-root'
  | 'nats'
  | 'nats-creds'
  | 'tls-ca'
  | 'nats-enroll-creds'
  | 'enroll-token-file'
  | 'listen'
  | 'job-deadline'
  | 'job-idle'
  | 'heartbeat'
>;

export function nodeServiceConfig(
  values: NodeServiceFlags,
): Pick<
  AgentConfig,
  'node' | 'hostRoot' | 'procRoot' | 'nats' | 'trust' | 'enroll' | 'listen' | 'limits' | 'heartbeatMs'
> {
  return {
    node: values.node,
    hostRoot: values['host-root'],
    procRoot: values['proc-root'],
    nats: values.nats,
    trust: trustConfig(values, nodeInboxPrefix(values.node)),
    ...(values['nats-enroll-creds']
      ? {
          enroll: {
            bootstrapCreds: readFlagFile('nats-enroll-creds', values['nats-enroll-creds']),
            tokenFile: values['enroll-token-file'],
          },
        }
      : {}),
    ...(values.listen ? { listen: listenAddress(values.listen) } : {}),
    limits: jobLimits(
      perKindSeconds('job-deadline', values['job-deadline'], DEFAULT_DEADLINE_S),
      perKindSeconds('job-idle', values['job-idle'], DEFAULT_IDLE_S),
    ),
    heartbeatMs: heartbeatMs(values.heartbeat),
  };
}

function s3Keys(values: {
  's3-endpoint': string;
  's3-bucket': string;
  's3-access-key'?: string | undefined;
  's3-secret-key'?: string | undefined;
}): Pick<AgentConfig, 's3'> {
  const endpoint = values['s3-endpoint'];
  const accessKey = values['s3-access-key'];
  const secretKey = values['s3-secret-key'];
  if (!accessKey && !secretKey) return {};
  if (!accessKey || !secretKey)
    throw new Error('--s3-access-key and --s3-secret-key go together (or neither: pre-signed URLs)');
  return { s3: { endpoint, bucket: values['s3-bucket'], accessKey, secretKey } };
}

function heartbeatMs(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.25 || seconds > 300)
    throw new Error(`--heartbeat ${JSON.stringify(value)}: expected seconds in [0.25, 300]`);
  return seconds * 1000;
}

function listenAddress(value: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535)
    throw new Error(`--listen ${JSON.stringify(value)}: expected HOST:PORT`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1') || '0.0.0.0', port: Number(match[2]) };
}

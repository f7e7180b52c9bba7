import { hostname } from 'node:os';
import { booleanFlag, flagsUsage, parseServiceFlags } from '../core/service/service-flags.js';
import { TRUST_FLAGS, type TrustConfig, trustConfig } from '../core/service/trust-flags.js';
import { type AdmissionLimits, defaultMemoryBudget } from './admission-limits.js';

const FLAGS = {
  listen: {
    env: 'SECO_LISTEN',
    help: 'HOST:PORT to serve WebSocket, health and metrics on',
    fallback: '0.0.0.0:8080',
  },
  nats: { env: 'SECO_NATS', help: 'NATS URL', fallback: 'nats://seco-nats:4222' },
  's3-endpoint': { env: 'SECO_S3_ENDPOINT', help: 'S3 endpoint URL', fallback: 'http://seco-minio:9000' },
  's3-bucket': { env: 'SECO_S3_BUCKET', help: 'bucket', fallback: 'seco' },
  's3-access-key': { env: 'SECO_S3_ACCESS_KEY', help: 'S3 access key' },
  's3-secret-key': { env: 'SECO_S3_SECRET_KEY', help: 'S3 secret key' },
  ...TRUST_FLAGS,
  'nats-trust': {
    env: 'SECO_NATS_TRUST',
    help: "the NATS account's signing key (nats-trust.json, made at install): with it the aggregator enrolls agents, minting each node's NATS user after a TokenReview of the agent pod's token",
    optional: true,
  },
  'agent-service-account': {
    env: 'SECO_AGENT_SERVICE_ACCOUNT',
    help: 'the service account whose pods may enroll as agents',
    fallback: 'system:serviceaccount:seco-system:seco-agent',
  },
  kubeconfig: {
    env: 'SECO_KUBECONFIG',
    help: 'kubeconfig file (default: in-cluster service account)',
    optional: true,
  },
  context: { env: 'SECO_KUBE_CONTEXT', help: 'kubeconfig context', optional: true },
  'kube-from': {
    env: 'SECO_KUBE_FROM',
    help: 'read the cluster from a directory of YAML instead (demos, tests)',
    optional: true,
  },
  'auth-token-file': {
    env: 'SECO_AUTH_TOKEN_FILE',
    help: 'static bearer tokens for direct connections, one per line',
    optional: true,
  },
  'rules-dir': {
    env: 'SECO_RULES_DIR',
    help: 'extra feedback rule files (*.yaml); same id overrides a built-in',
    optional: true,
  },
  'job-timeout': { env: 'SECO_JOB_TIMEOUT', help: 'seconds a scan waits for its jobs', fallback: '600' },
  'agent-stale': {
    env: 'SECO_AGENT_STALE',
    help: 'seconds without a heartbeat before an agent counts as gone: its jobs fail, image jobs move to a live agent',
    fallback: '30',
  },
  'replica-id': { env: 'SECO_REPLICA_ID', help: 'this replica name (the pod name)', fallback: hostname() },
  cluster: { env: 'SECO_CLUSTER', help: 'cluster name shown in findings', optional: true },
  continuous: {
    env: 'SECO_CONTINUOUS',
    help: 'publish node pods to agents, scan each new image digest once, store and act on runtime events (true|false)',
    fallback: 'true',
  },
  'max-connections': {
    env: 'SECO_MAX_CONNECTIONS',
    help: 'WebSocket connections at once, authenticated or not',
    fallback: '4096',
  },
  'max-preauth-connections': {
    env: 'SECO_MAX_PREAUTH_CONNECTIONS',
    help: 'WebSocket connections at once that have not said hello yet',
    fallback: '1000',
  },
  'max-preauth-per-source': {
    env: 'SECO_MAX_PREAUTH_PER_SOURCE',
    help: 'of those, from one source address (through the API server proxy, all share its address)',
    fallback: '50',
  },
  'preauth-max-bytes': {
    env: 'SECO_PREAUTH_MAX_BYTES',
    help: 'bytes a client may send before its hello is accepted (cut with 1009 past it)',
    fallback: '16384',
  },
  'hello-timeout': { env: 'SECO_HELLO_TIMEOUT', help: 'seconds a client has to say hello', fallback: '10' },
  'memory-budget': {
    env: 'SECO_MEMORY_BUDGET',
    help: 'MiB of RSS above which unauthenticated clients are refused and the newest shed (default: 75% of the container memory limit, none without one)',
    optional: true,
  },
} as const;

export interface AggregatorConfig {
  host: string;
  port: number;
  nats: string;
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string };
  /** NATS credentials and seco's CA (for NATS and the object store). */
  trust: TrustConfig;
  /** Where the account signing key is, for enrolling agents; unset: agents bring their own creds. */
  natsTrustFile?: string;
  agentServiceAccount: string;
  kubeconfig?: string;
  context?: string;
  kubeFrom?: string;
  authTokenFile?: string;
  rulesDir?: string;
  jobTimeoutMs: number;
  agentStaleMs: number;
  replicaId: string;
  cluster?: string;
  continuous: boolean;
  admission: AdmissionLimits;
}

export const AGGREGATOR_USAGE = flagsUsage(
  'seco-aggregator — the seco coordinator (a Deployment in the cluster)',
  FLAGS,
);

export function aggregatorConfig(argv: readonly string[], env: NodeJS.ProcessEnv): AggregatorConfig {
  const values = parseServiceFlags(FLAGS, argv, env);
  const listen = /^(.*):(\d{1,5})$/.exec(values.listen);
  if (!listen || Number(listen[2]) > 65535)
    throw new Error(`--listen ${JSON.stringify(values.listen)}: expected HOST:PORT`);
  const timeout = Number(values['job-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new Error(`--job-timeout ${values['job-timeout']}: expected seconds > 0`);
  const stale = Number(values['agent-stale']);
  if (!Number.isFinite(stale) || stale <= 0)
    throw new Error(`--agent-stale ${values['agent-stale']}: expected seconds > 0`);
  if (!/^[-_a-zA-Z0-9.]{1,128}$/.test(values['replica-id']))
    throw new Error(`--replica-id ${JSON.stringify(values['replica-id'])}: use [-_.a-zA-Z0-9]`);
  return {
    host: listen[1]!.replace(/^\[(.*)\]$/, '$1'),
    port: Number(listen[2]),
    nats: values.nats,
    s3: {
      endpoint: values['s3-endpoint'],
      bucket: values['s3-bucket'],
      accessKey: values['s3-access-key'],
      secretKey: values['s3-secret-key'],
    },
    trust: trustConfig(values),
    natsTrustFile: values['nats-trust'],
    agentServiceAccount: values['agent-service-account'],
    kubeconfig: values.kubeconfig,
    context: values.context,
    kubeFrom: values['kube-from'],
    authTokenFile: values['auth-token-file'],
    rulesDir: values['rules-dir'],
    jobTimeoutMs: timeout * 1000,
    agentStaleMs: stale * 1000,
    replicaId: values['replica-id'],
    cluster: values.cluster,
    continuous: booleanFlag('continuous', values.continuous),
    admission: {
      maxConnections: positiveInteger('max-connections', values['max-connections']),
      maxPreAuth: positiveInteger('max-preauth-connections', values['max-preauth-connections']),
      maxPreAuthPerSource: positiveInteger('max-preauth-per-source', values['max-preauth-per-source']),
      preAuthMaxBytes: positiveInteger('preauth-max-bytes', values['preauth-max-bytes']),
      helloTimeoutMs: positiveInteger('hello-timeout', values['hello-timeout']) * 1000,
      memoryBudgetBytes:
        values['memory-budget'] === undefined
          ? defaultMemoryBudget()
          : positiveInteger('memory-budget', values['memory-budget']) * 1024 * 1024,
    },
  };
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${flag} ${JSON.stringify(value)}: expected a whole number > 0`);
  return n;
}

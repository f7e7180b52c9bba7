import { hostname } from 'node:os';
import {
  DEFAULT_DEADLINE_S,
  type JobKind,
  perKindSeconds,
  perKindText,
} from '../core/service/job-kind-seconds.js';
import { booleanFlag, flagsUsage, listFlag, parseServiceFlags } from '../core/service/service-flags.js';
import { TRUST_FLAGS, type TrustConfig, trustConfig } from '../core/service/trust-flags.js';
import { type AdmissionLimits, defaultMemoryBudget } from './admission-limits.js';

const FLAGS = {
  listen: {
    env: 'SECO_LISTEN',
    help: 'HOST:PORT to serve WebSocket, health and metrics on',
    fallback: '0.0.0.0:8080',
  },
  'api-listen': {
    env: 'SECO_API_LISTEN',
    help: 'HOST:PORT of the aggregated API seco.dev (TLS; the API server connects here)',
    fallback: '0.0.0.0:8443',
  },
  'tls-cert-file': {
    env: 'SECO_TLS_CERT_FILE',
    help: "the aggregated API's serving certificate (PEM); without it the aggregated API is off",
    optional: true,
  },
  'tls-key-file': { env: 'SECO_TLS_KEY_FILE', help: 'its private key (PEM)', optional: true },
  'requestheader-client-ca-file': {
    env: 'SECO_REQUESTHEADER_CLIENT_CA_FILE',
    help: 'CA of the front-proxy client certificate (default: read kube-system/extension-apiserver-authentication)',
    optional: true,
  },
  'requestheader-allowed-names': {
    env: 'SECO_REQUESTHEADER_ALLOWED_NAMES',
    help: 'front-proxy certificate CNs to believe, comma-separated (with --requestheader-client-ca-file; empty: any the CA signed)',
    optional: true,
  },
  'metrics-listen': {
    env: 'SECO_METRICS_LISTEN',
    help: 'HOST:PORT to serve /metrics on (its own port)',
    fallback: '0.0.0.0:9090',
  },
  'metrics-token': {
    env: 'SECO_METRICS_TOKEN',
    help: 'bearer token /metrics requires (none: only the network policy guards it)',
    optional: true,
    secret: true,
  },
  nats: { env: 'SECO_NATS', help: 'NATS URL', fallback: 'nats://seco-nats:4222' },
  's3-endpoint': { env: 'SECO_S3_ENDPOINT', help: 'S3 endpoint URL', fallback: 'http://seco-minio:9000' },
  's3-bucket': { env: 'SECO_S3_BUCKET', help: 'bucket', fallback: 'seco' },
  's3-access-key': { env: 'SECO_S3_ACCESS_KEY', help: 'S3 access key', secret: true },
  's3-secret-key': { env: 'SECO_S3_SECRET_KEY', help: 'S3 secret key', secret: true },
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
  'tools-service-account': {
    env: 'SECO_TOOLS_SERVICE_ACCOUNT',
    help: 'the service account whose pods may enroll as the Service tools runner (the seco-tools Deployment)',
    fallback: 'system:serviceaccount:seco-system:seco-tools',
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
  'job-deadline': {
    env: 'SECO_JOB_DEADLINE',
    help: `seconds a job may run once its agent said it started (plus 30 s for the agent's own timeout to arrive), then it is timed out: N or KIND=N,... (default ${perKindText(DEFAULT_DEADLINE_S)})`,
    optional: true,
  },
  'job-deadline-grace': {
    env: 'SECO_JOB_DEADLINE_GRACE',
    help: "seconds added to a started job's deadline before the aggregator times it out",
    fallback: '30',
  },
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
  api?: {
    host: string;
    port: number;
    certFile: string;
    keyFile: string;
    requestHeaderCaFile?: string;
    requestHeaderAllowedNames: string[];
  };
  metrics: { host: string; port: number; token?: string };
  nats: string;
  s3: { endpoint: string; bucket: string; accessKey: string; secretKey: string };
  /** NATS credentials and seco's CA (for NATS and the object store). */
  trust: TrustConfig;
  /** Where the account signing key is, for enrolling agents; unset: agents bring their own creds. */
  natsTrustFile?: string;
  agentServiceAccount: string;
  toolsServiceAccount: string;
  kubeconfig?: string;
  context?: string;
  kubeFrom?: string;
  authTokenFile?: string;
  rulesDir?: string;
  jobTimeoutMs: number;
  /** Per kind, from a job's start on its agent. */
  jobDeadlinesMs: Record<JobKind, number>;
  jobDeadlineGraceMs: number;
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
  const listen = hostPort('listen', values.listen);
  const apiListen = hostPort('api-listen', values['api-listen']);
  const metricsListen = hostPort('metrics-listen', values['metrics-listen']);
  if ((values['tls-cert-file'] === undefined) !== (values['tls-key-file'] === undefined))
    throw new Error('--tls-cert-file and --tls-key-file go together');
  const timeout = Number(values['job-timeout']);
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new Error(`--job-timeout ${values['job-timeout']}: expected seconds > 0`);
  const stale = Number(values['agent-stale']);
  if (!Number.isFinite(stale) || stale <= 0)
    throw new Error(`--agent-stale ${values['agent-stale']}: expected seconds > 0`);
  if (!/^[-_a-zA-Z0-9.]{1,128}$/.test(values['replica-id']))
    throw new Error(`--replica-id ${JSON.stringify(values['replica-id'])}: use [-_.a-zA-Z0-9]`);
  return {
    ...listen,
    ...(values['tls-cert-file'] && values['tls-key-file']
      ? {
          api: {
            ...apiListen,
            certFile: values['tls-cert-file'],
            keyFile: values['tls-key-file'],
            requestHeaderCaFile: values['requestheader-client-ca-file'],
            requestHeaderAllowedNames: listFlag(values['requestheader-allowed-names']),
          },
        }
      : {}),
    metrics: { ...metricsListen, ...(values['metrics-token'] ? { token: values['metrics-token'] } : {}) },
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
    toolsServiceAccount: values['tools-service-account'],
    kubeconfig: values.kubeconfig,
    context: values.context,
    kubeFrom: values['kube-from'],
    authTokenFile: values['auth-token-file'],
    rulesDir: values['rules-dir'],
    jobTimeoutMs: timeout * 1000,
    jobDeadlinesMs: Object.fromEntries(
      Object.entries(perKindSeconds('job-deadline', values['job-deadline'], DEFAULT_DEADLINE_S)).map(
        ([kind, s]) => [kind, s * 1000],
      ),
    ) as Record<JobKind, number>,
    jobDeadlineGraceMs: nonNegativeSeconds('job-deadline-grace', values['job-deadline-grace']) * 1000,
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

function hostPort(flag: string, value: string): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535)
    throw new Error(`--${flag} ${JSON.stringify(value)}: expected HOST:PORT`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}

function nonNegativeSeconds(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 86_400)
    throw new Error(`--${flag} ${JSON.stringify(value)}: expected seconds in [0, 86400]`);
  return n;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new Error(`--${flag} ${JSON.stringify(value)}: expected a whole number > 0`);
  return n;
}

import { z } from 'zod';
import { Finding } from '../model/index.js';
import { MAX_FINDINGS_PER_BATCH, MAX_JOB_PROBLEMS, MAX_PROBLEM_CHARS, PROTOCOL_VERSION } from './limits.js';

const v = z.literal(PROTOCOL_VERSION);

/** NATS subjects, all under `seco.`; node names are sanitized into one subject token. */
export const subjects = {
  jobs: (node: string) => `seco.jobs.${subjectToken(node)}`,
  progress: (scanId: string) => `seco.progress.${subjectToken(scanId)}`,
  findings: (scanId: string) => `seco.findings.${subjectToken(scanId)}`,
  events: (node: string) => `seco.events.${subjectToken(node)}`,
  heartbeat: (node: string) => `seco.heartbeat.${subjectToken(node)}`,
  /** What a scan's owner tells every replica's clients: progress, new findings, done (client protocol JSON). */
  scan: (scanId: string) => `seco.scans.${subjectToken(scanId)}`,
} as const;

/** A NATS subject token may not hold `.`, `*`, `>` or whitespace; Kubernetes node names may hold dots. */
export function subjectToken(value: string): string {
  return value.replace(/[^A-Za-z0-9_-]/g, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const id = z.string().min(1).max(128);

/** Most registry credentials one image job carries: the kubelet tries a pod's matching ones in order. */
export const MAX_JOB_CREDENTIALS = 4;

/**
 * Registry credentials the aggregator read from a pod's imagePullSecrets, for the one registry the job's
 * image is on (the agent reads no Secret: it has no API token). They reach the agent in its job ticket
 * (job-ticket.ts), never on the job queue; `Job.credentials` stays readable for agents of the embedded
 * (in-process) mode, where no bus leaves the process. A user and password, or an OAuth2
 * identity token (docker config `identitytoken`); `auth` (base64 `user:password`) is decoded before
 * queueing. Bounded so a hostile Secret cannot bloat the job queue.
 */
export const RegistryCredential = z
  .object({
    registry: z.string().min(1).max(255),
    username: z.string().max(256).optional(),
    password: z.string().max(4096).optional(),
    identityToken: z.string().max(8192).optional(),
  })
  .refine((c) => c.username !== undefined || c.identityToken !== undefined, {
    message: 'a credential needs a username or an identity token',
  });
export type RegistryCredential = z.infer<typeof RegistryCredential>;

/**
 * When a queued job stops being worth running (epoch ms, the scan's deadline): an agent refuses one past it,
 * so a job replayed later does nothing even before the aggregator refuses its ticket.
 */
const expiresAt = z.number().int().nonnegative().optional();

/**
 * The node name service-tool jobs are queued under (`seco.jobs._services`): the seco-tools Deployment
 * takes them, not a node's agent. `_` cannot appear in a Kubernetes node name (RFC 1123), so no node
 * can be given these jobs.
 */
export const SERVICE_TOOLS_NODE = '_services';

const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
const tcpPort = z.number().int().min(1).max(65535);

/**
 * A Service of the app the aggregator resolved from the API server, for the network tools: its
 * ClusterIP (an address, never a name: a job cannot aim a tool at a host it names), its TCP ports, and
 * which of them reach a port the app's containers declare.
 */
export const ServiceToolTarget = z.object({
  namespace: dnsLabel,
  name: dnsLabel,
  clusterIP: z.union([z.ipv4(), z.ipv6()]),
  ports: z.array(tcpPort).min(1).max(64),
  declaredPorts: z.array(tcpPort).max(64),
});
export type ServiceToolTarget = z.infer<typeof ServiceToolTarget>;

/** An image to pull, as the pods run it: the reference, its digest, the pods' pull secrets (by name). */
const imageToPull = {
  image: z.string().min(1).max(1024),
  digest: z
    .string()
    .regex(/^sha256:[0-9a-f]{64}$/)
    .optional(),
  pullSecrets: z
    .array(z.object({ namespace: z.string(), name: z.string() }))
    .max(16)
    .optional(),
  /** Opened from the job's ticket by whoever pulls; stripped before the job is queued (never on the bus). */
  credentials: z.array(RegistryCredential).max(MAX_JOB_CREDENTIALS).optional(),
};

/** Work for one agent: a host scan, an image scan (by digest) or a runtime snapshot of some containers. */
export const Job = z.discriminatedUnion('kind', [
  z.object({
    v,
    kind: z.literal('host'),
    jobId: id,
    scanId: id,
    node: z.string().min(1).max(253),
    expiresAt,
  }),
  z.object({
    v,
    kind: z.literal('image'),
    jobId: id,
    scanId: id,
    node: z.string().min(1).max(253),
    expiresAt,
    ...imageToPull,
  }),
  z.object({
    v,
    kind: z.literal('tools'),
    jobId: id,
    scanId: id,
    node: z.string().min(1).max(253),
    expiresAt,
    /** Tool adapters to run (core/tools/registry.ts names): on the node's host root, or at `services`. */
    tools: z
      .array(z.string().regex(/^[a-z0-9-]{1,32}$/))
      .min(1)
      .max(16),
    /** With service tools: the app's Services to probe (node SERVICE_TOOLS_NODE, the seco-tools Deployment). */
    services: z.array(ServiceToolTarget).min(1).max(64).optional(),
    /**
     * With image tools (clamav, yara): the image whose files they scan, pulled by the node's tools runner
     * with the credentials its ticket carries, as the image job's agent pulls.
     */
    ...imageToPull,
    image: imageToPull.image.optional(),
  }),
  z.object({
    v,
    kind: z.literal('runtime'),
    jobId: id,
    scanId: id,
    node: z.string().min(1).max(253),
    expiresAt,
    containers: z
      .array(
        z.object({
          containerId: z.string().max(128),
          pod: z.string(),
          namespace: z.string(),
          name: z.string(),
        }),
      )
      .max(1000),
  }),
]);
export type Job = z.infer<typeof Job>;

export const JobOutcome = z.object({
  v,
  type: z.literal('job.done'),
  jobId: id,
  scanId: id,
  node: z.string(),
  status: z.enum(['acked', 'failed']),
  /** Object-store key of the job's gzip NDJSON findings. */
  resultKey: z.string().optional(),
  findings: z.number().int().nonnegative(),
  error: z.string().max(4096).optional(),
  /** What an acked job could not do (an image inventoried but not matched): errors in the report. */
  problems: z.array(z.string().max(MAX_PROBLEM_CHARS)).max(MAX_JOB_PROBLEMS).optional(),
});
export type JobOutcome = z.infer<typeof JobOutcome>;

/**
 * An agent started a job (took it into a free lane; again on each redelivery). The aggregator times the
 * job out from its own receipt of this, at the kind's deadline, so an agent that is stuck costs the scan
 * that job rather than the whole scan deadline. Published on `seco.progress.<scanId>` beside the outcome;
 * agents before this message sent none, and their jobs keep only the scan deadline.
 */
export const JobStarted = z.object({
  v,
  type: z.literal('job.started'),
  jobId: id,
  scanId: id,
  node: z.string().min(1).max(253),
  /** The agent's clock, for logs: the aggregator times from its own receipt (node clocks drift). */
  startedAt: z.string().datetime(),
  /** The job's delivery count on the queue (1 the first time). */
  delivery: z.number().int().positive().max(1000),
  /** The agent's own overall deadline for this job, in ms (it ends the job itself then). */
  deadlineMs: z
    .number()
    .int()
    .positive()
    .max(7 * 86_400_000)
    .optional(),
});
export type JobStarted = z.infer<typeof JobStarted>;

/** What agents publish about a job on `seco.progress.<scanId>`: it started, or its outcome. */
export const AgentJobMessage = z.discriminatedUnion('type', [JobStarted, JobOutcome]);
export type AgentJobMessage = z.infer<typeof AgentJobMessage>;

export const JobProgress = z.object({
  v,
  type: z.literal('job.progress'),
  jobId: id,
  scanId: id,
  node: z.string(),
  message: z.string().max(1024),
});

/** A runtime event's id: unique per event, so a redelivered or re-posted event is stored and acted on once. */
export const EventId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'an event id is 1 to 64 of [A-Za-z0-9_-]');

export const FindingEvent = z.object({
  v,
  type: z.literal('finding'),
  /** Set by whoever emits it (agents, the Falco endpoint); events from older agents have none. */
  eventId: EventId.optional(),
  jobId: id.optional(),
  scanId: id.optional(),
  node: z.string(),
  finding: Finding,
});

/** A job's findings published as they are found, in batches (one NATS message per finding is wasteful). */
export const JobFindings = z.object({
  v,
  type: z.literal('job.findings'),
  jobId: id,
  scanId: id,
  node: z.string(),
  findings: z.array(Finding).max(MAX_FINDINGS_PER_BATCH),
});
export type JobFindings = z.infer<typeof JobFindings>;

/**
 * One tool a tools runner has, as its executor found it: the binary's path and the version the binary
 * itself printed (asked through the secure executor), or why it cannot run there.
 */
export const ToolVersion = z.object({
  tool: z.string().max(32),
  binary: z.string().max(64),
  place: z.string().max(16),
  path: z.string().max(1024).optional(),
  version: z.string().max(128).optional(),
  problem: z.string().max(1024).optional(),
});
export type ToolVersion = z.infer<typeof ToolVersion>;

export const Heartbeat = z.object({
  v,
  type: z.literal('heartbeat'),
  node: z.string().min(1).max(253),
  agentVersion: z.string().max(64),
  startedAt: z.string().datetime(),
  sentAt: z.string().datetime(),
  /** Where the node's runtime events come from (`ebpf`, `netlink`, `poll`) or `off`; older agents leave it out. */
  sensor: z.string().max(32).optional(),
  /** `tools`: a tools runner (core/protocol/tool-queues.ts), not an agent; agents leave it out. */
  role: z.enum(['agent', 'tools']).optional(),
  /** The queue a tools runner takes jobs from (its node's tools queue, or the Service tools queue). */
  queue: z.string().max(260).optional(),
  /** A tools runner's tools and their versions (`kubectl seco tools` shows them per node). */
  tools: z.array(ToolVersion).max(64).optional(),
  /** The node's runtime watcher: which sensor it chose (ebpf, netlink, poll; off when not running). */
  runtime: z
    .object({
      sensor: z.enum(['ebpf', 'netlink', 'poll', 'off']),
      /** Why better sensors were not used, in order. */
      fallbacks: z.array(z.string().max(1024)).max(4).default([]),
      execs: z.number().int().nonnegative(),
      detections: z.number().int().nonnegative(),
      /** Events the kernel dropped (eBPF ring buffer full; connector queue overflow). */
      lost: z.number().int().nonnegative(),
    })
    .optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

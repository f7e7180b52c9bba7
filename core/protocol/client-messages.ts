import { z } from 'zod';
import { Finding, Report, Severity } from '../model/index.js';
import {
  FindingsLatest,
  FindingsLatestDone,
  NodesList,
  NodesListing,
  ScansActive,
  ScansActiveListing,
} from './cluster-view-messages.js';
import { MAX_FINDINGS_PER_BATCH, MAX_SCAN_POLICIES, PROTOCOL_VERSION } from './limits.js';
import { SCANNER_NAMES, ScannerName } from './scanner-names.js';

const v = z.literal(PROTOCOL_VERSION);
const name = z.string().min(1).max(253);

/** What to scan: a workload by name (any kind, or a given kind), or pods by label selector. */
export const ScanTarget = z
  .object({
    namespace: name.optional(),
    allNamespaces: z.boolean().optional(),
    kind: z
      .enum(['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Pod', 'ReplicaSet'])
      .optional(),
    name: name.optional(),
    selector: z.string().max(1024).optional(),
  })
  .refine((t) => t.name !== undefined || t.selector !== undefined || t.allNamespaces === true, {
    message: 'a target needs a name, a selector or allNamespaces',
  });
export type ScanTarget = z.infer<typeof ScanTarget>;

// plugin → aggregator

export const Hello = z.object({
  v,
  type: z.literal('hello'),
  client: z.object({ name: z.string().max(64), version: z.string().max(64) }),
  /**
   * The caller's bearer token. Through the API server's service proxy the Authorization header is
   * stripped, so the token travels here and the aggregator checks it with a TokenReview.
   */
  token: z
    .string()
    .min(1)
    .max(16 * 1024)
    .optional(),
});
export const ScanStart = z.object({
  v,
  type: z.literal('scan.start'),
  requestId: z.string().min(1).max(64),
  target: ScanTarget,
  scanners: z.array(ScannerName).max(SCANNER_NAMES.length).optional(),
  /**
   * ValidatingAdmissionPolicies, their bindings and params (`scan --policy`), as objects: each is
   * validated and compiled by the aggregator, a bad one becomes a problem. The whole message is
   * bounded by MAX_WS_MESSAGE_BYTES.
   */
  policies: z.array(z.record(z.string(), z.unknown())).max(MAX_SCAN_POLICIES).optional(),
  /** Also review the app's objects against the cluster's own ValidatingAdmissionPolicies. */
  clusterPolicies: z.boolean().optional(),
});
/** Follows a scan already started (after a reconnect, or from another terminal). */
export const ScanAttach = z.object({
  v,
  type: z.literal('scan.attach'),
  requestId: z.string().min(1).max(64),
  scanId: z.string().min(1).max(128),
});
export const WatchSubscribe = z.object({
  v,
  type: z.literal('watch.subscribe'),
  /** Names the subscription in an `error` it gets (refused, or the aggregator could not follow events). */
  requestId: z.string().min(1).max(64).optional(),
  namespaces: z.array(name).max(1000).optional(),
  minSeverity: Severity.optional(),
  /**
   * Catch up from this time (ISO) instead of the aggregator's default window: a client that reconnects
   * asks from the last event it has, so nothing published while it was away is missed.
   */
  since: z.string().datetime().optional(),
  /** At most this many events in the catch-up (the aggregator caps it too). */
  history: z.number().int().nonnegative().max(10_000).optional(),
});
export const ResultsList = z.object({
  v,
  type: z.literal('results.list'),
  requestId: z.string().min(1).max(64),
  limit: z.number().int().positive().max(1000).optional(),
});
export const ResultsGet = z.object({
  v,
  type: z.literal('results.get'),
  requestId: z.string().min(1).max(64),
  scanId: z.string().min(1).max(128),
  /**
   * Send the report's header (`results.header`) before its findings, so the client can write the report
   * as it streams. Aggregators before this field ignore it and send the header last (`results.report`).
   */
  headerFirst: z.boolean().optional(),
});

export const ClientMessage = z.discriminatedUnion('type', [
  Hello,
  ScanStart,
  ScanAttach,
  WatchSubscribe,
  ResultsList,
  ResultsGet,
  ScansActive,
  NodesList,
  FindingsLatest,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

// aggregator → plugin

export const JobCounts = z.object({
  total: z.number().int().nonnegative(),
  acked: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  timedOut: z.number().int().nonnegative(),
});
export const Welcome = z.object({
  v,
  type: z.literal('welcome'),
  server: z.object({ version: z.string() }),
  user: z.string(),
});
export const ScanAccepted = z.object({
  v,
  type: z.literal('scan.accepted'),
  requestId: z.string(),
  scanId: z.string(),
});
export const ScanProgress = z.object({
  v,
  type: z.literal('scan.progress'),
  scanId: z.string(),
  jobs: JobCounts,
  nodes: z.record(z.string(), JobCounts),
  message: z.string().max(4096).optional(),
});
/**
 * A report without its findings: a report can hold far more findings than one message may carry, so
 * findings travel in `findings` batches and the header closes the stream.
 */
export const ReportHeader = Report.omit({ findings: true }).extend({
  findingCount: z.number().int().nonnegative(),
});
export type ReportHeader = z.infer<typeof ReportHeader>;

/** Findings of a scan as they come (scanId), or of a stored report being fetched (requestId). */
export const FindingBatch = z.object({
  v,
  type: z.literal('findings'),
  scanId: z.string().optional(),
  requestId: z.string().optional(),
  findings: z.array(Finding).max(MAX_FINDINGS_PER_BATCH),
});
export const ScanDone = z.object({
  v,
  type: z.literal('scan.done'),
  scanId: z.string(),
  reportKey: z.string(),
  report: ReportHeader,
});
export const RuntimeEvent = z.object({ v, type: z.literal('event'), finding: Finding });
export const ResultsListing = z.object({
  v,
  type: z.literal('results.listing'),
  requestId: z.string(),
  scans: z.array(
    z.object({
      scanId: z.string(),
      target: z.string(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      summary: z.record(z.string(), z.number()),
      /** `incomplete`: a job failed or timed out, or some input could not be read (the report's problems). */
      state: z.enum(['complete', 'incomplete']).optional(),
      /** The report's problems that are errors (what was not scanned). */
      problems: z.number().int().nonnegative().optional(),
    }),
  ),
});
/** Opens a `results.get` that asked for `headerFirst`: the report without its findings, which follow. */
export const ResultsHeader = z.object({
  v,
  type: z.literal('results.header'),
  requestId: z.string(),
  reportKey: z.string(),
  report: ReportHeader,
});
/** Ends a `results.get`: its findings came before it in `findings` batches with the same requestId. */
/** One stored scan as `results.list` shows it (the aggregator's `scans/<id>/summary.json`). */
export type ListedScan = z.infer<typeof ResultsListing>['scans'][number];
export const ResultsReport = z.object({
  v,
  type: z.literal('results.report'),
  requestId: z.string(),
  reportKey: z.string(),
  report: ReportHeader,
});
export const ErrorMessage = z.object({
  v,
  type: z.literal('error'),
  code: z.enum([
    'bad-request',
    'unauthorized',
    'forbidden',
    'not-found',
    'too-large',
    'internal',
    'unavailable',
  ]),
  message: z.string().max(4096),
  requestId: z.string().optional(),
});

export const ServerMessage = z.discriminatedUnion('type', [
  Welcome,
  ScanAccepted,
  ScanProgress,
  FindingBatch,
  ScanDone,
  RuntimeEvent,
  ResultsListing,
  ResultsHeader,
  ResultsReport,
  ErrorMessage,
  ScansActiveListing,
  NodesListing,
  FindingsLatestDone,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

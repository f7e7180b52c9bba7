import type { AddressInfo } from 'node:net';
import type { Bus } from '../core/bus/bus.js';
import { AGENTS_BUCKET } from '../core/bus/nats/nats-permissions.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { NODE_PODS_BUCKET } from '../core/kube/node-pods.js';
import type { JobKind } from '../core/service/job-kind-seconds.js';
import { Readiness } from '../core/service/readiness.js';
import type { ObjectStore } from '../core/store/object-store.js';
import type { Access } from './access.js';
import type { AdmissionLimits } from './admission-limits.js';
import { SecoApiServer } from './api/seco-api-server.js';
import { EventProcessor } from './event-processor.js';
import { falcoEndpoint } from './falco-endpoint.js';
import { AggregatorHttpServer } from './http-server.js';
import { LeaderLease } from './leader-lease.js';
import { AggregatorMetrics } from './metrics.js';
import { MetricsServer } from './metrics-server.js';
import { PodPublisher } from './pod-publisher.js';
import { replicaStatus } from './replica-status.js';
import type { RequestHeaderSource } from './request-header-source.js';
import { scanApi } from './scan-api.js';
import { ScanCoordinator } from './scan-coordinator.js';
import { statusEndpoint } from './status-endpoint.js';

export interface AggregatorParts {
  bus: Bus;
  store: ObjectStore;
  kube: KubeView;
  access: Access;
  replicaId: string;
  feedbackRules: readonly FeedbackRule[];
  jobTimeoutMs?: number;
  /** Per kind: how long a job may run once its agent said it started (default: the agents' defaults). */
  jobDeadlinesMs?: Record<JobKind, number>;
  jobDeadlineGraceMs?: number;
  /** How long without a heartbeat before an agent's queued jobs are failed or moved (default 30 s). */
  agentStaleMs?: number;
  /** How often the jobs watchdog looks at each open scan (default 5 s). */
  watchdogEveryMs?: number;
  /** Since when the bus connection is up (epoch ms); from the NATS status stream in main. */
  busUpSince?: () => number;
  /** What this replica depends on (nats, s3): `/readyz` answers 503 naming what is degraded. */
  readiness?: Readiness;
  leaseMs?: number;
  tickMs?: number;
  cluster?: string;
  version: string;
  log?: (line: string) => void;
  /**
   * Continuous mode: the leading replica publishes each node's pods for the agents, scans every image
   * digest the first time it appears, stores runtime events and acts on them (default true).
   */
  continuous?: boolean;
  /** How often the leader refreshes the pods it publishes (default 15 s). */
  podsEveryMs?: number;
  /** Limits on WebSocket clients before `hello` (default: defaultAdmissionLimits()). */
  admission?: AdmissionLimits;
  /** `/metrics` on its own port, behind a bearer token when one is given (metrics-server.ts). */
  metrics?: { host: string; port: number; token?: string };
  /** The aggregated API seco.dev over TLS, for users through the API server (api/seco-api-server.ts). */
  secureApi?: {
    host: string;
    port: number;
    tls: { cert: string; key: string };
    requestHeader: RequestHeaderSource;
  };
}

/** One aggregator replica: the scan coordinator behind the HTTP/WebSocket server. */
export class Aggregator {
  readonly coordinator: ScanCoordinator;
  readonly metrics: AggregatorMetrics;
  private readonly server: AggregatorHttpServer;
  private readonly api?: SecoApiServer;
  private readonly metricsServer?: MetricsServer;
  /** Where the aggregated API and the metrics listen, once started. */
  apiAddress?: AddressInfo;
  metricsAddress?: AddressInfo;
  private ready = false;
  private leader?: LeaderLease;
  private events?: EventProcessor;
  private chores?: NodeJS.Timeout;
  private lastPods = 0;
  private probe?: NodeJS.Timeout;
  readonly readiness: Readiness;

  constructor(private readonly parts: AggregatorParts) {
    this.readiness = parts.readiness ?? new Readiness();
    // Collected on scrape, by which time the coordinator exists.
    this.metrics = new AggregatorMetrics(
      async () => (await this.coordinator.agents.liveNodes()).size,
      async () => (await this.coordinator.store.ids()).length,
      () => this.coordinator.agents.heartbeats(),
    );
    this.coordinator = new ScanCoordinator({
      bus: parts.bus,
      store: parts.store,
      kube: parts.kube,
      replicaId: parts.replicaId,
      feedbackRules: parts.feedbackRules,
      jobTimeoutMs: parts.jobTimeoutMs,
      ...(parts.jobDeadlinesMs ? { jobDeadlinesMs: parts.jobDeadlinesMs } : {}),
      ...(parts.jobDeadlineGraceMs !== undefined ? { jobDeadlineGraceMs: parts.jobDeadlineGraceMs } : {}),
      ...(parts.agentStaleMs ? { agentStaleMs: parts.agentStaleMs } : {}),
      ...(parts.watchdogEveryMs ? { watchdogEveryMs: parts.watchdogEveryMs } : {}),
      ...(parts.busUpSince ? { busUpSince: parts.busUpSince } : {}),
      leaseMs: parts.leaseMs,
      tickMs: parts.tickMs,
      cluster: parts.cluster,
      log: parts.log,
      metrics: this.metrics,
    });
    const alerts = { bus: parts.bus, kube: parts.kube, cluster: parts.cluster };
    this.server = new AggregatorHttpServer({
      coordinator: this.coordinator,
      access: parts.access,
      bus: parts.bus,
      version: parts.version,
      metrics: this.metrics,
      ready: () => this.ready && this.readiness.isReady(),
      describeReadiness: () => this.readiness.describe(),
      gets: {
        '/status': statusEndpoint(parts.access, () =>
          replicaStatus({
            bus: parts.bus,
            store: parts.store,
            agents: this.coordinator.agents,
            replicaId: parts.replicaId,
            ready: () => this.ready && this.readiness.isReady(),
          }),
        ),
      },
      posts: { '/falco': falcoEndpoint(alerts, parts.access) },
      api: scanApi({
        coordinator: this.coordinator,
        access: parts.access,
        store: parts.store,
        version: parts.version,
        ...(parts.log ? { log: parts.log } : {}),
      }),
      ...(parts.admission ? { admission: parts.admission } : {}),
    });
    if (parts.secureApi) {
      this.api = new SecoApiServer({
        tls: parts.secureApi.tls,
        requestHeader: parts.secureApi.requestHeader,
        coordinator: this.coordinator,
        access: parts.access,
        bus: parts.bus,
        alerts,
        acceptSession: (request, socket, head, caller) =>
          this.server.acceptWebSocket(request, socket, head, caller),
      });
    }
    if (parts.metrics) this.metricsServer = new MetricsServer(this.metrics.registry, parts.metrics.token);
  }

  async start(host: string, port: number): Promise<AddressInfo> {
    await this.coordinator.start();
    const { bus, replicaId, leaseMs, feedbackRules } = this.parts;
    // Agents with their own NATS users only bind to buckets: the ones they use exist before they come.
    await Promise.all([bus.keyValue(AGENTS_BUCKET), bus.keyValue(NODE_PODS_BUCKET)]);
    this.leader = new LeaderLease(await bus.keyValue('seco-scans'), 'cluster', replicaId, leaseMs ?? 15_000);
    this.events = new EventProcessor(this.coordinator, feedbackRules, this.leader);
    await this.events.start();
    if (this.parts.continuous !== false) {
      const pods = new PodPublisher(this.coordinator, this.events);
      const chores = async () => {
        if (!(await this.leader!.refresh().catch(() => false))) return;
        if (Date.now() - this.lastPods < (this.parts.podsEveryMs ?? 15_000)) return;
        this.lastPods = Date.now();
        await pods
          .publish()
          .catch((error) => this.parts.log?.(`pods not published: ${(error as Error).message}`));
      };
      void chores();
      this.chores = setInterval(() => void chores(), Math.min(5000, (leaseMs ?? 15_000) / 3));
    } else {
      const refresh = () => void this.leader!.refresh().catch(() => false);
      refresh();
      this.chores = setInterval(refresh, Math.min(5000, (leaseMs ?? 15_000) / 3));
    }
    const probeStore = () =>
      void this.parts.store
        .stat('health/probe')
        .then(() => this.readiness.ok('s3'))
        .catch((error) => this.readiness.degraded('s3', (error as Error).message));
    probeStore();
    this.probe = setInterval(probeStore, 5000);
    const address = await this.server.listen(host, port);
    if (this.api && this.parts.secureApi) {
      await this.parts.secureApi.requestHeader.start();
      this.apiAddress = await this.api.listen(this.parts.secureApi.host, this.parts.secureApi.port);
    }
    if (this.metricsServer && this.parts.metrics)
      this.metricsAddress = await this.metricsServer.listen(this.parts.metrics.host, this.parts.metrics.port);
    this.ready = true;
    return address;
  }

  /** Graceful: not ready, clients told to reconnect, scans handed to the other replicas, nothing lost. */
  async stop(): Promise<void> {
    this.ready = false;
    if (this.chores) clearInterval(this.chores);
    if (this.probe) clearInterval(this.probe);
    await this.server.close();
    this.parts.secureApi?.requestHeader.stop();
    await this.api?.close();
    await this.metricsServer?.close();
    await this.events?.close();
    await this.leader?.release();
    await this.coordinator.stop();
  }
}

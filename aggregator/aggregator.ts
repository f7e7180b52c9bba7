import type { AddressInfo } from 'node:net';
import type { Bus } from '../core/bus/bus.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { KubeView } from '../core/kube/kube-view.js';
import type { ObjectStore } from '../core/store/object-store.js';
import type { Access } from './access.js';
import { AggregatorHttpServer } from './http-server.js';
import { AggregatorMetrics } from './metrics.js';
import { ScanCoordinator } from './scan-coordinator.js';

export interface AggregatorParts {
  bus: Bus;
  store: ObjectStore;
  kube: KubeView;
  access: Access;
  replicaId: string;
  feedbackRules: readonly FeedbackRule[];
  jobTimeoutMs?: number;
  leaseMs?: number;
  tickMs?: number;
  cluster?: string;
  version: string;
  log?: (line: string) => void;
}

/** One aggregator replica: the scan coordinator behind the HTTP/WebSocket server. */
export class Aggregator {
  readonly coordinator: ScanCoordinator;
  readonly metrics: AggregatorMetrics;
  private readonly server: AggregatorHttpServer;
  private ready = false;

  constructor(parts: AggregatorParts) {
    this.coordinator = new ScanCoordinator({
      bus: parts.bus,
      store: parts.store,
      kube: parts.kube,
      replicaId: parts.replicaId,
      feedbackRules: parts.feedbackRules,
      jobTimeoutMs: parts.jobTimeoutMs,
      leaseMs: parts.leaseMs,
      tickMs: parts.tickMs,
      cluster: parts.cluster,
      log: parts.log,
    });
    this.metrics = new AggregatorMetrics(
      async () => (await this.coordinator.agents.liveNodes()).size,
      async () => (await this.coordinator.store.ids()).length,
    );
    this.coordinator.options.metrics = this.metrics;
    this.server = new AggregatorHttpServer({
      coordinator: this.coordinator,
      access: parts.access,
      bus: parts.bus,
      version: parts.version,
      metrics: this.metrics,
      ready: () => this.ready,
    });
  }

  async start(host: string, port: number): Promise<AddressInfo> {
    await this.coordinator.start();
    const address = await this.server.listen(host, port);
    this.ready = true;
    return address;
  }

  /** Graceful: not ready, clients told to reconnect, scans handed to the other replicas, nothing lost. */
  async stop(): Promise<void> {
    this.ready = false;
    await this.server.close();
    await this.coordinator.stop();
  }
}

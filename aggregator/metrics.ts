import { Counter, Gauge, Registry } from 'prom-client';
import type { Finding } from '../core/model/index.js';
import type { Heartbeat } from '../core/protocol/index.js';

/** The aggregator's Prometheus metrics, one registry per instance (tests run several in one process). */
export class AggregatorMetrics {
  readonly registry = new Registry();
  private readonly scans = new Counter({
    name: 'seco_scans_total',
    help: 'Scans by outcome (started, done, failed)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly jobs = new Counter({
    name: 'seco_jobs_total',
    help: 'Jobs settled, by state (acked, failed, timedOut)',
    labelNames: ['state'],
    registers: [this.registry],
  });
  private readonly findings = new Counter({
    name: 'seco_findings_total',
    help: 'Findings streamed, by severity',
    labelNames: ['severity'],
    registers: [this.registry],
  });
  readonly clients = new Gauge({
    name: 'seco_websocket_clients',
    help: 'Connected WebSocket clients',
    registers: [this.registry],
  });
  readonly refused = new Counter({
    name: 'seco_messages_refused_total',
    help: 'Client messages refused (malformed, oversized, unauthenticated)',
    labelNames: ['reason'],
    registers: [this.registry],
  });

  private readonly connectionsRefused = new Counter({
    name: 'seco_connections_refused_total',
    help: 'WebSocket connections refused at upgrade or cut before hello, by reason (connection-cap, preauth-cap, preauth-source-cap, memory-budget, preauth-too-large, hello-timeout, memory-shed)',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly preAuthClients = new Gauge({
    name: 'seco_websocket_preauth_clients',
    help: 'Connected WebSocket clients that have not said hello yet',
    registers: [this.registry],
  });

  constructor(
    agentsOnline: () => Promise<number>,
    openScans: () => Promise<number>,
    heartbeats: () => Promise<Heartbeat[]> = async () => [],
  ) {
    const registry = this.registry;
    // Each node's runtime sensor, from the agents' heartbeats: 1 on the sensor in use (ebpf, netlink, poll, off).
    new Gauge({
      name: 'seco_runtime_sensor',
      help: "The runtime sensor each node's agent chose (1 for the one in use)",
      labelNames: ['node', 'sensor'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of await heartbeats().catch(() => []))
          if (b.runtime) this.set({ node: b.node, sensor: b.runtime.sensor }, 1);
      },
    });
    new Gauge({
      name: 'seco_runtime_events_lost',
      help: 'Runtime events the kernel dropped on each node since its agent started (eBPF ring buffer full, connector overflow)',
      labelNames: ['node'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const b of await heartbeats().catch(() => []))
          if (b.runtime) this.set({ node: b.node }, b.runtime.lost);
      },
    });
    new Gauge({
      name: 'seco_agents_online',
      help: 'Agents with a heartbeat in the last 30 s',
      registers: [registry],
      async collect() {
        this.set(await agentsOnline().catch(() => 0));
      },
    });
    new Gauge({
      name: 'seco_scans_open',
      help: 'Scans not yet finished (all replicas)',
      registers: [registry],
      async collect() {
        this.set(await openScans().catch(() => 0));
      },
    });
    for (const state of ['started', 'done', 'failed']) this.scans.inc({ state }, 0);
  }

  scanStarted(): void {
    this.scans.inc({ state: 'started' });
  }

  scanEnded(state: 'done' | 'failed'): void {
    this.scans.inc({ state });
  }

  jobSettled(state: string): void {
    this.jobs.inc({ state });
  }

  connectionRefused(reason: string): void {
    this.connectionsRefused.inc({ reason });
  }

  findingsSeen(findings: readonly Finding[]): void {
    for (const f of findings) this.findings.inc({ severity: f.severity });
  }
}

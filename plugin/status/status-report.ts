import type { AggregatorStatus } from '../../core/protocol/index.js';
import type { BusSecurity } from './bus-security.js';

/** `kubectl seco status -o json|yaml`: a stable shape, documented in docs/status.md. */
export const STATUS_SCHEMA = 'seco.status/v1';

/** healthy → exit 0, degraded → 1, not-installed and unreachable → 2. */
export type Health = 'healthy' | 'degraded' | 'not-installed' | 'unreachable';

export interface ComponentStatus {
  /** `nats`, `minio`, `aggregator`, `agent`. */
  name: string;
  /** The workload found (`StatefulSet`, `Deployment`, `DaemonSet`), absent when none is. */
  kind?: string;
  object: string;
  found: boolean;
  /** Replicas wanted (pods the DaemonSet should run). */
  desired: number;
  ready: number;
  /** Every container image of its pod template. */
  images: string[];
  /** The tag of its first image: the version it runs. */
  version?: string;
}

export interface AgentNode {
  node: string;
  /** `ready`: a ready agent pod; `not-ready`: a pod that is not ready; `missing`: no pod. */
  agent: 'ready' | 'not-ready' | 'missing';
  pod?: string;
  /** The agent's heartbeat, from the aggregator (undefined when none is known). */
  heartbeat?: {
    online: boolean;
    version: string;
    lastSeen: string;
    /** The runtime sensor the agent chose (`ebpf`, `netlink`, `poll`, `off`) and how many events it lost. */
    runtimeSensor?: string;
    runtimeLost?: number;
  };
  /** Why the node has no working agent, as far as the API tells. */
  reasons: string[];
}

export interface StatusReport {
  schema: typeof STATUS_SCHEMA;
  health: Health;
  namespace: string;
  checkedAt: string;
  client: { version: string; commit: string };
  components: ComponentStatus[];
  agents: { nodes: number; ready: number; perNode: AgentNode[] };
  aggregator: {
    /** What was dialled: the service proxy path or --aggregator-url. */
    via: string;
    reachable: boolean;
    error?: string;
    status?: AggregatorStatus;
  };
  /** Whether NATS runs with per-component users and TLS (from the workloads' specs); absent when not installed. */
  bus?: BusSecurity;
  /** Every reason the health is not `healthy`, one sentence each. */
  problems: string[];
}

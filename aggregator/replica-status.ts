import { buildInfo } from '../core/build/build-info.js';
import type { Bus } from '../core/bus/bus.js';
import {
  AGGREGATOR_STATUS_SCHEMA,
  type AggregatorStatus,
  serviceToolsQueue,
} from '../core/protocol/index.js';
import { withinTime } from '../core/service/within-time.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { readVulnDbManifest, VULNDB_MANIFEST_KEY } from '../core/vuln/vuln-db-store.js';
import { AGENT_STALE_MS, type AgentDirectory } from './agent-directory.js';

export interface ReplicaStatusParts {
  bus: Bus;
  store: ObjectStore;
  agents: AgentDirectory;
  replicaId: string;
  ready: () => boolean;
  now?: () => Date;
  /** Longest any one check may take: the whole answer comes within about twice this (default 3 s). */
  checkTimeoutMs?: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 2048);

/**
 * What `GET /status` answers: this replica's build, and whether it reaches NATS (a PING/PONG) and the
 * object store (a HEAD of the vuln DB manifest — with the bucket check the store does first), the vuln
 * DB's revision and age, and the agents' heartbeats. Each check has its own deadline, so a hung server
 * shows up as that check failing, never as a hung status request.
 */
export async function replicaStatus(parts: ReplicaStatusParts): Promise<AggregatorStatus> {
  const now = (parts.now ?? (() => new Date()))();
  const limit = parts.checkTimeoutMs ?? 3000;
  const [nats, storage] = await Promise.all([
    natsCheck(parts.bus, limit),
    storeCheck(parts.store, limit, now),
  ]);
  const agents = nats.connected
    ? await agentList(parts.agents, limit, now)
    : { agents: [], agentsError: `not read: NATS is unreachable (${nats.error})` };
  const { version, commit } = buildInfo();
  return {
    schema: AGGREGATOR_STATUS_SCHEMA,
    version,
    commit,
    replica: parts.replicaId,
    ready: parts.ready(),
    checkedAt: now.toISOString(),
    nats,
    s3: storage.s3,
    vulnDb: storage.vulnDb,
    ...agents,
  };
}

async function natsCheck(bus: Bus, limit: number): Promise<AggregatorStatus['nats']> {
  try {
    const ms = await bus.roundTrip(limit);
    return { connected: true, roundTripMs: Math.round(ms * 1000) / 1000 };
  } catch (error) {
    return { connected: false, error: message(error) };
  }
}

async function storeCheck(
  store: ObjectStore,
  limit: number,
  now: Date,
): Promise<Pick<AggregatorStatus, 's3' | 'vulnDb'>> {
  try {
    await withinTime(store.stat(VULNDB_MANIFEST_KEY), limit, `object store (HEAD ${VULNDB_MANIFEST_KEY})`);
  } catch (error) {
    return {
      s3: { reachable: false, error: message(error) },
      vulnDb: { present: false, error: 'not read: the object store is unreachable' },
    };
  }
  try {
    const manifest = await withinTime(readVulnDbManifest(store), limit, `read ${VULNDB_MANIFEST_KEY}`);
    if (!manifest) return { s3: { reachable: true }, vulnDb: { present: false } };
    const updated = Date.parse(manifest.meta.updatedAt);
    return {
      s3: { reachable: true },
      vulnDb: {
        present: true,
        revision: manifest.revision,
        updatedAt: manifest.meta.updatedAt,
        publishedAt: manifest.publishedAt,
        ...(Number.isNaN(updated)
          ? {}
          : { ageSeconds: Math.max(0, Math.round((now.getTime() - updated) / 1000)) }),
      },
    };
  } catch (error) {
    return { s3: { reachable: true }, vulnDb: { present: false, error: message(error) } };
  }
}

async function agentList(
  directory: AgentDirectory,
  limit: number,
  now: Date,
): Promise<Pick<AggregatorStatus, 'agents' | 'toolRunners' | 'agentsError'>> {
  try {
    const [beats, runners] = await withinTime(
      Promise.all([directory.heartbeats(), directory.toolRunners()]),
      limit,
      'agent heartbeats (KV seco-agents)',
    );
    const online = (beat: { sentAt: string }) => now.getTime() - Date.parse(beat.sentAt) <= AGENT_STALE_MS;
    const agents = beats
      .map((beat) => ({
        node: beat.node,
        version: beat.agentVersion,
        startedAt: beat.startedAt,
        lastSeen: beat.sentAt,
        online: online(beat),
        ...(beat.runtime ? { runtimeSensor: beat.runtime.sensor, runtimeLost: beat.runtime.lost } : {}),
      }))
      .sort((a, b) => a.node.localeCompare(b.node));
    const toolRunners = runners
      .map((beat) => ({
        node: beat.node,
        serves: beat.queue === serviceToolsQueue() ? ('services' as const) : ('node' as const),
        version: beat.agentVersion,
        lastSeen: beat.sentAt,
        online: online(beat),
        tools: beat.tools ?? [],
      }))
      .sort((a, b) => a.serves.localeCompare(b.serves) || a.node.localeCompare(b.node));
    return { agents, toolRunners };
  } catch (error) {
    return { agents: [], agentsError: message(error) };
  }
}

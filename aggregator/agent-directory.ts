import type { Bus } from '../core/bus/bus.js';
import { decodeMessage, Heartbeat, MAX_BUS_MESSAGE_BYTES } from '../core/protocol/index.js';

/** An agent heartbeats every 10 s; three missed beats and its node counts as having none (default window). */
export const AGENT_STALE_MS = 30_000;

/** Which nodes have a live agent, read from the heartbeats agents keep in the `seco-agents` KV bucket. */
export class AgentDirectory {
  constructor(
    private readonly bus: Bus,
    private readonly now: () => number = Date.now,
    /** How long without a heartbeat before a node counts as having no agent. */
    readonly staleMs: number = AGENT_STALE_MS,
  ) {}

  /** The agents' heartbeats: a tools runner's (its `tools.` key, role `tools`) is no agent of its node. */
  async heartbeats(): Promise<Heartbeat[]> {
    return (await this.read((key) => !key.startsWith('tools.'))).filter((b) => b.role !== 'tools');
  }

  /** The tools runners' heartbeats (agent/tools-runner.ts): each node's runner and the `seco-tools` replicas. */
  async toolRunners(): Promise<Heartbeat[]> {
    return (await this.read((key) => key.startsWith('tools.'))).filter((b) => b.role === 'tools');
  }

  private async read(wanted: (key: string) => boolean): Promise<Heartbeat[]> {
    const kv = await this.bus.keyValue('seco-agents');
    const beats: Heartbeat[] = [];
    for (const key of await kv.keys()) {
      if (!wanted(key)) continue;
      const entry = await kv.get(key);
      if (!entry) continue;
      const decoded = decodeMessage(Heartbeat, entry.value, MAX_BUS_MESSAGE_BYTES);
      if (decoded.ok) beats.push(decoded.value);
    }
    return beats;
  }

  /**
   * The queues someone live takes jobs from: each live agent's node, and each live tools runner's queue
   * (core/protocol/tool-queues.ts) — what a planned job is checked against (job-planner.ts jobRecord).
   */
  async liveQueues(): Promise<Set<string>> {
    const cutoff = this.now() - this.staleMs;
    const runners = (await this.toolRunners()).filter((b) => b.queue && Date.parse(b.sentAt) >= cutoff);
    return new Set([...(await this.liveNodes()), ...runners.map((b) => b.queue!)]);
  }

  async liveNodes(): Promise<Set<string>> {
    const cutoff = this.now() - this.staleMs;
    return new Set(
      (await this.heartbeats()).filter((b) => Date.parse(b.sentAt) >= cutoff).map((b) => b.node),
    );
  }
}

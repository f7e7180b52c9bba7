import { z } from 'zod';
import { ToolVersion } from './bus-messages.js';

/** `GET /status` of an aggregator replica: `kubectl seco status` and `version` read it. */
export const AGGREGATOR_STATUS_SCHEMA = 'seco.aggregator-status/v1';

/** The aggregator's answer is small; anything larger is not one (a proxy's error page, a wrong port). */
export const MAX_AGGREGATOR_STATUS_BYTES = 1024 * 1024;

const text = z.string().max(2048);
const time = z.string().datetime();

export const AggregatorStatus = z.object({
  schema: z.literal(AGGREGATOR_STATUS_SCHEMA),
  /** The build of the answering replica (core/build/build-info.ts). */
  version: z.string().max(64),
  commit: z.string().max(64),
  replica: z.string().max(253),
  /** The replica takes scans (what /readyz says). */
  ready: z.boolean(),
  checkedAt: time,
  nats: z.object({
    connected: z.boolean(),
    /** One PING/PONG with the server, when it answered. */
    roundTripMs: z.number().nonnegative().optional(),
    error: text.optional(),
  }),
  s3: z.object({
    reachable: z.boolean(),
    error: text.optional(),
  }),
  vulnDb: z.object({
    /** A DB was published to the object store (`kubectl seco db import --s3-…`). */
    present: z.boolean(),
    revision: z.string().max(64).optional(),
    /** When the advisories were imported (the DB's own `updatedAt`). */
    updatedAt: z.string().max(64).optional(),
    publishedAt: z.string().max(64).optional(),
    /** Seconds between `updatedAt` and `checkedAt`. */
    ageSeconds: z.number().nonnegative().optional(),
    error: text.optional(),
  }),
  /** Every agent with a heartbeat in the `seco-agents` bucket, online or not. */
  agents: z
    .array(
      z.object({
        node: z.string().min(1).max(253),
        version: z.string().max(64),
        startedAt: time,
        lastSeen: time,
        /** Its last heartbeat is within AGENT_STALE_MS. */
        online: z.boolean(),
        /** The runtime sensor the agent chose (`ebpf`, `netlink`, `poll`, `off`) and the events it lost. */
        runtimeSensor: z.string().max(16).optional(),
        runtimeLost: z.number().int().nonnegative().optional(),
      }),
    )
    .max(100_000),
  /**
   * Every tools runner with a heartbeat (agent/tools-runner.ts): `node` serves its node's tool jobs beside the
   * agent, `services` is a `seco-tools` replica; each with the tools it has and their versions.
   */
  toolRunners: z
    .array(
      z.object({
        node: z.string().min(1).max(253),
        serves: z.enum(['node', 'services']),
        version: z.string().max(64),
        lastSeen: time,
        online: z.boolean(),
        tools: z.array(ToolVersion).max(64),
      }),
    )
    .max(100_000)
    .optional(),
  /** Why the agent list is missing or partial (NATS unreachable). */
  agentsError: text.optional(),
});
export type AggregatorStatus = z.infer<typeof AggregatorStatus>;

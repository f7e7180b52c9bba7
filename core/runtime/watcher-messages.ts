import { z } from 'zod';

/**
 * The lines between the agent and its runtime watcher process (agent/runtime-process.ts, agent/runtime-
 * watcher-main.ts), NDJSON over the child's stdin and stdout. The agent checks what the child says with these
 * schemas; the child trusts its parent (it loads no zod: `import type` only, for its RSS).
 */

const Stats = z.object({
  source: z.enum(['ebpf', 'netlink', 'poll', 'snapshot']).optional(),
  fallbacks: z.array(z.string()),
  kernelEvents: z.number(),
  execs: z.number(),
  vanished: z.number(),
  lost: z.number(),
  detections: z.number(),
  quietExecs: z.number().optional(),
  quietExits: z.number().optional(),
});

/** What the watcher process says: its counters, a detection, a log line, or a question for the agent. */
export const WatcherProcessLine = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), stats: Stats }),
  z.object({ t: z.literal('stats'), stats: Stats }),
  z.object({ t: z.literal('failed'), error: z.string() }),
  z.object({ t: z.literal('log'), line: z.string() }),
  // A Detection (core/runtime/detection.ts) as the in-process watcher hands it over; the agent turns it into a
  // finding with detectionToFinding, which reads these fields.
  z.object({
    t: z.literal('detection'),
    detection: z
      .object({
        ruleId: z.string(),
        severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
        node: z.string(),
        process: z.object({ pid: z.number(), name: z.string() }).passthrough(),
      })
      .passthrough(),
  }),
  /** The node's pods (the agent's pod view, kube-view.ts `list('Pod')`), answered with `pods`. */
  z.object({ t: z.literal('pods?'), id: z.number() }),
  /** An image's executable files from its stored SBOM, answered with `files`. */
  z.object({ t: z.literal('files?'), id: z.number(), image: z.string() }),
]);
export type WatcherProcessLine = z.infer<typeof WatcherProcessLine>;

/** What the agent says to the watcher process. The first line is always `start`. */
export type AgentToWatcherLine =
  | {
      t: 'start';
      node: string;
      cluster?: string;
      procRoot: string;
      cgroupRoot?: string;
      sensor?: 'auto' | 'ebpf' | 'netlink' | 'poll';
      /** The rule set the agent loaded and validated, as core/runtime/rule-set-json.ts writes it. */
      rules: string;
      /** Whether the agent has a pod view / SBOM lookup to ask (else pods and image facts stay empty). */
      pods: boolean;
      imageFiles: boolean;
    }
  | { t: 'pods'; id: number; pods: unknown[] }
  | { t: 'files'; id: number; files: string[] | null }
  | { t: 'stop' };

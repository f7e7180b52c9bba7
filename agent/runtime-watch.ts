import { type Bus, BusMessageTooLargeError } from '../core/bus/bus.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { type Heartbeat, newEventId, PROTOCOL_VERSION, subjects } from '../core/protocol/index.js';
import { type Detection, detectionToFinding } from '../core/runtime/detection.js';
import { RuleEngine } from '../core/runtime/rule-engine.js';
import { loadRuleSet } from '../core/runtime/rule-file.js';
import { builtinRuntimeRulesDir } from '../core/runtime/rules-dir.js';
import type { WatcherSource, WatcherStats } from '../core/runtime/watcher.js';
import type { ImageFilesLookup } from './image-executables.js';
import { rememberDetection } from './runtime-history.js';
import { RuntimeProcess } from './runtime-process.js';

export interface RuntimeWatchOptions {
  bus: Bus;
  node: string;
  procRoot: string;
  cluster?: string;
  kube?: KubeView;
  /** Which sensor (default auto: eBPF, else the connector, else /proc polling). */
  sensor?: WatcherSource;
  /** The host's cgroup file system, for the eBPF sensor's container filter. */
  cgroupRoot?: string;
  /** Extra rule directories (a ConfigMap mounted as a directory). */
  rulesDirs?: readonly string[];
  /** A container image's executable files, from its stored SBOM (drift: binaries not in the image). */
  imageFiles?: ImageFilesLookup;
  /** The watcher process's command line (tests; default: runtime-process.ts `watcherCommand`). */
  watcherCommand?: readonly string[];
  log: (line: string) => void;
}

/** The running watcher as the agent sees it: its counters for the heartbeat, and a stop. */
export interface RuntimeWatch {
  readonly stats: WatcherStats;
  refreshDrops(): void;
  stop(): void;
}

/**
 * Starts the node's runtime watcher, in a process of its own (runtime-process.ts); each detection goes out
 * at once on `seco.events.<node>` as a finding event, stored on the event stream (kept there while no
 * aggregator is up), with an id of its own. The rule files are read and validated here; a bad one fails the
 * start with its file and rule named (the conditions are compiled here too, so a bad CEL condition does).
 */
export async function startRuntimeWatch(o: RuntimeWatchOptions): Promise<RuntimeWatch> {
  const rules = await loadRuleSet([builtinRuntimeRulesDir(), ...(o.rulesDirs ?? [])]);
  new RuleEngine(rules);
  return RuntimeProcess.start({
    node: o.node,
    cluster: o.cluster,
    procRoot: o.procRoot,
    cgroupRoot: o.cgroupRoot,
    sensor: o.sensor,
    rules,
    kube: o.kube,
    imageFiles: o.imageFiles,
    command: o.watcherCommand,
    log: o.log,
    onDetection: (d) => {
      rememberDetection(d);
      void publishDetection(o.bus, o.node, d).catch((error) =>
        o.log(`runtime event not published: ${(error as Error).message}`),
      );
    },
  });
}

/** How long a detection is retried while NATS is away (restarting, unreachable) before it is given up. */
const PUBLISH_RETRY_FOR_MS = 10 * 60_000;

/**
 * One detection onto the event stream, with an id of its own (what every runtime event of the node goes
 * through). Retried with backoff while the server does not confirm it: the id makes a retry of an event
 * the server did store (its confirmation lost) one stored event.
 */
export async function publishDetection(bus: Bus, node: string, d: Detection): Promise<string> {
  const eventId = newEventId();
  const event = { v: PROTOCOL_VERSION, type: 'finding', eventId, node, finding: detectionToFinding(d) };
  const data = Buffer.from(JSON.stringify(event));
  const giveUpAt = Date.now() + PUBLISH_RETRY_FOR_MS;
  for (let delay = 250; ; delay = Math.min(delay * 2, 5000)) {
    try {
      await bus.publishEvent(subjects.events(node), data, eventId);
      return eventId;
    } catch (error) {
      if (error instanceof BusMessageTooLargeError || Date.now() + delay > giveUpAt) throw error;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

/** The watcher's sensor and counters as the heartbeat carries them (`kubectl seco status`). */
export function runtimeHeartbeat(watcher: RuntimeWatch | undefined): Heartbeat['runtime'] {
  if (!watcher) return { sensor: 'off', fallbacks: [], execs: 0, detections: 0, lost: 0 };
  watcher.refreshDrops();
  const s = watcher.stats;
  const sensor = s.source === 'ebpf' || s.source === 'netlink' || s.source === 'poll' ? s.source : 'off';
  return {
    sensor,
    fallbacks: s.fallbacks.slice(0, 4).map((f) => f.slice(0, 1024)),
    execs: s.execs,
    detections: s.detections,
    lost: s.lost,
  };
}

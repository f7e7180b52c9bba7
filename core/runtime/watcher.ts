import type { KubeView } from '../kube/kube-view.js';
import { containerFromCgroup } from './cgroup-container.js';
import type { Detection } from './detection.js';
import type { ExecEvent, ExecSource } from './exec-source.js';
import { ListenWatch, type PidsByContainer } from './listen-watch.js';
import { PodIndex } from './pod-index.js';
import { startProcConnector } from './proc-connector.js';
import { toProcessInfo } from './proc-parse.js';
import { startProcPoller } from './proc-poller.js';
import { listPids, readCgroup, readFdTargets, readRawProc } from './proc-reader.js';
import type { EventSource, ProcessInfo, RawProc } from './process-info.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import type { RuleEngine } from './rule-engine.js';
import { type EventContext, ruleInput } from './rule-input.js';
import { classifyStdioSockets } from './stdio-sockets.js';

export interface WatcherOptions {
  procRoot: string;
  node: string;
  cluster?: string;
  rules: RuleEngine;
  kube?: KubeView;
  /** `auto`: the kernel connector when it can be opened, else /proc polling. */
  source?: 'auto' | 'netlink' | 'poll';
  pollIntervalMs?: number;
  listenIntervalMs?: number;
  rateLimit?: RateLimitOptions;
  /** How long an event from a container not yet in any pod's status waits for the pod list to catch up. */
  podWaitMs?: number;
  /** Executable paths of an image (from its stored SBOM), or undefined when none is stored. */
  imageFiles?: (image: string) => Promise<ReadonlySet<string> | undefined>;
  onDetection: (d: Detection) => void;
  onLog?: (line: string) => void;
}

export interface WatcherStats {
  source?: EventSource;
  execs: number;
  /** Exec events whose process was gone before anything could be read. */
  vanished: number;
  /** Events the kernel dropped (receive queue overflow). */
  lost: number;
  detections: number;
}

/** The node's runtime watcher: exec events → process, container, pod → rules → rate limit → detections. */
export class RuntimeWatcher {
  readonly stats: WatcherStats = { execs: 0, vanished: 0, lost: 0, detections: 0 };
  private readonly pods: PodIndex;
  private readonly limiter: RateLimiter;
  private readonly pids: PidsByContainer = new Map();
  private readonly listen: ListenWatch;
  private source?: ExecSource;
  private listenTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: WatcherOptions) {
    this.pods = new PodIndex(options.kube, options.node, 500, (m) => options.onLog?.(m));
    this.limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.listen = new ListenWatch(options.procRoot, this.pids);
  }

  async start(): Promise<void> {
    await this.pods.refresh();
    await this.learnRunning();
    await this.listen.poll(); // the baseline: sockets already listening are not new
    this.source = this.openSource();
    this.stats.source = this.source.source;
    this.options.onLog?.(`runtime watcher: exec events from ${this.source.source}`);
    this.scheduleListen();
  }

  /** Stops watching; returns held-back counts that never got a later detection to ride on. */
  stop(): Array<{ ruleId: string; key: string; held: number }> {
    this.stopped = true;
    this.source?.stop();
    if (this.listenTimer) clearTimeout(this.listenTimer);
    return this.limiter.drain();
  }

  private openSource(): ExecSource {
    const listener = (events: ExecEvent[]) => this.onEvents(events);
    const mode = this.options.source ?? 'auto';
    if (mode !== 'poll') {
      try {
        return startProcConnector(this.options.procRoot, listener);
      } catch (error) {
        if (mode === 'netlink') throw error;
        this.options.onLog?.(`runtime watcher: ${(error as Error).message}; polling /proc instead`);
      }
    }
    return startProcPoller(this.options.procRoot, this.options.pollIntervalMs ?? 250, listener);
  }

  /** Containers already running when the watcher starts: their pids, for socket polling. */
  private async learnRunning(): Promise<void> {
    for (const pid of await listPids(this.options.procRoot).catch(() => [])) {
      const c = containerFromCgroup(await readCgroup(this.options.procRoot, pid));
      if (c) this.track(c.id, pid);
    }
  }

  private track(containerId: string, pid: number): void {
    const set = this.pids.get(containerId) ?? new Set<number>();
    set.add(pid);
    this.pids.set(containerId, set);
  }

  private onEvents(events: ExecEvent[]): void {
    for (const e of events) {
      if (e.kind === 'exec') {
        this.stats.execs++;
        void this.onExec(e.pid, e.raw, e.seenAtMs).catch((error) =>
          this.options.onLog?.(`runtime watcher: pid ${e.pid}: ${(error as Error).message}`),
        );
      } else if (e.kind === 'exit') {
        for (const [id, set] of this.pids) if (set.delete(e.pid) && set.size === 0) this.pids.delete(id);
      } else {
        this.stats.lost += e.count;
        this.options.onLog?.(`runtime watcher: the kernel dropped ${e.count} process event batches`);
      }
    }
  }

  private async onExec(pid: number, raw: RawProc, seenAtMs: number): Promise<void> {
    const proc = toProcessInfo(pid, raw);
    if (!proc) {
      this.stats.vanished++;
      return;
    }
    proc.stdio = await classifyStdioSockets(this.options.procRoot, pid, raw, proc.stdio);
    const container = containerFromCgroup(proc.cgroup);
    if (container) this.track(container.id, pid);
    // Host processes are most of a node's execs: their parent and fds are not read (the host rules look at
    // the command line), which keeps the per-exec cost down where it matters (docs/benchmarks.md, Runtime).
    const [parentRaw, fds] = container
      ? await Promise.all([
          readRawProc(this.options.procRoot, proc.ppid),
          readFdTargets(this.options.procRoot, pid),
        ])
      : [{}, []];
    const parent = toProcessInfo(proc.ppid, parentRaw);
    await this.evaluate(
      {
        type: 'exec',
        source: this.source?.source ?? 'netlink',
        node: this.options.node,
        proc,
        parent,
        parentContainerId: parent ? (containerFromCgroup(parent.cgroup)?.id ?? '') : undefined,
        container,
        fds,
      },
      seenAtMs,
    );
  }

  private scheduleListen(): void {
    if (this.stopped) return;
    this.listenTimer = setTimeout(async () => {
      try {
        for (const found of await this.listen.poll()) await this.onListen(found.pid, found.socket);
      } catch (error) {
        this.options.onLog?.(`runtime watcher: socket poll: ${(error as Error).message}`);
      }
      this.scheduleListen();
    }, this.options.listenIntervalMs ?? 1000);
  }

  private async onListen(pid: number, socket: { port: number; address: string }): Promise<void> {
    const seenAtMs = Date.now();
    const proc = toProcessInfo(pid, await readRawProc(this.options.procRoot, pid));
    if (!proc) return;
    await this.evaluate(
      {
        type: 'listen',
        source: 'socket-poll',
        node: this.options.node,
        proc,
        container: containerFromCgroup(proc.cgroup),
        fds: [],
        listen: socket,
      },
      seenAtMs,
    );
  }

  /** Rules over one event, through the rate limiter, to `onDetection`. */
  private async evaluate(context: EventContext, seenAtMs: number): Promise<void> {
    const c = context.container;
    const pod = c ? await this.pods.lookup(c.id, this.options.podWaitMs ?? 2000) : undefined;
    const imageFiles =
      pod && this.options.imageFiles ? await this.options.imageFiles(pod.imageId || pod.image) : undefined;
    const full: EventContext = { ...context, pod, imageFiles };
    const key = `${c?.id ?? this.options.node}\u0000${context.proc.exe}`;
    for (const match of this.options.rules.evaluate(ruleInput(full))) {
      const admitted = this.limiter.admit(match.rule.id, key, Date.now());
      if (!admitted.emit) continue;
      const d = toDetection(full, match, seenAtMs, admitted.repeats, this.options);
      this.stats.detections++;
      this.options.onDetection(d);
    }
  }
}

function toDetection(
  e: EventContext,
  match: ReturnType<RuleEngine['evaluate']>[number],
  seenAtMs: number,
  repeats: number,
  o: WatcherOptions,
): Detection {
  const p: ProcessInfo = e.proc;
  return {
    ruleId: match.rule.id,
    severity: match.rule.severity,
    description: match.rule.description,
    output: match.output,
    time: new Date().toISOString(),
    source: e.source,
    latencyMs: Math.max(0, Date.now() - seenAtMs),
    node: o.node,
    ...(o.cluster ? { cluster: o.cluster } : {}),
    ...(e.container
      ? {
          container: {
            id: e.container.id,
            runtime: e.container.runtime,
            ...(e.pod ? { name: e.pod.container, image: e.pod.image } : {}),
          },
        }
      : {}),
    ...(e.pod ? { pod: { namespace: e.pod.namespace, name: e.pod.pod, uid: e.pod.podUid } } : {}),
    process: {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      cmdline: p.cmdline,
      uid: p.uid,
      ...(e.parent
        ? {
            parent: e.parent.name,
            parentProcess: {
              pid: e.parent.pid,
              name: e.parent.name,
              exe: e.parent.exe,
              cmdline: e.parent.cmdline,
            },
          }
        : {}),
    },
    mitre: match.rule.mitre,
    references: match.rule.references,
    ...(match.rule.remediation ? { remediation: match.rule.remediation } : {}),
    repeats,
  };
}

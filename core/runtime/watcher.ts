import type { KubeView } from '../kube/kube-view.js';
import { containerFromCgroup } from './cgroup-container.js';
import type { Detection } from './detection.js';
import type { SensorEvent } from './ebpf-record.js';
import { startEbpfSensor } from './ebpf-sensor.js';
import { toDetection } from './event-detection.js';
import type { ExecEvent, ExecSource } from './exec-source.js';
import { foldRepeats, KernelEvents } from './kernel-events.js';
import { kernelFilter } from './kernel-filter.js';
import { KernelQuietMemo } from './kernel-quiet-memo.js';
import { ListenWatch, type PidsByContainer } from './listen-watch.js';
import { PodIndex } from './pod-index.js';
import { startProcConnector } from './proc-connector.js';
import { toProcessInfo } from './proc-parse.js';
import { startProcPoller } from './proc-poller.js';
import { listPids, readCgroup, readFdTargets, readRawProc } from './proc-reader.js';
import type { EventSource, RawProc } from './process-info.js';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitOptions } from './rate-limiter.js';
import type { RuleEngine } from './rule-engine.js';
import { type EventContext, ruleInput } from './rule-input.js';
import { classifyStdioSockets } from './stdio-sockets.js';
import { emptyWatcherStats } from './watcher-stats.js';

export interface WatcherOptions {
  procRoot: string;
  node: string;
  cluster?: string;
  rules: RuleEngine;
  kube?: KubeView;
  /** `auto`: the eBPF sensor when the kernel allows it, else the process-events connector, else /proc polling. */
  source?: WatcherSource;
  /** The host's cgroup file system, where the eBPF sensor finds the container roots (default /sys/fs/cgroup). */
  cgroupRoot?: string;
  /** eBPF: report host processes too, not only those in containers. */
  includeHost?: boolean;
  /** eBPF ring buffer size in bytes (power of two). */
  ringBytes?: number;
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

export type WatcherSource = 'auto' | 'ebpf' | 'netlink' | 'poll';

export interface WatcherStats {
  source?: EventSource;
  /** Why a better source was not used (`auto`), in order: what the eBPF sensor and the connector said. */
  fallbacks: string[];
  /** Records from the eBPF sensor (after the kernel's filters). */
  kernelEvents: number;
  execs: number;
  /** Exec events whose process was gone before anything could be read. */
  vanished: number;
  /** Events the kernel dropped (connector receive queue overflow; eBPF ring buffer full, read at stop or on `refreshDrops`). */
  lost: number;
  detections: number;
  /** eBPF: execs (and their exits) the kernel's no-match memo kept in the kernel, read with `refreshDrops`. */
  quietExecs?: number;
  quietExits?: number;
}

/** The node's runtime watcher: exec events → process, container, pod → rules → rate limit → detections. */
export class RuntimeWatcher {
  readonly stats: WatcherStats = emptyWatcherStats();
  private readonly pods: PodIndex;
  private readonly limiter: RateLimiter;
  private readonly pids: PidsByContainer = new Map();
  private readonly listen: ListenWatch;
  private source?: ExecSource;
  private readonly kernel: KernelEvents;
  /** Workloads (namespace, container, image; the container id outside pods) that made an outbound connection. */
  private readonly outbound = new Set<string>();
  /** eBPF execs that matched no rule, by what decides that (see `quietKey`): judged again, they would match
   * nothing again, so they skip the rule input and the engine (most of an idle node's cost). */
  private readonly quietExecs = new Set<string>();
  private readonly identities = new WeakMap<object, number>();
  private nextIdentity = 1;
  private connectorLost = 0;
  private listenTimer?: NodeJS.Timeout;
  private stopped = false;
  private rules: RuleEngine;
  private quietMemo?: KernelQuietMemo;

  constructor(private readonly options: WatcherOptions) {
    this.pods = new PodIndex(options.kube, options.node, 500, (m) => options.onLog?.(m));
    this.limiter = new RateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
    this.listen = new ListenWatch(options.procRoot, this.pids);
    this.kernel = new KernelEvents(options.procRoot, options.node);
    this.rules = options.rules;
  }

  async start(): Promise<void> {
    await this.pods.refresh();
    await this.learnRunning();
    await this.listen.poll(); // the baseline: sockets already listening are not new
    this.source = this.openSource();
    this.stats.source = this.source.source;
    this.options.onLog?.(`runtime watcher: sensor ${this.source.source}`);
    const memo = this.source.memo;
    if (memo) {
      this.kernel.lookupProcess = (pid, execNs) => memo.lookupProcess(pid, execNs);
      this.kernel.forgetProcess = (pid, execNs) => memo.forgetProcess(pid, execNs);
      this.quietMemo = new KernelQuietMemo({
        memo,
        pod: (id) => this.pods.peek(id),
        refreshPods: () => this.pods.refresh(),
        imageFiles: this.options.imageFiles,
        identity: (o) => this.identity(o),
        onLog: this.options.onLog,
      });
    }
    // The eBPF sensor reports listen() itself; the socket poll is for the connector and the poller.
    if (this.source.source !== 'ebpf') this.scheduleListen();
  }

  /** Brings `stats.lost` up to date with the eBPF sensor's drop counter, and the memo's counts. */
  refreshDrops(): void {
    if (this.source?.drops) this.stats.lost = this.connectorLost + this.source.drops();
    const hits = this.source?.memo?.hits();
    if (hits) {
      this.stats.quietExecs = hits.execs;
      this.stats.quietExits = hits.exits;
    }
  }

  /**
   * Judges every later event with another rule set. Execs remembered as matching nothing are judged again
   * (this cache and the kernel's); the kernel's filters are widened to what the new rules read (never
   * narrowed while running: a wider filter only costs).
   */
  setRules(rules: RuleEngine): void {
    this.rules = rules;
    this.quietExecs.clear();
    this.quietMemo?.rejudgeAll();
    this.source?.refilter?.(kernelFilter(rules.set));
  }

  /** Looks at the kernel memo's containers again now (their pod, their image's files): for tests. */
  recheckQuiet(): Promise<number> {
    return this.quietMemo?.recheck() ?? Promise.resolve(0);
  }

  /** Stops watching; returns held-back counts that never got a later detection to ride on. */
  stop(): Array<{ ruleId: string; key: string; held: number }> {
    this.stopped = true;
    this.refreshDrops();
    this.quietMemo?.stop();
    this.source?.stop();
    if (this.listenTimer) clearTimeout(this.listenTimer);
    return this.limiter.drain();
  }

  private openSource(): ExecSource {
    const listener = (events: ExecEvent[]) => this.onEvents(events);
    const mode = this.options.source ?? 'auto';
    const fallBack = (what: string, error: unknown) => {
      const reason = `${what}: ${(error as Error).message}`;
      this.stats.fallbacks.push(reason);
      this.options.onLog?.(`runtime watcher: ${reason}; falling back`);
    };
    if (mode === 'auto' || mode === 'ebpf') {
      try {
        return startEbpfSensor(
          {
            cgroupRoot: this.options.cgroupRoot ?? '/sys/fs/cgroup',
            filter: kernelFilter(this.rules.set),
            includeHost: this.options.includeHost,
            ringBytes: this.options.ringBytes,
            onLog: this.options.onLog,
          },
          listener,
        );
      } catch (error) {
        if (mode === 'ebpf') throw error;
        fallBack('ebpf', error);
      }
    }
    if (mode !== 'poll') {
      try {
        return startProcConnector(this.options.procRoot, listener);
      } catch (error) {
        if (mode === 'netlink') throw error;
        fallBack('netlink', error);
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
      } else if (e.kind === 'kernel') {
        this.onKernelEvents(e.events, e.bootToEpochMs);
      } else if (e.kind === 'exit') {
        for (const [id, set] of this.pids) if (set.delete(e.pid) && set.size === 0) this.pids.delete(id);
      } else {
        this.connectorLost += e.count;
        this.stats.lost += e.count;
        this.options.onLog?.(`runtime watcher: the kernel dropped ${e.count} process event batches`);
      }
    }
  }

  private onKernelEvents(events: SensorEvent[], bootToEpochMs: number): void {
    for (const { event: e, count } of foldRepeats(events)) {
      this.stats.kernelEvents += count;
      const context = this.kernel.toContext(e);
      if (!context) continue;
      if (e.kind === 'exec') this.stats.execs++;
      const seenAtMs = Number(e.timeNs) / 1e6 + bootToEpochMs;
      void this.evaluate(context, seenAtMs, count).catch((error) =>
        this.options.onLog?.(`runtime watcher: pid ${e.pid}: ${(error as Error).message}`),
      );
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
  private async evaluate(context: EventContext, seenAtMs: number, count = 1): Promise<void> {
    const c = context.container;
    const pod = c ? await this.pods.lookup(c.id, this.options.podWaitMs ?? 2000) : undefined;
    const imageFiles =
      pod && this.options.imageFiles ? await this.options.imageFiles(pod.imageId || pod.image) : undefined;
    const full: EventContext = { ...context, pod, imageFiles };
    if (context.type === 'connect' && context.kernel) {
      // Learned per workload: every replica of a Deployment shares namespace, container name and image.
      const workload = pod ? `${pod.namespace}\u0000${pod.container}\u0000${pod.image}` : (c?.id ?? '');
      // Loopback is not outbound: it neither counts as the first connection nor uses it up.
      const address = context.kernel.remote?.address ?? '';
      const loopback = address.startsWith('127.') || address === '::1';
      full.kernel = { ...context.kernel, firstOutbound: !loopback && !this.outbound.has(workload) };
      if (!loopback) this.outbound.add(workload);
    }
    const quiet = this.quietKey(full);
    if (quiet !== undefined && this.quietExecs.has(quiet)) {
      this.quietMemo?.remember(full); // the same verdict: the kernel may keep it (its key may be new: an epoch)
      return;
    }
    const key = `${c?.id ?? this.options.node}\u0000${context.proc.exe}\u0000${context.kernel?.file?.path ?? ''}`;
    const matches = this.rules.evaluate(ruleInput(full));
    if (quiet !== undefined && matches.length === 0) {
      if (this.quietExecs.size >= QUIET_EXECS) this.quietExecs.clear();
      this.quietExecs.add(quiet);
      this.quietMemo?.remember(full);
    }
    for (const match of matches) {
      const admitted = this.limiter.admit(match.rule.id, key, Date.now(), count);
      if (!admitted.emit) continue;
      const d = toDetection(full, match, seenAtMs, admitted.repeats, this.options);
      this.stats.detections++;
      this.options.onDetection(d);
    }
  }

  /**
   * What an eBPF exec's rule input is made of, but its pids: the record (ebpf-record.ts `key`), the parent
   * from the process table, the containers of both (cgroup cache), the pod and the image's files. undefined
   * where rules may read pids, or for anything but an eBPF exec (connects have learned state).
   */
  private quietKey(e: EventContext): string | undefined {
    if (e.type !== 'exec' || e.recordKey === undefined || !this.rules.memoizable) return undefined;
    const p = e.parent;
    return [
      e.recordKey,
      p ? `${p.name}\u0000${p.exe}\u0000${p.cmdline}\u0000${p.uid}` : '-',
      e.parentContainerId ?? '-',
      e.container?.id ?? '-',
      this.identity(e.pod),
      this.identity(e.imageFiles),
    ].join('\u0001');
  }

  /** A number per object (0: none) that lives as long as the object: a pod or an image's files refreshed
   * is another object, so what was judged with the old one is judged again. */
  private identity(o: object | undefined): number {
    if (!o) return 0;
    const known = this.identities.get(o);
    if (known !== undefined) return known;
    const id = this.nextIdentity++;
    this.identities.set(o, id);
    return id;
  }
}

const QUIET_EXECS = 4096;

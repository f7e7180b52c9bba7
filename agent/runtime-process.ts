import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { KubeView } from '../core/kube/kube-view.js';
import type { Detection } from '../core/runtime/detection.js';
import type { RuleSet } from '../core/runtime/rule-file.js';
import { ruleSetToJson } from '../core/runtime/rule-set-json.js';
import type { WatcherSource, WatcherStats } from '../core/runtime/watcher.js';
import { type AgentToWatcherLine, WatcherProcessLine } from '../core/runtime/watcher-messages.js';
import { WATCHER_NODE_FLAGS } from '../core/runtime/watcher-node-flags.js';
import { emptyWatcherStats } from '../core/runtime/watcher-stats.js';
import { Backoff } from '../core/service/backoff.js';
import type { ImageFilesLookup } from './image-executables.js';

export interface RuntimeProcessOptions {
  node: string;
  cluster?: string;
  procRoot: string;
  cgroupRoot?: string;
  sensor?: WatcherSource;
  rules: RuleSet;
  kube?: KubeView;
  imageFiles?: ImageFilesLookup;
  onDetection: (d: Detection) => void;
  log: (line: string) => void;
  /** The watcher process's command line (default: `watcherCommand()`). */
  command?: readonly string[];
}

/**
 * How the agent starts its watcher process, lean V8 flags first. From a build (dist/agent), the entry beside
 * this file; from a checkout's sources (tests), the built one; in the image's bundle, where there is no file
 * per module, the launcher's `runtime-watcher` service (tools/release/service-entry.ts).
 */
export function watcherCommand(): string[] {
  for (const candidate of ['./runtime-watcher-main.js', '../dist/agent/runtime-watcher-main.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return [process.execPath, ...WATCHER_NODE_FLAGS, path];
  }
  return [process.execPath, ...WATCHER_NODE_FLAGS, process.argv[1] ?? '', 'runtime-watcher'];
}

/**
 * The node's runtime watcher in a process of its own under the agent (agent/runtime-watcher-main.ts): the
 * agent's RSS no longer carries the sensor, and the sensor's memory is that of a small process (issue 13,
 * docs/benchmarks.md). Given the validated rule set as JSON, it answers the child's questions (pods, image
 * files), hands detections on, keeps its last counters for the heartbeat, and starts it again with backoff
 * when it dies. The first start's failure is thrown, as the in-process watcher's was.
 */
export class RuntimeProcess {
  readonly stats: WatcherStats = emptyWatcherStats();
  /** Times the process died and was started again. */
  restarts = 0;
  private child?: ChildProcess;
  private stopped = false;
  private readonly backoff = new Backoff({ firstMs: 500, maxMs: 30_000 });
  /** Counts of the processes before this one: the heartbeat's counters never go back after a restart. */
  private readonly before = { execs: 0, vanished: 0, lost: 0, detections: 0, kernelEvents: 0 };

  private constructor(private readonly o: RuntimeProcessOptions) {}

  static async start(o: RuntimeProcessOptions): Promise<RuntimeProcess> {
    const p = new RuntimeProcess(o);
    await p.spawnOnce();
    return p;
  }

  /** The watcher process's pid (its RSS is the sensor's, docs/benchmarks.md). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The child sends its counters every 2 s; nothing to ask. */
  refreshDrops(): void {}

  stop(): void {
    this.stopped = true;
    this.send({ t: 'stop' });
    this.child?.stdin?.end();
  }

  private send(line: AgentToWatcherLine): void {
    if (this.child?.stdin?.writable) this.child.stdin.write(`${JSON.stringify(line)}\n`);
  }

  /** Starts the process; resolves once it is watching, rejects with its reason if it could not. */
  private spawnOnce(): Promise<void> {
    const [command, ...args] = this.o.command ?? watcherCommand();
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      child.on('error', (error) => {
        if (!ready) reject(error);
      });
      child.stdin!.on('error', () => {}); // a dead child's pipe: its exit is handled below
      child.on('exit', (code, signal) => {
        if (!ready)
          reject(new Error(`runtime watcher process exited (${signal ?? code}) before it was ready`));
        else void this.restart(`${signal ?? code}`);
      });
      const lines = createInterface({ input: child.stdout! });
      lines.on('line', (text) => {
        const line = this.read(text);
        if (!line) return;
        if (line.t === 'ready') {
          ready = true;
          this.take(line.stats);
          resolve();
        } else if (line.t === 'failed') reject(new Error(line.error));
        else this.handle(line);
      });
      this.send({
        t: 'start',
        node: this.o.node,
        cluster: this.o.cluster,
        procRoot: this.o.procRoot,
        cgroupRoot: this.o.cgroupRoot,
        sensor: this.o.sensor,
        rules: ruleSetToJson(this.o.rules),
        pods: this.o.kube !== undefined,
        imageFiles: this.o.imageFiles !== undefined,
      });
    });
  }

  private read(text: string): WatcherProcessLine | undefined {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.o.log(`runtime watcher process: not a JSON line (${text.length} bytes); ignored`);
      return undefined;
    }
    const parsed = WatcherProcessLine.safeParse(value);
    if (parsed.success) return parsed.data;
    this.o.log(`runtime watcher process: unexpected line: ${parsed.error.issues[0]?.message ?? ''}; ignored`);
    return undefined;
  }

  private handle(line: WatcherProcessLine): void {
    if (line.t === 'stats') this.take(line.stats);
    else if (line.t === 'log') this.o.log(line.line);
    else if (line.t === 'detection') this.o.onDetection(line.detection as unknown as Detection);
    else if (line.t === 'pods?') {
      const id = line.id;
      (this.o.kube?.list('Pod') ?? Promise.resolve([]))
        .catch((error: unknown) => {
          this.o.log(`runtime watcher process: pods: ${(error as Error).message}`);
          return [];
        })
        .then((pods) => this.send({ t: 'pods', id, pods }));
    } else if (line.t === 'files?') {
      const id = line.id;
      (this.o.imageFiles?.(line.image) ?? Promise.resolve(undefined))
        .catch(() => undefined)
        .then((files) => this.send({ t: 'files', id, files: files ? [...files] : null }));
    }
  }

  private take(child: WatcherStats): void {
    this.stats.source = child.source;
    this.stats.fallbacks = child.fallbacks;
    for (const k of Object.keys(this.before) as Array<keyof typeof this.before>)
      this.stats[k] = this.before[k] + child[k];
    // The kernel memo's counts are the current sensor's (a restarted process loads an empty memo).
    if (child.quietExecs !== undefined) this.stats.quietExecs = child.quietExecs;
    if (child.quietExits !== undefined) this.stats.quietExits = child.quietExits;
  }

  /** The process died: started again after a growing delay, until it stays up or the agent stops. */
  private async restart(why: string): Promise<void> {
    if (this.stopped) return;
    this.o.log(`runtime watcher process exited (${why}); starting it again`);
    for (const k of Object.keys(this.before) as Array<keyof typeof this.before>)
      this.before[k] = this.stats[k];
    for (;;) {
      await this.backoff.wait(() => this.stopped);
      if (this.stopped) return;
      try {
        await this.spawnOnce();
        this.restarts++;
        this.backoff.reset();
        return;
      } catch (error) {
        this.o.log(`runtime watcher process not started again: ${(error as Error).message}`);
      }
    }
  }
}

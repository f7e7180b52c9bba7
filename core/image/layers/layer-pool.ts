import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LayerInput } from './entry.js';
import type { FromLayerWorker, ToLayerWorker } from './layer-messages.js';
import type { PackedLayer } from './layer-result.js';
import type { LayerLimits } from './limits.js';

/**
 * A layer worker's script: a file (an ES module on disk), or a self-contained CommonJS source run with
 * `eval` (a bundle has no file to point at; Node runs eval'd worker code as a classic script).
 */
export type LayerWorkerScript = URL | { source: string };

/** One layer to read, as the walk hands it over: with its walk's limits and shared image budget. */
interface Job {
  id: number;
  /** The walk it belongs to, for `cancel`. */
  walk: object;
  layer: LayerInput;
  limits: LayerLimits;
  budget: SharedArrayBuffer;
  resolve(layer: PackedLayer): void;
  reject(error: Error): void;
  /** The blob's chunks, when this thread streams it to the worker. */
  source?: AsyncIterator<Buffer>;
  sourceStream?: Readable;
}

interface PoolWorker {
  thread: Worker;
  /** The layer it reads (one at a time), if any. */
  job?: Job;
}

/**
 * Worker threads that read layers (layer-worker-loop.ts), kept for the life of the process (one pool per
 * script and size: each thread's imports and JIT warm-up are paid once, not per image). Idle threads
 * are unref'd, so they never keep the process alive.
 *
 * Scheduling: each worker reads one layer at a time (its inflate runs on libuv's thread pool while the
 * worker walks the previous chunk, so one layer keeps about a core busy), and a free worker takes the
 * largest layer waiting. The largest layer's inflate is the longest single task and bounds the whole
 * walk: started first, it runs while the other workers read the rest (longest processing time first).
 * A local blob is read by the worker itself; any other is opened here only when its worker takes it
 * (digest verified by its source) and handed over one chunk per request: at most one chunk per layer
 * waits in a worker.
 */
export class LayerPool {
  private readonly workers: PoolWorker[];
  private readonly waiting: Job[] = [];
  private nextId = 0;
  private broken = false;

  constructor(
    private readonly script: LayerWorkerScript,
    size: number,
  ) {
    this.workers = Array.from({ length: size }, () => this.startWorker());
  }

  /** Whether the pool can take work (a thread that died takes the pool with it). */
  get usable(): boolean {
    return !this.broken;
  }

  /** Reads a layer for `walk` (any object standing for one walk: see `cancel`). */
  read(
    walk: object,
    layer: LayerInput,
    limits: LayerLimits,
    budget: SharedArrayBuffer,
  ): Promise<PackedLayer> {
    return new Promise<PackedLayer>((resolve, reject) => {
      if (this.broken) return reject(new Error('layer worker pool stopped'));
      this.waiting.push({ id: this.nextId++, walk, layer, limits, budget, resolve, reject });
      this.dispatch();
    });
  }

  /**
   * Drops a failed walk's layers that no worker has taken yet; those being read finish and are
   * dropped by the walk (at most one per worker), so other walks sharing the pool go on.
   */
  cancel(walk: object): void {
    for (let i = this.waiting.length - 1; i >= 0; i--)
      if (this.waiting[i]!.walk === walk) this.waiting.splice(i, 1)[0]!.reject(new Error('walk cancelled'));
  }

  /** Stops the threads and fails what they hold or wait for (a walk that failed leaves layers unread). */
  async close(): Promise<void> {
    this.broken = true;
    this.failAll('layer worker pool stopped');
    await Promise.all(this.workers.map((w) => w.thread.terminate()));
  }

  private startWorker(): PoolWorker {
    const thread =
      this.script instanceof URL ? new Worker(this.script) : new Worker(this.script.source, { eval: true });
    const worker: PoolWorker = { thread };
    thread.unref();
    thread.on('message', (message: FromLayerWorker) => this.onMessage(worker, message));
    thread.on('error', (error) => this.stop(`layer worker failed: ${error.message}`));
    thread.on('exit', (code) => this.stop(`layer worker exited (code ${code})`));
    return worker;
  }

  /** Gives each free worker the largest waiting layer (size as stored; unknown sizes last). */
  private dispatch(): void {
    for (const worker of this.workers) {
      if (worker.job || this.waiting.length === 0) continue;
      let largest = 0;
      for (let i = 1; i < this.waiting.length; i++)
        if ((this.waiting[i]!.layer.size ?? 0) > (this.waiting[largest]!.layer.size ?? 0)) largest = i;
      const job = this.waiting.splice(largest, 1)[0]!;
      worker.job = job;
      worker.thread.ref(); // a thread at work keeps the process alive until its layer is read
      this.start(worker, job);
    }
  }

  private start(worker: PoolWorker, job: Job): void {
    const { id, layer, limits, budget } = job;
    const post = (message: ToLayerWorker) => worker.thread.postMessage(message);
    if (layer.file)
      return void post({ kind: 'read', id, digest: layer.digest, limits, budget, file: layer.file });
    layer.open().then(
      (stream) => {
        job.sourceStream = stream;
        job.source = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
        if (worker.job === job) post({ kind: 'read', id, digest: layer.digest, limits, budget });
        else stream.destroy();
      },
      (error: Error) => this.settle(worker, job, new Error(`layer ${layer.digest}: ${error.message}`)),
    );
  }

  private onMessage(worker: PoolWorker, message: FromLayerWorker): void {
    const job = worker.job;
    if (!job || job.id !== message.id) return;
    if (message.kind === 'pull') return void this.feed(worker, job);
    this.settle(worker, job, message.kind === 'done' ? message.layer : new Error(message.message));
  }

  private settle(worker: PoolWorker, job: Job, outcome: PackedLayer | Error): void {
    if (worker.job !== job) return;
    worker.job = undefined;
    worker.thread.unref();
    if (outcome instanceof Error) job.reject(outcome);
    else job.resolve(outcome);
    this.dispatch();
  }

  private async feed(worker: PoolWorker, job: Job): Promise<void> {
    const post = (message: ToLayerWorker, transfer: ArrayBuffer[] = []) =>
      worker.thread.postMessage(message, transfer);
    try {
      const next = await job.source!.next();
      if (worker.job !== job) return;
      if (next.done) return post({ kind: 'end', id: job.id });
      // A copy the worker can own: a stream's chunk may be a view of a buffer shared with other chunks.
      const bytes = new Uint8Array(next.value);
      post({ kind: 'chunk', id: job.id, bytes }, [bytes.buffer]);
    } catch (error) {
      post({ kind: 'abort', id: job.id, message: (error as Error).message });
    }
  }

  /** A thread died: the pool is not used again, and every walk it serves fails with the reason. */
  private stop(message: string): void {
    this.broken = true;
    this.failAll(message);
  }

  private failAll(message: string): void {
    for (const worker of this.workers) {
      const job = worker.job;
      worker.job = undefined;
      job?.sourceStream?.destroy();
      job?.reject(new Error(message));
    }
    for (const job of this.waiting.splice(0)) job.reject(new Error(message));
  }
}

/** The process's pools: by script (a file's URL or the source itself), then by size. */
const pools = new Map<string, Map<number, LayerPool>>();

/** The process's pool for a script and size, started on first use, replaced if a thread of it died. */
export function sharedLayerPool(script: LayerWorkerScript, size: number): LayerPool {
  const key = script instanceof URL ? script.href : script.source;
  const bySize = pools.get(key) ?? new Map<number, LayerPool>();
  pools.set(key, bySize);
  const existing = bySize.get(size);
  if (existing?.usable) return existing;
  const pool = new LayerPool(script, size);
  bySize.set(size, pool);
  return pool;
}

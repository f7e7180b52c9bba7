import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { LayerInput } from './entry.js';
import type { FromLayerWorker, LayerWorkerSetup, ToLayerWorker } from './layer-messages.js';
import type { PackedLayer } from './layer-result.js';
import type { LayerLimits } from './limits.js';

/**
 * A layer worker's script: a file (an ES module on disk), or a self-contained CommonJS source run with
 * `eval` (a bundle has no file to point at; Node runs eval'd worker code as a classic script).
 */
export type LayerWorkerScript = URL | { source: string };

interface Pending {
  resolve(layer: PackedLayer): void;
  reject(error: Error): void;
  /** The blob's chunks, when the main thread streams it to the worker. */
  source?: AsyncIterator<Buffer>;
  sourceStream?: Readable;
}

interface PoolWorker {
  thread: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that read layers (layer-worker-loop.ts), for one walk. A layer goes to the worker with
 * the fewest layers in hand, so a big layer does not hold back the rest; each worker holds as many as
 * the walk has in flight. A local blob is read by the worker itself; any other is read here (digest
 * verified by its source) and handed over one chunk per request, so at most one chunk per layer waits.
 */
export class LayerPool {
  private readonly workers: PoolWorker[];
  private nextId = 0;

  constructor(script: LayerWorkerScript, size: number, limits: LayerLimits, budget: SharedArrayBuffer) {
    const workerData: LayerWorkerSetup = { limits, budget };
    this.workers = Array.from({ length: size }, () => {
      const thread =
        script instanceof URL
          ? new Worker(script, { workerData })
          : new Worker(script.source, { workerData, eval: true });
      const worker: PoolWorker = { thread, pending: new Map() };
      worker.thread.on('message', (message: FromLayerWorker) => this.onMessage(worker, message));
      worker.thread.on('error', (error) => this.failAll(worker, `layer worker failed: ${error.message}`));
      worker.thread.on('exit', (code) => this.failAll(worker, `layer worker exited (code ${code})`));
      return worker;
    });
  }

  read(layer: LayerInput): Promise<PackedLayer> {
    const worker = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<PackedLayer>((resolve, reject) => {
      const pending: Pending = { resolve, reject };
      worker.pending.set(id, pending);
      const post = (message: ToLayerWorker) => worker.thread.postMessage(message);
      if (layer.file) return post({ kind: 'read', id, digest: layer.digest, file: layer.file });
      layer.open().then(
        (stream) => {
          pending.sourceStream = stream;
          pending.source = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
          post({ kind: 'read', id, digest: layer.digest });
        },
        (error: Error) => {
          worker.pending.delete(id);
          reject(new Error(`layer ${layer.digest}: ${error.message}`));
        },
      );
    });
  }

  /** Stops the threads (a walk that failed early leaves layers unread). */
  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        for (const pending of worker.pending.values()) pending.sourceStream?.destroy();
        worker.pending.clear();
        await worker.thread.terminate();
      }),
    );
  }

  private onMessage(worker: PoolWorker, message: FromLayerWorker): void {
    const pending = worker.pending.get(message.id);
    if (!pending) return;
    if (message.kind === 'pull') return void this.feed(worker, message.id, pending);
    worker.pending.delete(message.id);
    if (message.kind === 'done') pending.resolve(message.layer);
    else pending.reject(new Error(message.message));
  }

  private async feed(worker: PoolWorker, id: number, pending: Pending): Promise<void> {
    const post = (message: ToLayerWorker, transfer: ArrayBuffer[] = []) =>
      worker.thread.postMessage(message, transfer);
    try {
      const next = await pending.source!.next();
      if (next.done) return post({ kind: 'end', id });
      // A copy the worker can own: a stream's chunk may be a view of a buffer shared with other chunks.
      const bytes = new Uint8Array(next.value);
      post({ kind: 'chunk', id, bytes }, [bytes.buffer]);
    } catch (error) {
      post({ kind: 'abort', id, message: (error as Error).message });
    }
  }

  private failAll(worker: PoolWorker, message: string): void {
    for (const pending of worker.pending.values()) {
      pending.sourceStream?.destroy();
      pending.reject(new Error(message));
    }
    worker.pending.clear();
  }
}

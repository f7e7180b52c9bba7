import { Readable } from 'node:stream';
import { parentPort } from 'node:worker_threads';
import type { Analyzer } from '../package.js';
import { openBlobFile } from '../source/blob-file.js';
import { sharedImageBudget } from './byte-budget.js';
import type { LayerInput } from './entry.js';
import { executablesAnalyzer } from './executables.js';
import type { FromLayerWorker, ToLayerWorker } from './layer-messages.js';
import { readLayer, type WalkProblem } from './layer-read.js';
import { packLayer } from './layer-result.js';
import { UpperLayers } from './visibility.js';
import { type ExtraWanted, wantedFilesAnalyzer } from './wanted-files.js';

/**
 * The body of a layer worker thread (a script calls it with its analyzers): reads each layer it is given
 * — inflate, tar walk, the analyzers' file matching, wanted files read — as if it were alone, and posts
 * back the packed result; the main thread merges the layers in order (walk-layers.ts).
 */
export function serveLayers(analyzers: readonly Analyzer[], extraWanted: ExtraWanted): void {
  const port = parentPort;
  if (!port) throw new Error('serveLayers runs in a worker thread');
  const feeds = new Map<number, Readable>();
  const post = (message: FromLayerWorker, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);

  async function read(message: ToLayerWorker & { kind: 'read' }, open: LayerInput['open']): Promise<void> {
    const { id, digest, limits } = message;
    const budget = sharedImageBudget(limits.maxImageBytes, message.budget);
    const problems: WalkProblem[] = [];
    const executables = executablesAnalyzer();
    const analyzersHere = [wantedFilesAnalyzer(analyzers, extraWanted, limits), executables];
    try {
      const state = await readLayer(
        { digest, open },
        new UpperLayers(),
        analyzersHere,
        limits,
        budget,
        problems,
      );
      const layer = packLayer(state, executables.capped(), problems);
      post({ kind: 'done', id, layer }, [layer.contents]);
    } catch (error) {
      post({ kind: 'failed', id, message: (error as Error).message });
    } finally {
      feeds.delete(id);
    }
  }

  port.on('message', (message: ToLayerWorker) => {
    switch (message.kind) {
      case 'read': {
        const { id, digest, file } = message;
        if (file) return void read(message, async () => openBlobFile(file, digest));
        // One chunk asked for at a time: at most one chunk per layer is queued here (bounded memory).
        const feed = new Readable({ read: () => post({ kind: 'pull', id }) });
        feeds.set(id, feed);
        return void read(message, async () => feed);
      }
      case 'chunk':
        feeds
          .get(message.id)
          ?.push(Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength));
        return;
      case 'end':
        feeds.get(message.id)?.push(null);
        return;
      case 'abort':
        feeds.get(message.id)?.destroy(new Error(message.message));
        return;
    }
  });
}

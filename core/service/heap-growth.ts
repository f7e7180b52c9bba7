import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what survived the last full collection: ×1.5.
 * Without it V8 picks the factor itself (heap.cc, MemoryController::DynamicGrowingFactor: up to ×4
 * when the program allocates fast), and a configuration scan of 10,000 workloads — a few hundred
 * thousand long-lived findings built while allocating fast — settled at 350–630 MiB peak RSS from one
 * run to the next for a live set of about 150 MiB (bench:config, docs/benchmarks.md). At ×1.5 the
 * peak is about 230–300 MiB for the cost of more frequent full collections (figures in the same file).
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * Sets the heap-growing factor for the rest of this process. V8 reads the flag whenever it sizes the
 * heap after a collection, so setting it at start-up (before the heap has grown) is enough; a flag
 * given on the command line (`node --heap-growing-percent=N`) wins.
 */
export function boundHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

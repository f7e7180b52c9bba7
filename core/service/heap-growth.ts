import { setFlagsFromString } from 'node:v8';

/**
 * How much V8 lets the old generation grow past what survived the last full collection: ×2.
 * Without it V8 picks the factor itself (heap.cc, MemoryController::DynamicGrowingFactor: up to ×4
 * when the program allocates fast), and a configuration scan of 10,000 workloads — a few hundred
 * thousand long-lived findings built while allocating fast — settled anywhere from 350 to 630 MiB peak RSS
 * without policies and 490–850 MiB with 20 (bench:config, docs/benchmarks.md), while the heap that
 * the finished report holds is 56–74 MiB. At ×2 the peak
 * was 300–370 MiB with 20 policies at about the same CPU time; ×1.5 held it to 270–290 MiB but cost
 * about a third more CPU in full collections (same file).
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * Sets the heap-growing factor for the rest of this process. V8 reads the flag whenever it sizes the
 * heap after a collection, so setting it at start-up (before the heap has grown) is enough; a flag
 * given on the command line (`node --heap-growing-percent=N`) wins.
 */
export function boundHeapGrowth(): void {
  if (process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

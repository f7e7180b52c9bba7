/**
 * V8 settings of a runtime watcher in a process of its own (the agent's sensor process, bench:runtime), for
 * memory (docs/benchmarks.md, Runtime sensors): a 1 MiB young generation (the default grows to 16 MiB a
 * semi-space for allocation throughput the watcher does not need), GC on the main thread (no helper threads
 * for a heap this small), no optimising compiler (TurboFan's code and its compile jobs: the watcher's hot
 * paths are short, Sparkplug's baseline code serves them), and V8's smaller-object heuristics.
 */
export const WATCHER_NODE_FLAGS = [
  '--max-semi-space-size=1',
  '--single-threaded-gc',
  '--no-opt',
  '--optimize-for-size',
];

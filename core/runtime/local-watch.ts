import { hostname } from 'node:os';
import type { Detection } from './detection.js';
import { RuleEngine } from './rule-engine.js';
import { loadRuleSet } from './rule-file.js';
import { builtinRuntimeRulesDir } from './rules-dir.js';
import { RuntimeWatcher, type WatcherSource, type WatcherStats } from './watcher.js';

export interface LocalWatchOptions {
  procRoot: string;
  rulesDirs: readonly string[];
  durationSeconds?: number;
  source?: WatcherSource;
  includeHost?: boolean;
  cgroupRoot?: string;
  onDetection: (d: Detection) => void;
  onLog: (line: string) => void;
  /** Resolves to stop early (Ctrl-C). */
  stopSignal: Promise<void>;
}

/** `kubectl seco runtime --local`: watch this machine (no cluster, so no pods) until the duration or a signal. */
export async function watchLocally(o: LocalWatchOptions): Promise<{ stats: WatcherStats; held: number }> {
  const engine = new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir(), ...o.rulesDirs]));
  const watcher = new RuntimeWatcher({
    procRoot: o.procRoot,
    node: hostname(),
    rules: engine,
    source: o.source,
    includeHost: o.includeHost,
    cgroupRoot: o.cgroupRoot,
    onDetection: o.onDetection,
    onLog: o.onLog,
  });
  await watcher.start();
  const timers: NodeJS.Timeout[] = [];
  const elapsed = o.durationSeconds
    ? new Promise<void>((r) => timers.push(setTimeout(r, o.durationSeconds! * 1000)))
    : new Promise<void>(() => {});
  await Promise.race([elapsed, o.stopSignal]);
  for (const t of timers) clearTimeout(t);
  const held = watcher.stop();
  for (const h of held) o.onLog(`rule ${h.ruleId}: ${h.held} more detections held back by rate limiting`);
  return { stats: watcher.stats, held: held.reduce((n, h) => n + h.held, 0) };
}

import type { ExecEvent, ExecListener, ExecSource } from './exec-source.js';
import { listPids, readRawProc } from './proc-reader.js';

/**
 * The fallback exec source: lists /proc every `intervalMs` and reports pids it had not seen. Processes that
 * start and end between two looks are missed; the benchmark says how many (docs/benchmarks.md).
 */
export function startProcPoller(procRoot: string, intervalMs: number, listener: ExecListener): ExecSource {
  let known: Set<number> | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const now = new Set(await listPids(procRoot));
      if (known) {
        const events: ExecEvent[] = [];
        for (const pid of now)
          if (!known.has(pid))
            events.push({ kind: 'exec', pid, raw: await readRawProc(procRoot, pid), seenAtMs: Date.now() });
        for (const pid of known) if (!now.has(pid)) events.push({ kind: 'exit', pid });
        if (events.length) listener(events);
      }
      known = now;
    } catch {
      // /proc unreadable for one round (unmounted under us): try again next round.
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    source: 'poll',
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

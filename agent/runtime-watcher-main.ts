import { createInterface } from 'node:readline';
import type { KubeObject } from '../core/kube/types.js';
import { RuleEngine } from '../core/runtime/rule-engine.js';
import { ruleSetFromJson } from '../core/runtime/rule-set-json.js';
import { RuntimeWatcher } from '../core/runtime/watcher.js';
import type { AgentToWatcherLine, WatcherProcessLine } from '../core/runtime/watcher-messages.js';

// The agent's runtime watcher as a process of its own (started by agent/runtime-process.ts with the lean V8
// flags of core/runtime/watcher-node-flags.ts): the sensor, the rule engine and the detections, nothing of
// the agent's job loop, bus client, image scanners or schemas, so its RSS is the watcher's alone (issue 13:
// ≤ 60 MiB for the sensor as deployed). Pods and image files come from the agent when asked; detections,
// counters and log lines go back as NDJSON on stdout (core/runtime/watcher-messages.ts).

const STATS_EVERY_MS = 2000;
const say = (line: WatcherProcessLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

const asked = new Map<number, (answer: AgentToWatcherLine) => void>();
let nextId = 1;
function ask<T extends AgentToWatcherLine>(question: WatcherProcessLine & { id: number }): Promise<T> {
  return new Promise((resolve) => {
    asked.set(question.id, resolve as (a: AgentToWatcherLine) => void);
    say(question);
  });
}

let watcher: RuntimeWatcher | undefined;
let statsTimer: NodeJS.Timeout | undefined;
let starting: Promise<void> | undefined;

async function start(o: Extract<AgentToWatcherLine, { t: 'start' }>): Promise<void> {
  // The agent's pod view, over the pipe: the pod index lists pods when it meets a container it does not know.
  const kube = o.pods
    ? {
        list: async (kind: string) =>
          kind === 'Pod'
            ? ((await ask<Extract<AgentToWatcherLine, { t: 'pods' }>>({ t: 'pods?', id: nextId++ }))
                .pods as KubeObject[])
            : [],
        get: async () => undefined,
      }
    : undefined;
  const files = new Map<string, Promise<ReadonlySet<string> | undefined>>();
  const imageFiles = o.imageFiles
    ? (image: string) => {
        // One question per image while the process lives (an image's SBOM does not change under its digest).
        let known = files.get(image);
        if (!known) {
          known = ask<Extract<AgentToWatcherLine, { t: 'files' }>>({ t: 'files?', id: nextId++, image }).then(
            (a) => (a.files ? new Set(a.files) : undefined),
          );
          if (files.size >= 256) files.clear();
          files.set(image, known);
        }
        return known;
      }
    : undefined;
  watcher = new RuntimeWatcher({
    procRoot: o.procRoot,
    node: o.node,
    cluster: o.cluster,
    source: o.sensor,
    cgroupRoot: o.cgroupRoot,
    kube,
    imageFiles,
    rules: new RuleEngine(ruleSetFromJson(o.rules)),
    onLog: (line) => say({ t: 'log', line }),
    onDetection: (detection) => say({ t: 'detection', detection: detection as never }),
  });
  await watcher.start();
  say({ t: 'ready', stats: watcher.stats });
  let last = '';
  statsTimer = setInterval(() => {
    watcher!.refreshDrops();
    const now = JSON.stringify(watcher!.stats);
    if (now !== last) say({ t: 'stats', stats: watcher!.stats });
    last = now;
  }, STATS_EVERY_MS);
}

function stop(): never {
  if (statsTimer) clearInterval(statsTimer);
  watcher?.stop();
  process.exit(0);
}

// The agent gone (its end of the pipe closed) is a stop too: the sensor never outlives the agent.
const lines = createInterface({ input: process.stdin });
lines.on('close', stop);
// Lines are handled as they come, not one after another: starting asks the agent for its pods and waits.
lines.on('line', (text) => {
  let line: AgentToWatcherLine;
  try {
    line = JSON.parse(text) as AgentToWatcherLine;
  } catch {
    say({ t: 'log', line: 'runtime watcher process: a line from the agent is not JSON; ignored' });
    return;
  }
  if (line.t === 'start' && !watcher && !starting)
    starting = start(line).catch((error: unknown) => {
      say({ t: 'failed', error: (error as Error).message });
      process.exit(1);
    });
  else if (line.t === 'pods' || line.t === 'files') {
    asked.get(line.id)?.(line);
    asked.delete(line.id);
  } else if (line.t === 'stop') stop();
});

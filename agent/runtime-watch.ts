import type { Bus } from '../core/bus/bus.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { PROTOCOL_VERSION, subjects } from '../core/protocol/index.js';
import { detectionToFinding } from '../core/runtime/detection.js';
import { RuleEngine } from '../core/runtime/rule-engine.js';
import { loadRuleSet } from '../core/runtime/rule-file.js';
import { builtinRuntimeRulesDir } from '../core/runtime/rules-dir.js';
import { RuntimeWatcher } from '../core/runtime/watcher.js';
import type { ImageFilesLookup } from './image-executables.js';
import { rememberDetection } from './runtime-history.js';

export interface RuntimeWatchOptions {
  bus: Bus;
  node: string;
  procRoot: string;
  cluster?: string;
  kube?: KubeView;
  /** Extra rule directories (a ConfigMap mounted as a directory). */
  rulesDirs?: readonly string[];
  /** A container image's executable files, from its stored SBOM (drift: binaries not in the image). */
  imageFiles?: ImageFilesLookup;
  log: (line: string) => void;
}

/** Starts the node's runtime watcher; each detection goes out at once on `seco.events.<node>` as a finding event. */
export async function startRuntimeWatch(o: RuntimeWatchOptions): Promise<RuntimeWatcher> {
  const engine = new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir(), ...(o.rulesDirs ?? [])]));
  const subject = subjects.events(o.node);
  const watcher = new RuntimeWatcher({
    procRoot: o.procRoot,
    node: o.node,
    cluster: o.cluster,
    kube: o.kube,
    rules: engine,
    imageFiles: o.imageFiles,
    onLog: o.log,
    onDetection: (d) => {
      rememberDetection(d);
      const event = { v: PROTOCOL_VERSION, type: 'finding', node: o.node, finding: detectionToFinding(d) };
      o.bus
        .publish(subject, Buffer.from(JSON.stringify(event)))
        .catch((error) => o.log(`runtime event not published: ${(error as Error).message}`));
    },
  });
  await watcher.start();
  return watcher;
}

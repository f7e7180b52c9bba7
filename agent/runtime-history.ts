import type { Detection } from '../core/runtime/detection.js';

/**
 * The node's recent detections, so a runtime snapshot job can report alerts since a container started.
 * A module-level ring (the watcher and the job runner are in one process, and `AgentContext` stays
 * unchanged), bounded so a noisy node cannot grow it.
 */
const MAX = 5000;
const recent: Detection[] = [];

export function rememberDetection(d: Detection): void {
  recent.push(d);
  if (recent.length > MAX) recent.splice(0, recent.length - MAX);
}

export function detectionsFor(containerId: string): Detection[] {
  return recent.filter((d) => d.container?.id === containerId);
}

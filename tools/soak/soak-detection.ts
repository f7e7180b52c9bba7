import type { Detection } from '../../core/runtime/detection.js';

/** The soak's runtime detection number `i` on `node`: a distinct process each, so each is an event of its own. */
export function soakDetection(node: string, i: number): Detection {
  return {
    ruleId: 'soak-shell-in-container',
    severity: 'low',
    description: 'A shell ran in a container (soak test event)',
    output: `sh -c true (soak event ${i})`,
    time: new Date().toISOString(),
    source: 'netlink',
    latencyMs: 1,
    node,
    container: { id: 'a'.repeat(64), runtime: 'containerd', name: 'web' },
    pod: { namespace: 'wordsmith', name: 'soak', uid: 'soak' },
    process: {
      pid: 10_000 + i,
      ppid: 1,
      name: 'sh',
      exe: '/bin/sh',
      cmdline: `sh -c true # ${i}`,
      uid: 1000,
    },
    mitre: [],
    references: [],
    repeats: 0,
  };
}
